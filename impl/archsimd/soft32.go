//go:build goexperiment.simd && amd64 && !purego

package archsimd

import "math"

// The float32 kernels' scalar float64 paths, as impl/asm has them
// (impl/asm/wide.go): the lanes of the general form (general32.go) that it
// leaves to float64, and every element of a call whose γ or α the float32
// lanes cannot take.

// wideGamma32 bounds the γ the float32 lanes take: their error grows with γ,
// because the float32 log's own rounding is multiplied by γ in
// exp(γ·log σ(z)) (impl/asm measured 3 ULP at γ = 5, 5 at 8, 62 at 100).
const wideGamma32 = 5

// wideAlpha32: a positive α below it would lose its digits as a float32 hi+lo
// pair (2^-126 and below are subnormal).
const wideAlpha32 = 0x1p-100

// wideParams32 reports whether a call takes the float64 paths for every element.
func wideParams32(alpha, gamma float64) bool {
	return gamma > wideGamma32 || (alpha > 0 && alpha < wideAlpha32)
}

// alphaT returns α_t in float64 from α as given.
func alphaT(alpha, t float64) float64 {
	if alpha < 0 {
		return 1
	}
	return float64(alpha*t) + float64((1-alpha)*(1-t))
}

// elemSoft32 computes the loss and gradient of one element with a soft target
// (t not exactly 0 or 1, or NaN) in float64: every soft element of a wide
// call, and the lanes of the general form that it leaves to float64. σ(x) - t
// is taken from double-double sigmoids where it is below 2^-20 of its terms
// (e + t): float64's own rounding would be more than a unit of it there.
func elemSoft32(x32, t32 float32, p *params32) (loss, grad float32) {
	x, t := float64(x32), float64(t32)
	a := math.Abs(x)
	e := math.Exp(-a)
	em := math.Expm1(-a)  // e-1, kept separately: 1+em loses e's digits for large |x|
	den := 2 + em         // 1+e
	sp := 1 / den         // σ(|x|)
	sn := float64(e * sp) // σ(-|x|)
	l := math.Log1p(e)
	sx, snx := sp, sn
	var px, nx float64
	// d = σ(x) - t, with no cancellation but where σ(x) ≈ t: from expm1 near
	// x = 0 (σ(x) - 1/2 = -em/(2·den)), and as e/den - t for x ≤ -1, where
	// (1-t)·em would carry em's absolute error into a small σ(x) - t.
	d := ((1 - float64(2*t)) - float64(t*em)) / den
	if math.Signbit(x) {
		sx, snx = sn, sp
		nx = -x
		if a < 1 {
			d = ((1 - float64(2*t)) + float64((1-t)*em)) / den
		} else {
			d = (e - float64(t*den)) / den
		}
	} else {
		px = x
	}
	if math.Abs(d) < float64(0x1p-20*(e+t)) {
		s, sneg := sigmoidsDD(x)
		d = sigmoidMinus(s, sneg, t)
	}
	ce := float64(t*(nx+l)) + float64((1-t)*(px+l))
	q := float64(t*snx) + float64((1-t)*sx)
	g := p.gamma
	m := 1.0
	if p.mode != mode0 {
		// q^γ in log space, with log q = log1p(-p_t) where q is near 1:
		// q itself has rounded away a p_t below 2^-53, which a large γ
		// would bring back (x=44, t=6.7e-44, γ=4.6e15 gave m = 1, truth 0.9997).
		pt := float64(t*sx) + float64((1-t)*snx)
		logq := math.Log(q)
		if pt < 0.5 {
			logq = math.Log1p(-pt)
		}
		m = math.Exp(float64(g * logq))
	}
	at := alphaT(p.alpha, t)
	inner := d
	if p.mode != mode0 && q > 0 {
		// σ(x)σ(-x)·CE → 0 as x → ±Inf, where CE = +Inf: hold CE finite
		inner += float64(g * (1 - float64(2*t)) * sx * snx * math.Min(ce, math.MaxFloat64) / q)
	}
	loss64 := float64(at * m * ce)
	switch {
	case at == 0: // even where CE = +Inf (x = ±Inf)
		loss64 = 0
	case math.IsInf(ce, 1) && q > 0:
		// x = ±Inf: the limit is +Inf even where q^γ underflows to 0
		loss64 = ce
	}
	return float32(loss64), float32(at * m * inner)
}

// elemWide32 returns the loss and gradient of one element with a hard target
// in float64, with σ(z)^γ in log space, log σ(z) = -softplus(-z), so that
// γ·log σ(z) keeps its relative accuracy however large γ is.
func elemWide32(x32, t32 float32, p *params32) (loss, grad float32) {
	x, t := float64(x32), float64(t32)
	if x != x {
		return x32, x32
	}
	at := alphaT(p.alpha, t)
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

// elem32 is one element at the Generic level: the lanes' algorithm, with
// what they leave to float64 done there.
func elem32(x, t float32, p *params32) (loss, grad float32) {
	if t == 0 || t == 1 {
		if p.wide {
			return elemWide32(x, t, p)
		}
		return elemHard32(x, t, p)
	}
	if p.wide {
		return elemSoft32(x, t, p)
	}
	loss, grad, okLoss, okGrad := elemGen32(x, t, p, true)
	if !okGrad {
		l64, g64 := elemSoft32(x, t, p)
		grad = g64
		if !okLoss {
			loss = l64
		}
	}
	return loss, grad
}

// elemLoss32 is elem32's loss alone: the general form flags fewer lanes
// without the gradient, as the kernels' Loss and Sum do.
func elemLoss32(x, t float32, p *params32) float32 {
	if t == 0 || t == 1 || p.wide {
		l, _ := elem32(x, t, p)
		return l
	}
	loss, _, ok, _ := elemGen32(x, t, p, false)
	if !ok {
		loss, _ = elemSoft32(x, t, p)
	}
	return loss
}
