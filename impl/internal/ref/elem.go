// Package ref is the sigmoid focal loss's reference algorithm in float64:
// impl/stable's kernel, and the scalar path that the vector kernels leave
// their hardest elements to (γ above 5, the soft-target lanes they flag).
// Hard targets take the z = x·(1-2t) form, whose terms never cancel; soft
// targets form 1-p_t in double-double (package dd), so that raising it to γ
// does not multiply a rounding error by γ, and σ(x) - t exactly where they
// are close. Every product that is added is written float64(x*y) and every
// wanted fusion is math.FMA, so that the results are the same on every
// architecture (see package dd).
package ref

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/dd"
)

// AlphaT returns the class weight α_t of target t: α for positives, 1-α for
// negatives, interpolated for soft targets; 1 when α < 0.
func AlphaT(alpha, t float64) float64 {
	if alpha < 0 {
		return 1
	}
	return float64(alpha*t) + float64((1-alpha)*(1-t))
}

// Elem returns the focal loss of one element and, when grad is set, its
// derivative with respect to x (0 otherwise). A NaN x or t gives NaN; x = ±Inf
// the limit of the formula.
func Elem(x, t, alpha, gamma float64, grad bool) (loss, dx float64) {
	return ElemAt(x, t, AlphaT(alpha, t), gamma, grad)
}

// ElemAt is Elem with the class weight α_t given instead of α: for a caller
// whose weight is not a call-wide α (a weight per class or per element).
// at must be finite and ≥ 0.
func ElemAt(x, t, at, gamma float64, grad bool) (loss, dx float64) {
	if math.IsInf(x, 0) {
		return limit(x, t, at, gamma)
	}
	if t == 0 || t == 1 {
		return hard(x, t, at, gamma, grad)
	}
	return soft(x, t, at, gamma, grad)
}

// hard is the z = x·(1-2t) form for t ∈ {0,1}: no term can cancel.
func hard(x, t, at, gamma float64, grad bool) (loss, dx float64) {
	z := x
	if t == 1 {
		z = -x
	}
	e := math.Exp(-math.Abs(z))
	l1p := math.Log1p(e)
	ce := math.Max(z, 0) + l1p
	mod := 1.0
	if gamma != 0 {
		mod = powSigmoid(z, gamma, l1p)
	}
	loss = at * mod * ce
	if !grad {
		return loss, 0
	}
	big := 1 / (1 + e)
	small := e * big
	sz, snz := big, small // σ(z), σ(-z)
	if z < 0 {
		sz, snz = small, big
	}
	dx = at * mod * (float64(gamma*snz*ce) + sz)
	if t == 1 {
		dx = -dx
	}
	return loss, dx
}

// soft handles 0 < t < 1 with the general form. 1-p_t is formed in double-double
// from double-double sigmoids, so that raising it to γ does not multiply a
// float64 rounding error by γ. Every sum has terms of one sign except σ(x)-t,
// which is formed from the double-double σ(x): σ.hi-t is exact where they are
// close, so σ(x)-t keeps its relative accuracy wherever σ(x) is near t, at
// t = 1/2 and x ≈ 0 as well as at t near 0 or 1 and large |x|.
func soft(x, t, at, gamma float64, grad bool) (loss, dx float64) {
	loss, dt, gt := softTerms(x, t, at, gamma, grad)
	if gamma != 0 {
		dt += gt
	}
	return loss, at * dt
}

// softTerms is soft with the gradient's two terms apart, before α_t:
// q^γ·(σ(x)-t) and γ·q^(γ-1)·(1-2t)·σ(x)σ(-x)·CE (0 where γ = 0).
func softTerms(x, t, at, gamma float64, grad bool) (loss, dt, gt float64) {
	sd, snd := dd.Sigmoids(x)
	q := snd.MulF(t).Add(sd.Mul(dd.TwoSum(1, -t))) // 1-p_t
	l1p := math.Log1p(math.Exp(-math.Abs(x)))
	// Two terms of one sign; the FMA saves one rounding.
	ce := math.FMA(t, math.Max(-x, 0)+l1p, float64((1-t)*(math.Max(x, 0)+l1p)))
	mod, k := 1.0, 0 // q^γ = mod·2^k
	switch {
	case gamma == 0:
	case gamma <= 1e15:
		// (hi+lo)^γ = hi^γ·exp(γ·log1p(lo/hi)); exp, not 1+γ·lo/hi, which
		// is off by (γ·lo/hi)²/2 once γ nears 1/eps.
		mod, k = powDD(q, gamma)
	default:
		// The double-double's absolute error, ~2^-106, times γ would swamp a
		// p_t below it: take log q = log1p(-p_t) from p_t itself, whose
		// terms have one sign. q ≤ 1/2 gives q^γ = 0 at such γ.
		mod = 0
		if pt := float64(t*sd.Hi) + float64((1-t)*snd.Hi); pt < 0.5 {
			mod = math.Exp(gamma * math.Log1p(-pt))
		}
	}
	loss = math.Ldexp(at*mod*ce, k)
	if !grad {
		return loss, 0, 0
	}
	s, sn := sd.Hi, snd.Hi
	dt = math.Ldexp(float64(mod*dd.SigmoidMinus(sd, snd, t)), k)
	switch {
	case gamma == 0:
	case k == 0:
		gt = float64(gamma * (mod / q.Hi) * (1 - 2*t) * s * sn * ce)
	default:
		// mod/q.Hi could overflow where mod is scaled up; σ(x)σ(-x)/q is
		// at most 2 (q ≥ σ(x)/2 for t ≤ 1/2, ≥ σ(-x)/2 above).
		gt = math.Ldexp(float64(gamma*mod*(1-2*t)*(float64(s*sn)/q.Hi)*ce), k)
	}
	return loss, dt, gt
}

// Scale returns the size of the gradient's two terms,
// α_t·(|γ·(1-p_t)^(γ-1)·(1-2t)·σ(x)σ(-x)·CE| + |(1-p_t)^γ·(σ(x)-t)|), as
// ElemAt forms them: what the module's gradient error is measured against
// (the golden rows' ref_grad_scale), so that a difference that cancels is
// not charged against its small result. For a hard target, or x = ±Inf,
// the terms have one sign and it is |dx|. at ≥ 0.
func Scale(x, t, at, gamma float64) float64 {
	if math.IsInf(x, 0) || t == 0 || t == 1 {
		_, dx := ElemAt(x, t, at, gamma, true)
		return math.Abs(dx)
	}
	_, dt, gt := softTerms(x, t, at, gamma, true)
	return at * (math.Abs(dt) + math.Abs(gt))
}

// limit returns the limits of the loss and gradient as x → ±Inf.
func limit(x, t, at, gamma float64) (loss, dx float64) {
	if t != t {
		return t, t
	}
	// q = 1-p_t and the slope of CE in the limit: CE → +Inf unless the
	// target matches the sign (t = 1 at +Inf, t = 0 at -Inf).
	q, dce := 1-t, 1-t // x → +Inf: σ(x) → 1
	if x < 0 {
		q, dce = t, -t // σ(x) → 0
	}
	mod := 1.0
	if gamma != 0 {
		mod = math.Pow(q, gamma)
	}
	if q == 0 || at == 0 {
		return 0, 0
	}
	// Where q^γ underflows to 0 the loss is still α_t·q^γ·(+Inf) = +Inf.
	return math.Inf(1), at * mod * dce
}
