package naive

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/csum"
	"github.com/focalkernels/focal/impl/internal/form"
)

// The softmax focal loss as it is usually written for autograd (kornia's
// focal_loss, and most snippets), every operation rounded to the element
// type as a framework computes it:
//
//	logp = log_softmax(x)     = (x - max) - log Σ e^(x_j - max)
//	p_c  = exp(logp_c)
//	FL   = -α_c · (1 - p_c)^γ · logp_c
//
// and the gradient autograd gives: dFL/dlogp_c = K = -α_c·(1-p_c)^γ +
// p_c·γ(1-p_c)^(γ-1)·α_c·logp_c (through pow and exp), then log_softmax's
// backward, grad_j = δ_jc·K - exp(logp_j)·K. It breaks where the model is
// right and confident: 1 - p_c cancels (relative error about
// 2^-24/(1-p_c)·(γ+1) in float32), log Σ e^… = log(1 + small) loses the
// small, and p_c rounds to 1 once 1-p_c is below half an ULP of 1, where
// the loss is 0 instead of about α_c(1-p_c)^(γ+1), the gradient 0 too, and
// γ < 1 gives 0^(γ-1)·0 = NaN. The declared valid range (SoftmaxValidRange32,
// SoftmaxValidRange64: every logit of the row within it) is measured and
// asserted in this module's tests.
//
// Preconditions as impl/stable's softmax functions.

// SoftmaxValidRange32 and SoftmaxValidRange64 bound every logit of a row,
// |x_j| ≤ R, where the softmax functions are declared valid for γ ≤
// ValidGamma: there the loss and each gradient component are within a
// relative error of ValidRelErr of the truth (an absolute error of
// ValidRelErr times the smallest normal number where the truth is below
// it). C = 1 is outside it for 0 < γ < 1, where p_c = 1 exactly and the
// gradient is 0^(γ-1)·0 = NaN. With |x_j| ≤ R, 1-p_c ≥ e^(-2R), so the
// error is about eps·e^(2R)·(γ+1). Measured against a math/big reference
// (TestSoftmaxValidRange, which asserts it) on the golden rows in range,
// random rows and the rows where the error peaks (the label at ±R, the
// others at ∓R): float32 4.0e-4 in range and 0.043 at twice it; float64
// 8.1e-5, and NaN at twice it (p_c rounds to 1, γ = 0.5).
const (
	SoftmaxValidRange32 = 3.5
	SoftmaxValidRange64 = 13
)

// SoftmaxLoss32 writes each row's loss into dst.
func SoftmaxLoss32(dst []float32, r Rows[float32], p Params) { softmaxLoss(dst, nil, r, p) }

// SoftmaxLoss64 is SoftmaxLoss32 for float64.
func SoftmaxLoss64(dst []float64, r Rows[float64], p Params) { softmaxLoss(dst, nil, r, p) }

// SoftmaxSum32 returns the sum of the rows' losses (each rounded to float32,
// as SoftmaxLoss32 writes them) with compensated summation, and the number
// of rows not ignored.
func SoftmaxSum32(r Rows[float32], p Params) (sum float64, rows int) { return softmaxSum(r, p) }

// SoftmaxSum64 is SoftmaxSum32 for float64.
func SoftmaxSum64(r Rows[float64], p Params) (sum float64, rows int) { return softmaxSum(r, p) }

// SoftmaxLossGrad32 writes each row's loss (unless loss is nil) and its
// gradient with respect to the row's logits.
func SoftmaxLossGrad32(loss, grad []float32, r Rows[float32], p Params) {
	softmaxLossGrad(loss, grad, r, p)
}

// SoftmaxLossGrad64 is SoftmaxLossGrad32 for float64.
func SoftmaxLossGrad64(loss, grad []float64, r Rows[float64], p Params) {
	softmaxLossGrad(loss, grad, r, p)
}

// softmaxRow returns the row's loss and, if grad is not nil, writes its
// gradient, for the weight w.
func softmaxRow[F float](x []F, c int, alpha float64, gamma float64, w F, grad []F) F {
	m := x[0]
	for _, v := range x {
		if v > m || v != v {
			m = v // NaN propagates, as torch's max does
		}
	}
	var s F
	for _, v := range x {
		s += F(math.Exp(float64(v - m)))
	}
	ls := F(math.Log(float64(s)))
	logp := (x[c] - m) - ls
	pc := F(math.Exp(float64(logp)))
	om := 1 - pc
	mod := F(math.Pow(float64(om), gamma))
	a := F(alpha)
	loss := F(a*F(-mod*logp)) * w
	if grad == nil {
		return loss
	}
	// autograd: upstream w through α, the product, pow and exp
	up := F(w * a)
	k := F(-mod * up)
	if gamma != 0 {
		dmod := F(F(gamma) * F(math.Pow(float64(om), gamma-1)))
		k += F(pc * F(dmod*F(logp*up)))
	}
	for j, v := range x {
		e := F(math.Exp(float64((v - m) - ls)))
		g := -F(e * k)
		if j == c {
			g = k - F(e*k)
		}
		grad[j] = g
	}
	return loss
}

func rowWeight[F float](r form.Rows[F], n int) F {
	if r.Weight == nil {
		return 1
	}
	return r.Weight[n]
}

// softmaxLoss writes the rows' losses into dst and, if grad is not nil,
// their gradients.
func softmaxLoss[F float](dst, grad []F, r form.Rows[F], p form.Params) {
	C := r.C
	for n, l := range r.Labels {
		var g []F
		if grad != nil {
			g = grad[n*C : (n+1)*C]
		}
		var v F
		if l >= 0 {
			v = softmaxRow(r.X[n*C:(n+1)*C], int(l), p.SoftmaxAlpha(int(l)), p.Gamma, rowWeight(r, n), g)
		} else {
			clear(g)
		}
		if dst != nil {
			dst[n] = v
		}
	}
}

func softmaxLossGrad[F float](loss, grad []F, r form.Rows[F], p form.Params) {
	softmaxLoss(loss, grad, r, p)
}

func softmaxSum[F float](r form.Rows[F], p form.Params) (float64, int) {
	C := r.C
	var acc csum.Sum
	for n, c := range r.KeptRows() {
		acc.Add(float64(softmaxRow(r.X[n*C:(n+1)*C], c, p.SoftmaxAlpha(c), p.Gamma, rowWeight(r, n), nil)))
	}
	return acc.Value(), r.Kept()
}
