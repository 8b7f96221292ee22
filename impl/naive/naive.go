// Package naive computes the sigmoid focal loss of Lin et al. (RetinaNet) the
// way it is first written from the paper, with every intermediate rounded to
// the element type, as a float32 framework computes it:
//
//	p     = 1/(1+e^-x)
//	p_t   = p·t + (1-p)·(1-t)
//	CE    = -(t·log(p) + (1-t)·log(1-p))
//	α_t   = α·t + (1-α)·(1-t) if α ≥ 0, else 1
//	FL    = α_t · (1-p_t)^γ · CE
//	dFL/dx = α_t·[γ·(1-p_t)^(γ-1)·(1-2t)·p·(1-p)·CE + (1-p_t)^γ·(p-t)]
//
// It models an unfused float32 framework (each operation rounds on its own;
// see elem). It is kept because it breaks: the module's tests and README show where.
// 1-p cancels as p nears 1, so the relative error grows like 2^-24·e^x (float32)
// for x > 0 and target 0; p rounds to 1 at x ≈ 17 (float32) or 37 (float64),
// where log(1-p) = -Inf and 0·(-Inf) gives NaN; e^-x overflows below x ≈ -88.7
// (float32) or -709.8 (float64). The declared valid range, measured against the
// golden vectors and asserted in this module's tests, is in ValidRange32 and
// ValidRange64.
//
// Preconditions, not checked: len(x) == len(t), and the outputs (loss may be nil
// in LossGrad) have len(x) elements; 0 ≤ t ≤ 1; α ≤ 1; γ ≥ 0 and finite. The
// functions never allocate and are safe for concurrent use on distinct outputs.
package naive

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/csum"
)

// ValidRange32 and ValidRange64 bound |x| where this kernel is declared valid,
// for γ ≤ ValidGamma: there its loss is within a relative error of ValidRelErr of the
// truth, and so is its gradient relative to the size of its two terms, except
// for soft targets where |σ(x) − t| < 0.01, where p − t cancels. The error
// grows like 2^-24·e^|x|·γ in float32. Measured against the golden vectors and
// a grid of x, t, α and γ ≤ 5: float32 4.7e-4 for |x| ≤ 7, 1.2e-3 for
// |x| ≤ 8, NaN from x ≈ 17; float64 1.1e-7 for |x| ≤ 24, 3.1e-3 for
// |x| ≤ 30, NaN from x ≈ 37.
const (
	ValidRange32 = 7
	ValidRange64 = 24
	ValidGamma   = 5 // the golden vectors' largest γ; the error grows with γ
	ValidRelErr  = 1e-3
)

// Loss32 writes the per-element focal loss of x against t into dst.
func Loss32(dst, x, t []float32, alpha, gamma float64) { lossInto(dst, x, t, alpha, gamma) }

// Loss64 writes the per-element focal loss of x against t into dst.
func Loss64(dst, x, t []float64, alpha, gamma float64) { lossInto(dst, x, t, alpha, gamma) }

// Sum32 returns the sum of the per-element losses (each rounded to float32, as
// Loss32 writes them), accumulated in float64 with compensated summation
// (impl/internal/csum), so that the summation adds no more than a few units
// of 2^-53.
func Sum32(x, t []float32, alpha, gamma float64) float64 { return sum(x, t, alpha, gamma) }

// Sum64 is Sum32 for float64.
func Sum64(x, t []float64, alpha, gamma float64) float64 { return sum(x, t, alpha, gamma) }

// LossGrad32 writes the loss (when loss is not nil) and its derivative with
// respect to x.
func LossGrad32(loss, grad, x, t []float32, alpha, gamma float64) {
	lossGrad(loss, grad, x, t, alpha, gamma)
}

// LossGrad64 is LossGrad32 for float64.
func LossGrad64(loss, grad, x, t []float64, alpha, gamma float64) {
	lossGrad(loss, grad, x, t, alpha, gamma)
}

type float interface{ float32 | float64 }

// Every operation rounds on its own, as in a framework that runs one op at a
// time: the explicit conversions F(…) round each product before it is added,
// which the Go spec says keeps the compiler from fusing it into an FMA, on
// every architecture (arm64 would fuse otherwise). Results can still differ
// between architectures in the last place, but only where Go's math.Exp,
// math.Log and math.Pow do.
func elem[F float](x, t F, alpha, gamma float64, grad bool) (loss, dx F) {
	g := F(gamma)
	p := 1 / (1 + F(math.Exp(float64(-x))))
	q := 1 - p
	pt := F(p*t) + F(q*(1-t))
	at := F(1)
	if alpha >= 0 {
		// α and 1-α are scalars of the caller's (float64), rounded where they
		// meet the element type, as torchvision's alpha*t + (1-alpha)*(1-t) does.
		at = F(F(alpha)*t) + F(F(1-alpha)*(1-t))
	}
	ce := -(F(t*F(math.Log(float64(p)))) + F((1-t)*F(math.Log(float64(q)))))
	m := 1 - pt
	mod := F(math.Pow(float64(m), gamma))
	loss = F(at*mod) * ce
	if !grad {
		return loss, 0
	}
	dmod := F(math.Pow(float64(m), gamma-1))
	term1 := F(F(F(F(F(g*dmod)*(1-2*t))*p)*q) * ce)
	term2 := F(mod * (p - t))
	return loss, at * (term1 + term2)
}

func lossInto[F float](dst, x, t []F, alpha, gamma float64) {
	t = t[:len(x)]
	dst = dst[:len(x)]
	for i := range x {
		dst[i], _ = elem(x[i], t[i], alpha, gamma, false)
	}
}

func lossGrad[F float](loss, grad, x, t []F, alpha, gamma float64) {
	t = t[:len(x)]
	grad = grad[:len(x)]
	if loss != nil {
		loss = loss[:len(x)]
	}
	for i := range x {
		l, g := elem(x[i], t[i], alpha, gamma, true)
		if loss != nil {
			loss[i] = l
		}
		grad[i] = g
	}
}

func sum[F float](x, t []F, alpha, gamma float64) float64 {
	t = t[:len(x)]
	var acc csum.Sum
	for i := range x {
		l, _ := elem(x[i], t[i], alpha, gamma, false)
		acc.Add(float64(l))
	}
	return acc.Value()
}
