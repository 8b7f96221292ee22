package kit

import (
	"math"
	"math/big"

	"github.com/focalkernels/focal/internal/bigref"
)

// This file is an independent float64 reference of the focal loss, written
// from the formulas in the module's README without looking at impl/stable's
// algorithm (it shares no code with it), and the tolerances the properties use.
// Every product that is added is written float64(x*y): Go may fuse x*y + z
// into one FMA where it is not (arm64 does), and the reference should compute
// the same on every architecture.

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
	return float64(alpha*t) + float64((1-alpha)*(1-t))
}

// bce is the binary cross-entropy -(t·log σ(x) + (1-t)·log(1-σ(x))) as
// t·softplus(-x) + (1-t)·softplus(x); hard targets and infinite x take the limit.
func bce(x, t float64) float64 {
	if t != 0 && t != 1 && math.IsInf(x, 0) {
		return math.Inf(1)
	}
	return byTarget(softplus, x, t)
}

// oneMinusPt is 1-p_t = t·σ(-x) + (1-t)·σ(x), a sum of non-negative terms.
func oneMinusPt(x, t float64) float64 { return byTarget(sigma, x, t) }

// byTarget is t·f(-x) + (1-t)·f(x): f(x) or f(-x) alone for a hard target,
// whatever the other term would be.
func byTarget(f func(float64) float64, x, t float64) float64 {
	switch t {
	case 0:
		return f(x)
	case 1:
		return f(-x)
	}
	return float64(t*f(-x)) + float64((1-t)*f(x))
}

// sigmaMinusT is σ(x) - t. In float64 it is formed without cancellation
// beyond the unavoidable one: for |x| ≤ 1 as ((1-2t) - t·m)/(2+m) with
// m = e^-x - 1 (1-2t is exact for t ≥ 1/4, and smaller t cannot come near σ(x)
// there); for x > 1 and t ≥ 1/2 as (1-t) - σ(-x) (1-t exact); else σ(x) - t.
// Where the two terms of that difference cancel (σ(x) near t), it is taken
// again in 200-bit arithmetic (bigSigmaMinusT).
func sigmaMinusT(x, t float64) float64 {
	var d, a, b float64 // d = a - b
	switch {
	case math.Abs(x) <= 1:
		m := math.Expm1(-x)
		a, b = (1-2*t)/(2+m), t*m/(2+m)
		d = ((1 - 2*t) - float64(t*m)) / (2 + m)
	case x > 1 && t >= 0.5:
		a, b = 1-t, sigma(-x)
		d = a - b
	default:
		a, b = sigma(x), t
		d = a - b
	}
	if math.Abs(d) < math.Max(math.Abs(a), math.Abs(b))/8 && !math.IsInf(x, 0) && x == x {
		return bigSigmaMinusT(x, t)
	}
	return d
}

func newBig(v float64) *big.Float { return bigref.Float(v) }

// bigSigmaMinusT is σ(x) - t computed with 200-bit floats, rounded once:
// (1-t) - e/(1+e) with e = e^-x for x ≥ 0, e/(1+e) - t with e = e^x for x < 0.
func bigSigmaMinusT(x, t float64) float64 {
	if math.Abs(x) > 1100 { // e^-|x| is far below any float64 t's spacing
		return sigma(x) - t
	}
	e := bigref.Exp(newBig(-math.Abs(x)))
	den := newBig(1)
	den.Add(den, e)
	small := newBig(0).Quo(e, den) // σ(-|x|)
	if x < 0 {
		return f64(small.Sub(small, newBig(t)))
	}
	r := newBig(1)
	r.Sub(r, newBig(t))
	return f64(r.Sub(r, small))
}

func f64(v *big.Float) float64 {
	f, _ := v.Float64()
	return f
}

// refVals are the reference loss and gradient of one element, and the
// gradient's scale: the size of the terms whose sum the gradient is, the
// measure of ulp.GradErr. With term1 = γ(1-p_t)^(γ-1)(1-2t)σσ̄·CE and
// term2 = (1-p_t)^γ·(σ-t), the golden scale is |α_t|(|term1| + |term2|),
// used when goldenScale is set; otherwise σ-t itself counts as the two terms
// (σ-1/2) + (1/2-t), so that cancellation of σ(x) against a target t near it
// is not charged to a kernel, while t = 1/2 still demands an exact-relative
// σ(x) - 1/2.
// naiveScale is the golden scale |α_t|(|term1| + |term2|), the measure of a
// relative bar (focal.Bar.Rel: naive's), and +Inf, so that nothing is
// checked, for soft targets with |σ(x) - t| < 0.01, which such a bar excepts
// (naive forms p - t in the element type).
type refVals struct {
	loss, grad, scale, naiveScale float64
}

// goldenScale set measures gradients against the golden scale, in which σ-t
// is one term, as the golden test does. impl/stable meets it: it forms σ(x)-t
// from double-double sigmoids, as σ(x)-t for t ≤ 1/2 and (1-t)-σ(-x) above,
// so float32 x=-80, t=1e-30, γ=0 (which once gave 0, truth -1.0e-30) and
// float64 x=36.70000000000001, t=1-2^-53, γ=0 (which once was 14 units of
// scale·eps off) are exact-relative.
const goldenScale = true

// ref returns the reference values for finite x.
func ref(x, t, alpha, gamma float64) refVals {
	at := alphaT(t, alpha)
	ce := bce(x, t)
	q := oneMinusPt(x, t)
	mod := 1.0
	if gamma != 0 {
		mod = math.Pow(q, gamma)
	}
	s, sn := sigma(x), sigma(-x)
	// γ(1-p_t)^(γ-1)σσ̄ as γ·(1-p_t)^γ·(σσ̄/(1-p_t)), where σσ̄/(1-p_t) is
	// σ(-x) for t = 0 and σ(x) for t = 1: q^(γ-1) alone overflows where q
	// underflows (x = -744, t = 0, γ = 0.001: Inf·0) while the product is tiny.
	var ssq float64
	switch {
	case t == 0:
		ssq = sn
	case t == 1:
		ssq = s
	case q > 0:
		ssq = s * sn / q
	}
	if gamma != 0 && mod < 0x1p-1022 && q > 0 && ce > 1 {
		// (1-p_t)^γ is subnormal or 0 while CE is large enough that the
		// loss may still be a normal number (a tiny soft target at a huge
		// |x|: x = -1.486e215, t = 2^-401, γ = 3 loses 2.09e-268 to 0 as
		// the product of float64s): the math/big reference, which scales
		// nothing
		loss, grad, scale := bigref.Ref64(x, t, alpha, gamma)
		return refVals{loss: loss, grad: grad, scale: scale, naiveScale: scale}
	}
	term1 := 0.0
	if gamma != 0 {
		term1 = float64(gamma * mod * (1 - 2*t) * ssq * ce)
	}
	term2 := float64(mod * sigmaMinusT(x, t))
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

// scaleFor picks the gradient scale a kernel with tolerance tl is measured
// against: the relative scale for a relative bar.
func (r refVals) scaleFor(tl tol) float64 {
	if tl.rel > 0 {
		return r.naiveScale
	}
	return r.scale
}
