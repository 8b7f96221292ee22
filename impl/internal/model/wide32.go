package model

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/dd"
)

// WideGamma bounds the γ the float32 lanes take. Their error grows with γ,
// because the float32 log's own rounding is multiplied by γ in
// exp(γ·log σ(z)): measured against stable over x ∈ [-60, 60], 3 ULP at γ = 5
// (the golden vectors' largest), 5 at 8, 6 at 10, 62 at 100; and past
// MaxFloat32 γ is no float32 at all. A call with a larger γ (Params32.wide)
// runs the generic loops, where a hard target takes ElemWide32: float64, within
// 1 ULP, at scalar speed (tens of ns per element): right over the whole domain, fast where focal
// loss is used (the paper's γ runs from 0 to 5).
const WideGamma = 5

// wideAlpha: a positive α below it would lose its digits as a float32 hi+lo
// pair (2^-126 and below are subnormal), yet α·CE is a normal float32 for CE
// up to MaxFloat32 (α = 1.4e-76 at x = 2.3e38 gave 0 for 3.3e-38).
const wideAlpha = 0x1p-100

// wideParams reports whether a call takes the float64 paths for every element.
func wideParams(alpha, gamma float64) bool {
	return gamma > WideGamma || (alpha > 0 && alpha < wideAlpha)
}

// ElemWide32 returns the loss and gradient of one element with a hard target
// (t ∈ {0,1}) in float64, with σ(z)^γ in log space, log σ(z) = -softplus(-z),
// so that γ·log σ(z) keeps its relative accuracy however large γ is. (Soft
// targets always take ElemSoft32, which does the same with log1p(-p_t).)
func ElemWide32(x32, t32 float32, p *Params32) (loss, grad float32) {
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
	m := math.Exp(-p.Gamma * (math.Max(-z, 0) + l))
	l64 := at * m * ce
	if at == 0 {
		l64 = 0 // even where CE = +Inf (x = ±Inf)
	}
	// (1-2t)·α_t·σ(z)^γ·(γ·σ(-z)·CE + σ(z)); σ(-z)·CE → 0 where CE = +Inf
	g := (1 - 2*t) * at * m * (float64(p.Gamma*snz*math.Min(ce, math.MaxFloat64)) + sz)
	return float32(l64), float32(g)
}

// ElemSoft32 computes the loss and gradient of one element with a soft target
// (t not exactly 0 or 1, or NaN) in float64: every soft element where γ is
// above WideGamma, and the lanes of the general form (soft.go) that it
// leaves to float64. σ(x) - t is taken from double-double sigmoids where it
// is below 2^-20 of its terms (e + t): float64's own rounding would be more
// than a unit of it there.
func ElemSoft32(x32, t32 float32, p *Params32) (loss, grad float32) {
	x, t := float64(x32), float64(t32)
	a := math.Abs(x)
	e := math.Exp(-a)
	em := math.Expm1(-a) // e-1, kept separately: 1+em loses e's digits for large |x|
	den := 2 + em        // 1+e
	sp := 1 / den        // σ(|x|)
	sn := e * sp         // σ(-|x|)
	l := math.Log1p(e)
	sx, snx := sp, sn
	var px, nx float64
	// d = σ(x) - t, with no cancellation but where σ(x) ≈ t: from expm1 near
	// x = 0 (σ(x) - 1/2 = -em/(2·den)), and as e/den - t for x ≤ -1, where
	// (1-t)·em would carry em's absolute error into a small σ(x) - t.
	d := ((1 - 2*t) - float64(t*em)) / den
	if math.Signbit(x) {
		sx, snx = sn, sp
		nx = -x
		if a < 1 {
			d = ((1 - 2*t) + float64((1-t)*em)) / den
		} else {
			d = (e - float64(t*den)) / den
		}
	} else {
		px = x
	}
	if math.Abs(d) < 0x1p-20*(e+t) {
		d = dd.SigmaMinus(x, t)
	}
	ce := float64(t*(nx+l)) + float64((1-t)*(px+l))
	q := float64(t*snx) + float64((1-t)*sx)
	g := p.Gamma
	m := 1.0
	if p.Mode != Mode0 {
		// q^γ in log space, with log q = log1p(-p_t) where q is near 1:
		// q itself has rounded away a p_t below 2^-53, which a large γ
		// would bring back (x=44, t=6.7e-44, γ=4.6e15 gave m = 1, truth 0.9997).
		pt := float64(t*sx) + float64((1-t)*snx)
		logq := math.Log(q)
		if pt < 0.5 {
			logq = math.Log1p(-pt)
		}
		m = math.Exp(g * logq)
	}
	at := p.alphaT(t)
	inner := d
	if p.Mode != Mode0 && q > 0 {
		// σ(x)σ(-x)·CE → 0 as x → ±Inf, where CE = +Inf: hold CE finite
		inner += g * (1 - 2*t) * sx * snx * math.Min(ce, math.MaxFloat64) / q
	}
	loss64 := at * m * ce
	switch {
	case at == 0: // even where CE = +Inf (x = ±Inf)
		loss64 = 0
	case math.IsInf(ce, 1) && q > 0:
		// x = ±Inf: the limit is +Inf even where q^γ underflows to 0
		loss64 = ce
	}
	return float32(loss64), float32(at * m * inner)
}

// alphaT returns α_t in float64 from α as given.
func (p *Params32) alphaT(t float64) float64 {
	if p.Alpha < 0 {
		return 1
	}
	return float64(p.Alpha*t) + float64((1-p.Alpha)*(1-t))
}
