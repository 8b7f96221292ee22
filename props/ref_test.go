package props

import (
	"math"
	"strings"

	"github.com/focalkernels/focal/impl/naive"
	"github.com/focalkernels/focal/internal/ulp"
)

// This file is an independent float64 reference of the focal loss, written
// from the formulas of DESIGN.md without looking at impl/stable's algorithm
// (it shares no code with it), and the tolerances the properties use.

// softplus is log(1+e^y), computed so that it neither overflows nor loses e^y.
func softplus(y float64) float64 {
	if y > 0 {
		return y + math.Log1p(math.Exp(-y))
	}
	return math.Log1p(math.Exp(y))
}

// sigma is σ(y) = 1/(1+e^-y), with relative accuracy for both signs.
func sigma(y float64) float64 {
	if y >= 0 {
		return 1 / (1 + math.Exp(-y))
	}
	e := math.Exp(y)
	return e / (1 + e)
}

// alphaT is the class weight of target t.
func alphaT(t, alpha float64) float64 {
	if alpha < 0 {
		return 1
	}
	return alpha*t + (1-alpha)*(1-t)
}

// bce is the binary cross-entropy -(t·log σ(x) + (1-t)·log(1-σ(x))) as
// t·softplus(-x) + (1-t)·softplus(x); hard targets and infinite x take the limit.
func bce(x, t float64) float64 {
	switch {
	case t == 0:
		return softplus(x)
	case t == 1:
		return softplus(-x)
	case math.IsInf(x, 0):
		return math.Inf(1)
	}
	return t*softplus(-x) + (1-t)*softplus(x)
}

// oneMinusPt is 1-p_t = t·σ(-x) + (1-t)·σ(x), a sum of non-negative terms.
func oneMinusPt(x, t float64) float64 {
	switch {
	case t == 0:
		return sigma(x)
	case t == 1:
		return sigma(-x)
	}
	return t*sigma(-x) + (1-t)*sigma(x)
}

// sigmaMinusT is σ(x) - t without cancellation beyond the unavoidable one
// (σ(x) near t): for |x| ≤ 1 as ((1-2t) - t·m)/(2+m) with m = e^-x - 1 (1-2t
// is exact for t ≥ 1/4, and smaller t cannot come near σ(x) there); for x > 1
// and t ≥ 1/2 as (1-t) - σ(-x) (1-t exact); x < -1 and t ≤ 1/2 likewise as
// σ(x) - t; elsewhere σ(x) and t are on opposite sides of 1/2.
func sigmaMinusT(x, t float64) float64 {
	switch {
	case math.Abs(x) <= 1:
		m := math.Expm1(-x)
		return ((1 - 2*t) - t*m) / (2 + m)
	case x > 1 && t >= 0.5:
		return (1 - t) - sigma(-x)
	}
	return sigma(x) - t
}

// refVals are the reference loss and gradient of one element, and the
// gradient's scale: the size of the terms whose sum the gradient is, the
// measure of ulp.GradErr. With term1 = γ(1-p_t)^(γ-1)(1-2t)σσ̄·CE and
// term2 = (1-p_t)^γ·(σ-t), the golden scale is |α_t|(|term1| + |term2|); here
// σ-t itself counts as the two terms (σ-1/2) + (1/2-t), so that the
// unavoidable cancellation of σ(x) against a target t near it is not charged
// to a kernel, while t = 1/2 still demands an exact-relative σ(x) - 1/2.
// naiveScale is the golden scale |α_t|(|term1| + |term2|), the measure of
// naive's declaration (impl/naive: within ValidRelErr of it), and +Inf, so
// that nothing is checked, for soft targets with |σ(x) - t| < 0.01, which the
// declaration excepts (naive forms p - t in the element type).
type refVals struct {
	loss, grad, scale, naiveScale float64
}

// goldenScale set measures gradients against the golden scale, in which σ-t
// is one term. impl/stable does not meet it for soft targets far from 1/2
// where σ(x) is near t's end of [0,1] (it forms σ(x)-t as tanh(x/2)/2 +
// (1/2-t)): float32 x=-80, t=1e-30, γ=0 gives gradient 0 (truth -1.0e-30);
// float64 x=37, t=0.9999999999999812, γ=0 gives 1.86517e-14 (truth
// 1.86774e-14). Set it once stable forms σ(x)-t as (1-t)-σ(-x) there.
const goldenScale = false

// ref returns the reference values for finite x.
func ref(x, t, alpha, gamma float64) refVals {
	at := alphaT(t, alpha)
	ce := bce(x, t)
	q := oneMinusPt(x, t)
	mod, dmod := 1.0, 0.0
	if gamma != 0 {
		mod = math.Pow(q, gamma)
		if q != 0 {
			dmod = gamma * math.Pow(q, gamma-1)
		}
	}
	s, sn := sigma(x), sigma(-x)
	term1 := dmod * (1 - 2*t) * s * sn * ce
	term2 := mod * sigmaMinusT(x, t)
	halves := mod * (math.Abs(math.Tanh(x/2))/2 + math.Abs(0.5-t))
	if goldenScale {
		halves = 0
	}
	return refVals{
		loss:       at * mod * ce,
		grad:       at * (term1 + term2),
		scale:      math.Abs(at) * (math.Abs(term1) + math.Max(math.Abs(term2), halves)),
		naiveScale: naiveScale(at, term1, term2, x, t),
	}
}

func naiveScale(at, term1, term2, x, t float64) float64 {
	if t != 0 && t != 1 && math.Abs(sigma(x)-t) < 0.01 {
		return math.Inf(1)
	}
	return math.Abs(at) * (math.Abs(term1) + math.Abs(term2))
}

// scaleFor picks the gradient scale that kernel name is measured against.
func (r refVals) scaleFor(name string) float64 {
	if isNaive(name) {
		return r.naiveScale
	}
	return r.scale
}

// tol is how far one kernel may be from a reference: loss in ULP of the element
// type, gradient in ulp.GradErr units (|g-ref|/(scale·eps)); for naive, a
// relative error of the loss and of the gradient's scale instead.
type tol struct {
	loss  uint64
	grad  float64
	rel   float64 // naive: relative error, used instead of loss and grad
	naive bool
}

// Bars against the truth, from the module's golden test (golden_test.go):
// float32 stable ≤ 1 ULP / grad ≤ 2, asm-* ≤ 4 / 8; float64 stable ≤ 4 / 8.
// Kernels the golden test does not name are held to the asm bar in float32
// and to the stable bar in float64. naive is held to naive.ValidRelErr inside
// naive.ValidRange32/64 and to nothing outside it.
func truthBar(name string, bits int) tol {
	if name == "naive" {
		return tol{rel: naive.ValidRelErr, naive: true}
	}
	if bits == 32 {
		if name == "stable" {
			return tol{loss: 1, grad: 2}
		}
		return tol{loss: 4, grad: 8}
	}
	return tol{loss: 4, grad: 8}
}

// vsTruthRef is the tolerance against this file's reference: the kernel's bar
// plus the reference's own error (its rounding to float32: 1 ULP; in float64 a
// few ULP of its own, 4 allowed) for loss and gradient.
func vsTruthRef(name string, bits int) tol {
	b := truthBar(name, bits)
	if b.naive {
		b.rel *= 1.01
		return b
	}
	if bits == 32 {
		b.loss++
		b.grad++
	} else {
		b.loss += 4
		b.grad += 4
	}
	return b
}

// vsStable is the tolerance of kernel name against the stable kernel of the
// same element type: the sum of both kernels' bars against the truth (stable
// is 0 against itself). float32: asm-* 4+1 = 5 ULP, gradient 8+2 = 10.
func vsStable(name string, bits int) tol {
	if name == "stable" {
		return tol{}
	}
	b, s := truthBar(name, bits), truthBar("stable", bits)
	if b.naive {
		b.rel *= 1.01
		return b
	}
	return tol{loss: b.loss + s.loss, grad: b.grad + s.grad}
}

// inRange reports whether kernel name is declared valid at x.
func inRange(name string, bits int, x float64) bool {
	if name != "naive" {
		return true
	}
	r := float64(naive.ValidRange64)
	if bits == 32 {
		r = naive.ValidRange32
	}
	return math.Abs(x) <= r
}

func isNaive(name string) bool { return name == "naive" }

func isAsm(name string) bool { return strings.HasPrefix(name, "asm") }

func eps(bits int) float64 {
	if bits == 32 {
		return ulp.Eps32
	}
	return ulp.Eps64
}

// closeLoss reports whether got is within tl of want, as values of the
// element type. Where want is below the smallest normal, an absolute error of
// one smallest normal is allowed (as in the golden test); NaN equals NaN.
func closeLoss(got, want float64, bits int, tl tol) bool {
	if got != got || want != want {
		return got != got && want != want
	}
	if tl.naive {
		return math.Abs(got-want) <= tl.rel*math.Abs(want)+minNormal(bits) || got == want
	}
	if bits == 32 {
		want = float64(float32(want))
	}
	if math.Abs(want) < minNormal(bits) {
		return math.Abs(got-want) <= minNormal(bits)
	}
	if bits == 32 {
		return ulp.Dist32(float32(got), float32(want)) <= tl.loss
	}
	return ulp.Dist64(got, want) <= tl.loss
}

// closeGrad reports whether the gradient got is within tl of want, measured
// with ulp.GradErr against scale; where scale is below the smallest normal an
// absolute error of one smallest normal is allowed.
func closeGrad(got, want, scale float64, bits int, tl tol) bool {
	if got != got || want != want {
		return got != got && want != want
	}
	if got == want {
		return true
	}
	if math.IsInf(want, 0) || math.IsInf(got, 0) {
		return false
	}
	if tl.naive {
		return math.IsInf(scale, 1) || math.Abs(got-want) <= tl.rel*scale+minNormal(bits)
	}
	if scale < minNormal(bits) {
		return math.Abs(got-want) <= minNormal(bits)
	}
	return ulp.GradErr(got, want, scale, eps(bits)) <= tl.grad
}

// gradErr is the measured error of got for messages.
func gradErr(got, want, scale float64, bits int) float64 {
	return ulp.GradErr(got, want, scale, eps(bits))
}
