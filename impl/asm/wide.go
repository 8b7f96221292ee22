package asm

import "math"

// wideGamma bounds the γ the float32 lanes take. Their error grows with γ,
// because the float32 log's own rounding is multiplied by γ in
// exp(γ·log σ(z)): measured against stable over x ∈ [-60, 60], 3 ULP at γ = 5
// (the golden vectors' largest), 5 at 8, 6 at 10, 62 at 100; and past
// MaxFloat32 γ is no float32 at all. A call with a larger γ (params.wide)
// runs the generic loops, where a hard target takes elemWide: float64, within
// 1 ULP, at scalar speed (tens of ns per element): right over the whole domain, fast where focal
// loss is used (the paper's γ runs from 0 to 5).
const wideGamma = 5

// wideAlpha: a positive α below it would lose its digits as a float32 hi+lo
// pair (2^-126 and below are subnormal), yet α·CE is a normal float32 for CE
// up to MaxFloat32 (α = 1.4e-76 at x = 2.3e38 gave 0 for 3.3e-38).
const wideAlpha = 0x1p-100

// wideParams reports whether a call takes the float64 paths for every element.
func wideParams(alpha, gamma float64) bool {
	return gamma > wideGamma || (alpha > 0 && alpha < wideAlpha)
}

// elemWide returns the loss and gradient of one element with a hard target
// (t ∈ {0,1}) in float64, with σ(z)^γ in log space, log σ(z) = -softplus(-z),
// so that γ·log σ(z) keeps its relative accuracy however large γ is. (Soft
// targets always take elemSoft, which does the same with log1p(-p_t).)
func elemWide(x32, t32 float32, p *params) (loss, grad float32) {
	x, t := float64(x32), float64(t32)
	if x != x {
		return x32, x32
	}
	at := p.alphaT(t)
	z := x
	if t == 1 {
		z = -x
	}
	e := math.Exp(-math.Abs(z))
	l := math.Log1p(e)
	big := 1 / (1 + e)
	sz, snz := big, e*big // σ(z), σ(-z)
	if z < 0 {
		sz, snz = snz, sz
	}
	ce := math.Max(z, 0) + l
	m := math.Exp(-p.gamma * (math.Max(-z, 0) + l))
	l64 := at * m * ce
	if at == 0 {
		l64 = 0 // even where CE = +Inf (x = ±Inf)
	}
	// (1-2t)·α_t·σ(z)^γ·(γ·σ(-z)·CE + σ(z)); σ(-z)·CE → 0 where CE = +Inf
	g := (1 - 2*t) * at * m * (float64(p.gamma*snz*math.Min(ce, math.MaxFloat64)) + sz)
	return float32(l64), float32(g)
}
