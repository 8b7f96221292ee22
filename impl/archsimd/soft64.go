//go:build goexperiment.simd && amd64 && !purego

package archsimd

import "math"

// The float64 kernels' scalar paths, impl/stable's algorithm (elem.go,
// power.go) copied: soft targets (and NaN targets), and hard targets in calls
// whose γ is above wideGamma64. A vector soft-target path can replace
// elemSoft64 without touching the kernels' structure: they flag a vector with
// a soft lane and leave its soft elements to the caller.

// wideGamma64 bounds the γ the float64 lanes take, as wideGamma32 does the
// float32 lanes'.
const wideGamma64 = 5

// elemSoft64 returns the loss and gradient of one element whose target is
// not exactly 0 or 1 (or is NaN), from double-double sigmoids: 1-p_t in
// double-double, so that raising it to γ does not multiply a float64 rounding
// error by γ, and σ(x)-t exact where they are close.
func elemSoft64(x, t float64, p *params64) (loss, grad float64) {
	at := alphaT(p.alpha, t)
	if math.IsInf(x, 0) {
		return limit64(x, t, at, p.gamma)
	}
	gamma := p.gamma
	sd, snd := sigmoidsDD(x)
	q := snd.mulF(t).add(sd.mul(twoSum(1, -t))) // 1-p_t
	l1p := math.Log1p(math.Exp(-math.Abs(x)))
	ce := math.FMA(t, math.Max(-x, 0)+l1p, float64((1-t)*(math.Max(x, 0)+l1p)))
	mod := 1.0
	switch {
	case gamma == 0:
	case gamma <= 1e15:
		mod = powDD(q, gamma)
	default:
		// the double-double's absolute error times γ would swamp a p_t below
		// it: log q = log1p(-p_t) from p_t itself
		mod = 0
		if pt := float64(t*sd.hi) + float64((1-t)*snd.hi); pt < 0.5 {
			mod = math.Exp(gamma * math.Log1p(-pt))
		}
	}
	loss = float64(at*mod) * ce
	dx := float64(mod * sigmoidMinus(sd, snd, t))
	if gamma != 0 {
		dx += float64(gamma * (mod / q.hi) * (1 - 2*t) * sd.hi * snd.hi * ce)
	}
	return loss, at * dx
}

// elemWide64 returns the loss and gradient of one element with a hard target
// in float64 (impl/stable's hard form): σ(z)^γ = exp(-γ·softplus(-z)) with
// γ·|z| split exactly, so that its error does not grow with γ.
func elemWide64(x, t float64, p *params64) (loss, grad float64) {
	at := alphaT(p.alpha, t)
	if math.IsInf(x, 0) {
		return limit64(x, t, at, p.gamma)
	}
	gamma := p.gamma
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
	loss = float64(at*mod) * ce
	big := 1 / (1 + e)
	small := e * big
	sz, snz := big, small
	if z < 0 {
		sz, snz = small, big
	}
	dx := float64(at*mod) * (float64(gamma*snz*ce) + sz)
	if t == 1 {
		dx = -dx
	}
	return loss, dx
}

// powSigmoid returns σ(z)^γ for γ > 0 as exp(-γ·softplus(-z)), γ·|z| split
// exactly into hi+lo; l1p is log1p(e^-|z|).
func powSigmoid(z, gamma, l1p float64) float64 {
	if z >= 0 {
		return math.Exp(-gamma * l1p)
	}
	a := -z
	hi := float64(gamma * a)
	if hi > 746 {
		return 0
	}
	lo := math.FMA(gamma, a, -hi) + float64(gamma*l1p)
	return math.Exp(-hi) * math.Exp(-lo)
}

// limit64 returns the limits of the loss and gradient as x → ±Inf.
func limit64(x, t, at, gamma float64) (loss, dx float64) {
	if t != t {
		return t, t
	}
	q, dce := 1-t, 1-t // x → +Inf: σ(x) → 1
	if x < 0 {
		q, dce = t, -t
	}
	mod := 1.0
	if gamma != 0 {
		mod = math.Pow(q, gamma)
	}
	if q == 0 || at == 0 {
		return 0, 0
	}
	// where q^γ underflows to 0 the loss is still α_t·q^γ·(+Inf) = +Inf
	return math.Inf(1), float64(at*mod) * dce
}

// sigmoidMinus returns σ(x)-t from the double-double σ(x) and σ(-x), exact
// where they are close.
func sigmoidMinus(s, sneg dd, t float64) float64 {
	if t > 0.5 {
		d := twoSum(1-t, -sneg.hi)
		return d.hi + (d.lo - sneg.lo)
	}
	d := twoSum(s.hi, -t)
	return d.hi + (d.lo + s.lo)
}

// powDD returns q^γ for a double-double q in [0, 1] and 0 < γ ≤ 1e15 as
// exp(γ·log q), impl/stable's: log q to about 2^-100 relative (math.Log
// refined by one Newton step against the double-double exp, plus
// log1p(lo/hi)) and γ·log q split exactly into hi+lo with an FMA, so that
// the error does not grow with |γ·log q| as math.Pow's does (8.5 ULP at
// q = 3.6e-9, γ = 0.425).
func powDD(q dd, gamma float64) float64 {
	if q.hi == 0 {
		return 0
	}
	lh := math.Log(q.hi)
	e := expNegDD(lh) // e^lh = q.hi·(1+δ), so log q.hi = lh - δ
	d := twoSum(e.hi, -q.hi)
	delta := (d.hi + (d.lo + e.lo)) / q.hi
	ll := math.Log1p(q.lo/q.hi) - delta
	hi := float64(gamma * lh)
	lo := math.FMA(gamma, lh, -hi) + float64(gamma*ll)
	return math.Exp(hi) * math.Exp(lo)
}
