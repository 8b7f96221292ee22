package asm

import "math"

// The float64 kernels' scalar path: impl/stable's float64 algorithm (elem.go,
// power.go), kept here as wide.go keeps float32's so that the impl packages
// import none of each other. It takes every element of a call whose γ is
// above wideGamma (the lanes' error grows with γ, as float32's does), or
// whose α is below wideAlpha64, and the lanes of the general form that
// soft64.go leaves to it (elemSoft64).

// wideAlpha64: a positive α below it would make α_t·m subnormal, where its
// exact error (by fma) is lost, while the loss can still be normal.
const wideAlpha64 = 0x1p-900

// wideParams64 reports whether a call takes the scalar float64 path for
// every element.
func wideParams64(alpha, gamma float64) bool {
	return gamma > wideGamma || (alpha > 0 && alpha < wideAlpha64)
}

// alphaT64 returns α_t in float64 from α as given.
func (p *params64) alphaT64(t float64) float64 {
	if p.alpha < 0 {
		return 1
	}
	return float64(p.alpha*t) + float64((1-p.alpha)*(1-t))
}

// elemWide64 is stable's hard form: σ(z)^γ = exp(-γ·softplus(-z)) with γ·|z|
// split exactly, so that its error does not grow with γ.
func elemWide64(x, t float64, p *params64) (loss, grad float64) {
	at := p.alphaT64(t)
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
		mod = powSigmoid64(z, gamma, l1p)
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

// powSigmoid64 returns σ(z)^γ for γ > 0 as exp(-γ·softplus(-z)); l1p is
// log1p(e^-|z|).
func powSigmoid64(z, gamma, l1p float64) float64 {
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

// elemSoft64 is stable's general form: 1-p_t in double-double from
// double-double sigmoids, so that raising it to γ does not multiply a
// float64 rounding error by γ, and σ(x)-t exact where they are close. A NaN
// x or t gives NaN.
func elemSoft64(x, t float64, p *params64) (loss, grad float64) {
	at := p.alphaT64(t)
	if math.IsInf(x, 0) {
		return limit64(x, t, at, p.gamma)
	}
	gamma := p.gamma
	sd, snd := sigmoidsDD(x)
	q := snd.mulF(t).add(sd.mul(twoSum(1, -t)))
	l1p := math.Log1p(math.Exp(-math.Abs(x)))
	ce := math.FMA(t, math.Max(-x, 0)+l1p, float64((1-t)*(math.Max(x, 0)+l1p)))
	mod := 1.0
	switch {
	case gamma == 0:
	case gamma <= 1e15:
		mod = powDD64(q, gamma)
	default:
		mod = 0
		if pt := float64(t*sd.hi) + float64((1-t)*snd.hi); pt < 0.5 {
			mod = math.Exp(gamma * math.Log1p(-pt))
		}
	}
	loss = float64(at*mod) * ce
	dx := float64(mod * sigmoidMinus64(sd, snd, t))
	if gamma != 0 {
		dx += float64(gamma * (mod / q.hi) * (1 - 2*t) * sd.hi * snd.hi * ce)
	}
	return loss, at * dx
}

// powDD64 is stable's powDD: q^γ for a double-double q as exp(γ·log q),
// log q refined against the double-double exp and γ·log q split exactly,
// so that the error does not grow with |γ·log q|.
func powDD64(q dd, gamma float64) float64 {
	if q.hi == 0 {
		return 0
	}
	lh := math.Log(q.hi)
	e := expNegDD(lh)
	d := twoSum(e.hi, -q.hi)
	delta := (d.hi + (d.lo + e.lo)) / q.hi
	ll := math.Log1p(q.lo/q.hi) - delta
	hi := float64(gamma * lh)
	lo := math.FMA(gamma, lh, -hi) + float64(gamma*ll)
	return math.Exp(hi) * math.Exp(lo)
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
	return math.Inf(1), float64(at*mod) * dce
}

// sigmoidsDD returns σ(x) and σ(-x) as dd.
func sigmoidsDD(x float64) (s, sneg dd) {
	e := expNegDD(-math.Abs(x))
	big := twoSum(1, e.hi)
	big = fastTwoSum(big.hi, big.lo+e.lo).recip()
	small := e.mul(big)
	if x >= 0 {
		return big, small
	}
	return small, big
}

// sigmoidMinus64 returns σ(x)-t from the double-double σ(x) and σ(-x),
// exact where they are close.
func sigmoidMinus64(s, sneg dd, t float64) float64 {
	if t > 0.5 {
		d := twoSum(1-t, -sneg.hi)
		return d.hi + (d.lo - sneg.lo)
	}
	d := twoSum(s.hi, -t)
	return d.hi + (d.lo + s.lo)
}
