package asm

import "math"

// wideGamma bounds the γ the float32 lanes take. Their error grows with γ,
// because the float32 log's own rounding is multiplied by γ in
// exp(γ·log σ(z)): measured against stable over x ∈ [-60, 60], 3 ULP at γ = 5
// (the golden vectors' largest), 5 at 8, 6 at 10, 62 at 100; and past
// MaxFloat32 γ is no float32 at all. A call with a larger γ computes every
// element in float64 with elemWide instead, within 1 ULP, at scalar speed
// (tens of ns per element): right over the whole domain, fast where focal
// loss is used (the paper's γ runs from 0 to 5).
const wideGamma = 5

// elemWide returns the loss and gradient of one element in float64. A hard
// target takes σ(z)^γ in log space, log σ(z) = -softplus(-z), so that
// γ·log σ(z) keeps its relative accuracy however large γ is; a soft target
// is elemSoft's, which does the same with log1p(-p_t).
func elemWide(x32, t32 float32, p *params) (loss, grad float32) {
	x, t := float64(x32), float64(t32)
	if !(t == 0 || t == 1) {
		return elemSoft(x32, t32, p)
	}
	if x != x {
		return x32, x32
	}
	at := float64(p.a0) + float64(p.a0lo)
	z := x
	if t == 1 {
		at, z = float64(p.a1)+float64(p.a1lo), -x
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
	g := (1 - 2*t) * at * m * (p.gamma*snz*math.Min(ce, math.MaxFloat64) + sz)
	return float32(l64), float32(g)
}

func wideLoss32(dst, x, t []float32, p *params) {
	t = t[:len(x)]
	dst = dst[:len(x)]
	for i := range x {
		dst[i], _ = elemWide(x[i], t[i], p)
	}
}

func wideSum32(x, t []float32, p *params) float64 {
	t = t[:len(x)]
	var s float64
	for i := range x {
		l, _ := elemWide(x[i], t[i], p)
		s += float64(l)
	}
	return s
}

func wideLossGrad32(loss, grad, x, t []float32, p *params) {
	t = t[:len(x)]
	grad = grad[:len(x)]
	if loss != nil {
		loss = loss[:len(x)]
	}
	for i := range x {
		l, g := elemWide(x[i], t[i], p)
		if loss != nil {
			loss[i] = l
		}
		grad[i] = g
	}
}
