//go:build goexperiment.simd && amd64 && !purego

package archsimd

import "math"

// This file is the float64 algorithm written as scalar Go, one element at a
// time, with the operations of the vector kernels (kernel64_*.go) in the same
// order. It is the float64 Generic level and the model the vector levels are
// tested against. It has the float32 algorithm's structure (model32.go) with
// polynomials for double:
//
//	e+el = exp(-|z|)       2^k·p(r), |r| ≤ ln2/2: p(r) = 1 + r + r²·Q(r), the Taylor polynomial
//	                       of degree 13 (truncation below 4.2e-18), Q in Estrin's scheme; el the
//	                       exact error of p's last addition
//	σ(±|z|)                as in float32: one division, its remainder and u's rounding carried
//	L    = log1p(e+el)     log(u) by mantissa split, f ∈ [√½-1, √2-1]: log(1+f) = f - (h - s·(h+R)),
//	                       h = f²/2, s = f/(2+f), R(s²) of degree 7 (the fdlibm/Go math.Log
//	                       coefficients, |error| < 2^-58.45), + c; L carried as hi+lo (Fast2Sum of
//	                       its last two additions)
//	m    = σ(z)^γ          γ ∈ {1,2}: products; other γ: exp(γ·(min(z,0) - L)), the products split
//	                       by fma and γ·Llo carried into the exp's reduced argument
//	loss, grad             as in float32, with α_t = α or 1-α, the latter as hi+lo
//
// Every float64 product that is added is a separate rounding here and in the
// lanes (mul64, or float64(x*y)); every fma is math.FMA and MulAdd there.

// params64 are a call's parameters as the float64 kernels use them.
type params64 struct {
	a1, a0     float64 // α_t for t = 1 and t = 0 (both 1 when α < 0)
	a1lo, a0lo float64 // their rounding errors: 1-α = a0 + a0lo exactly
	g          float64
	mode       int
	alpha      float64
	gamma      float64
	wide       bool // γ > wideGamma64: every element in elemWide64 or elemSoft64
}

func mkParams64(alpha, gamma float64) params64 {
	p := params64{a1: 1, a0: 1, g: gamma, mode: gammaMode(gamma), alpha: alpha, gamma: gamma, wide: gamma > wideGamma64}
	if !(alpha < 0) {
		p.a1 = alpha
		s := twoSum(1, -alpha)
		p.a0, p.a0lo = s.hi, s.lo
	}
	return p
}

func (p *params64) zeroWeight() bool { return p.a1 == 0 || p.a0 == 0 }

// The float64 constants.
const (
	expLo64   = -746.0 // exp(v) for v < expLo64 is below half the least subnormal
	loMax64   = 1.0 / 64
	loMin64   = -1.0 / 64
	log2e64   = 1.4426950408889634
	ln2hi64   = 0x1.62e42fefa39efp-01 // ln2 rounded
	ln2lo64   = 0x1.abc9e3b39803fp-56 // ln2 - ln2hi64
	sqrt2f64  = 1.4142135623730951
	mzLo64    = -2048 // below it CE and σ(z) are 0 in float64, so m does not matter
	signBit64 = 1 << 63

	// exp: Q(r) = Σ r^i/(i+2)!, i = 0..11
	eq0  = 1.0 / 2
	eq1  = 1.0 / 6
	eq2  = 1.0 / 24
	eq3  = 1.0 / 120
	eq4  = 1.0 / 720
	eq5  = 1.0 / 5040
	eq6  = 1.0 / 40320
	eq7  = 1.0 / 362880
	eq8  = 1.0 / 3628800
	eq9  = 1.0 / 39916800
	eq10 = 1.0 / 479001600
	eq11 = 1.0 / 6227020800

	// log: R(z) = z·(lg1 + z·(lg2 + … + z·lg7)), z = s² (FreeBSD msun e_log.c, as Go's math.Log)
	lg1 = 6.666666666666735130e-01
	lg2 = 3.999999999940941908e-01
	lg3 = 2.857142874366239149e-01
	lg4 = 2.222219843214978396e-01
	lg5 = 1.818357216161805012e-01
	lg6 = 1.531383769920937332e-01
	lg7 = 1.479819860511658591e-01
)

// fma64 is math.FMA; mul64 rounds a product on its own, so that Go cannot fuse it.
func fma64(a, b, c float64) float64 { return math.FMA(a, b, c) }
func mul64(a, b float64) float64    { return float64(a * b) }

// expArg64 returns the reduced argument r = h - k·ln2 and k = round(h·log2e),
// for h held at expLo64.
func expArg64(h float64) (r, k float64) {
	if h < expLo64 {
		h = expLo64
	}
	k = math.RoundToEven(mul64(h, log2e64))
	r = fma64(k, -ln2hi64, h)
	return fma64(k, -ln2lo64, r), k
}

// expPoly64 returns exp(r) for |r| ≤ ln2/2 (and a little more) as p + pLo,
// pLo the exact error of p's last addition.
func expPoly64(r float64) (p, pLo float64) {
	r2 := mul64(r, r)
	r4 := mul64(r2, r2)
	p01 := fma64(eq1, r, eq0)
	p23 := fma64(eq3, r, eq2)
	p45 := fma64(eq5, r, eq4)
	p67 := fma64(eq7, r, eq6)
	p89 := fma64(eq9, r, eq8)
	pab := fma64(eq11, r, eq10)
	q0 := fma64(p23, r2, p01)
	q1 := fma64(p67, r2, p45)
	q2 := fma64(pab, r2, p89)
	q := fma64(q2, r4, q1)
	q = fma64(q, r4, q0)
	s := fma64(q, r2, r)
	p = s + 1
	return p, s - (p - 1)
}

// scale64 returns p·2^k and pLo·2^k for integral k in [-1077, 0] (or NaN),
// in two exact halves, so that a subnormal result is rounded once.
func scale64(p, pLo, k float64) (float64, float64) {
	if k != k {
		return k, k
	}
	k1 := math.Floor(k * 0.5)
	k2 := k - k1
	s1 := math.Float64frombits(uint64(int64(k1)+1023) << 52)
	s2 := math.Float64frombits(uint64(int64(k2)+1023) << 52)
	return mul64(mul64(p, s1), s2), mul64(mul64(pLo, s1), s2)
}

// log64 returns L + Llo = kf·ln2 + log(1+f) + c for f ∈ [√½-1, √2-1],
// kf ∈ {0, 1} and a small correction c; Llo is the exact error of L's last
// two additions.
func log64(f, kf, c float64) (l, lLo float64) {
	s := f / (2 + f)
	z := mul64(s, s)
	w := mul64(z, z)
	t1 := fma64(fma64(fma64(lg7, w, lg5), w, lg3), w, lg1)
	t2 := fma64(fma64(lg6, w, lg4), w, lg2)
	r := fma64(t1, z, mul64(t2, w)) // R(z)
	nh := mul64(mul64(f, f), -0.5)  // -f²/2, exact scaling
	y := fma64(s, r-nh, nh)         // s·(h+R) - h
	y = y + fma64(kf, ln2lo64, c)
	v := y + f
	vLo := y - (v - f) // Fast2Sum: |f| ≥ |y|
	a := mul64(kf, ln2hi64)
	l = a + v
	return l, (a - l) + v + vLo // Fast2Sum: |kf·ln2hi| ≥ |v| where kf = 1
}

// elemHard64 computes the loss and gradient of one element with t ∈ {0,1}.
func elemHard64(x, t float64, p *params64) (loss, grad float64) {
	z := x
	if t == 1 {
		z = -x
	}
	r, k := expArg64(-math.Abs(x))
	ep, epLo := expPoly64(r)
	e, el := scale64(ep, epLo, k) // exp(-|z|) = e + el
	u := 1 + e
	rcp := 1 / u
	c := mul64((e-(u-1))+el, rcp) // 1+e+el = u·(1+c)
	r1 := fma64(-u, rcp, 1)       // 1/u = rcp·(1+r1)
	rc := fma64(rcp, r1-c, rcp)   // 1/(1+e+el)
	sp, sn := rc, fma64(e, rc, mul64(el, rc))
	sz, snz := sp, sn
	if math.Float64bits(z)&signBit64 != 0 {
		sz, snz = sn, sp
	}
	f, kf := u-1, 0.0
	if u > sqrt2f64 {
		f, kf = fma64(u, 0.5, -1), 1
	}
	l, lLo := log64(f, kf, c)
	var pz float64
	if z > 0 {
		pz = z
	}
	ce := pz + l
	var m, mLo float64
	switch p.mode {
	case mode0:
		m = 1
	case mode1:
		m = sz
	case mode2:
		m = mul64(sz, sz)
		mLo = fma64(sz, sz, -m)
	default:
		var mz float64
		if z < 0 {
			mz = max(z, mzLo64)
		}
		h1 := mul64(p.g, mz)
		l1 := fma64(p.g, mz, -h1)
		h2 := mul64(p.g, l)
		l2 := fma64(p.g, l, -h2)
		h := h1 - h2
		bb := h - h1
		er := (h1 - (h - bb)) + (-h2 - bb)
		lo := (l1 - l2) + er
		lo = fma64(-p.g, lLo, lo) // γ·L's lower part
		r, k := expArg64(h)
		mp, mpLo := expPoly64(r + min(max(lo, loMin64), loMax64))
		m, _ = scale64(mp, mpLo, k)
	}
	at, atLo := p.a0, p.a0lo
	if t == 1 {
		at, atLo = p.a1, p.a1lo
	}
	var amh, aml float64
	switch p.mode {
	case mode0:
		loss = fma64(at, ce, mul64(atLo, finite64(ce)))
	case modeGen:
		mc := mul64(m, ce)
		loss = fma64(at, mc, mul64(atLo, finite64(mc)))
	default:
		amh = mul64(at, m)
		aml = fma64(at, m, -amh)
		if p.mode == mode2 {
			aml = fma64(at, mLo, aml)
		}
		aml = fma64(atLo, m, aml)
		loss = fma64(amh, ce, mul64(aml, finite64(ce)))
	}
	if at == 0 && ce > math.MaxFloat64 {
		loss = 0
	}
	if p.mode == mode0 {
		grad = fma64(at, sz, mul64(atLo, sz))
	} else {
		inner := fma64(mul64(p.g, snz), min(ce, math.MaxFloat64), sz)
		if p.mode == modeGen {
			mi := mul64(m, inner)
			grad = fma64(at, mi, mul64(atLo, mi))
		} else {
			grad = fma64(amh, inner, mul64(aml, inner))
		}
	}
	if t == 1 {
		grad = -grad
	}
	return loss, grad
}

// finite64 holds v at MaxFloat64 (NaN included).
func finite64(v float64) float64 {
	if !(v < math.MaxFloat64) {
		return math.MaxFloat64
	}
	return v
}

// elem64 is one element at the Generic level.
func elem64(x, t float64, p *params64) (loss, grad float64) {
	if t == 0 || t == 1 {
		if p.wide {
			return elemWide64(x, t, p)
		}
		return elemHard64(x, t, p)
	}
	return elemSoft64(x, t, p)
}
