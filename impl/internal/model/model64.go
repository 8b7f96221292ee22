package model

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/dd"
)

// This file is the float64 algorithm as scalar Go, the Generic level of
// Loss64, Sum64 and LossGrad64 and the model their assembly is tested
// against: generic.go's algorithm with the same operations in the same order
// (the generator emits both widths from one description), with polynomials
// for double:
//
//	e+el = exp(-|z|)        2^k·p(r), |r| ≤ ln2/2: p(r) = 1 + r + r²·Q(r), Q the Taylor
//	                        polynomial of degree 11 (p of degree 13, truncation below 4.2e-18),
//	                        evaluated as pairs in r joined two by two in r², then in r⁴;
//	                        the 2^k scaling in 64-bit integers
//	L    = log1p(e+el)      log(u) by mantissa split, f ∈ [√½-1, √2-1]: f - f²/2 + f³·P(f),
//	                        P of degree 19 (a Chebyshev fit, relative error of the log
//	                        2^-56.8 with its coefficients rounded), Estrin's scheme on
//	                        the first 16 coefficients and on the last 4, joined by f⁴
//	σ, CE, m, loss, grad    as in float32, γ and α taken as given (1-α as hi+lo)
//
// Every product that is added is written float64(x*y), and every wanted
// fusion is math.FMA: Go may fuse x*y + z (arm64 does), and this model must
// compute what the assembly computes on every architecture.

// Params64 are a call's parameters as the float64 kernels use them.
type Params64 struct {
	A1, A0     float64 // α_t for t = 1 and t = 0 (both 1 when α < 0)
	A1lo, A0lo float64 // their rounding errors: 1-α = A0 + A0lo exactly; A1lo = 0
	G          float64
	Mode       int
	Alpha      float64
	Gamma      float64
	Wide       bool // see wideParams64: every element in ElemRef64
}

// NewParams64 returns the float64 kernels' parameters for α and γ.
func NewParams64(alpha, gamma float64) Params64 {
	var p Params64
	p.Set(alpha, gamma)
	return p
}

// Set sets p to the parameters for α and γ, in place (see Params32.Set).
func (p *Params64) Set(alpha, gamma float64) {
	p.A1, p.A0, p.A1lo, p.A0lo = 1, 1, 0, 0
	if !(alpha < 0) {
		s := dd.TwoSum(1, -alpha)
		p.A1, p.A0, p.A0lo = alpha, s.Hi, s.Lo
	}
	p.G, p.Mode, p.Alpha, p.Gamma, p.Wide = gamma, modeOf(gamma), alpha, gamma, wideParams64(alpha, gamma)
}

func (p *Params64) ZeroWeight() bool { return p.A1 == 0 || p.A0 == 0 }

// The float64 constants (the kernels' rows named "d…", which TestConsts
// compares with these).
const (
	expLo64  = -746.0                     // exp(v) for v < expLo64 is below half the least subnormal
	log2e64  = 1.4426950408889634         // log2(e)
	ln2hi64  = 6.93147180369123816490e-01 // 0x3fe62e42fee00000: 32 bits, k·ln2hi64 is exact for |k| < 2^21
	ln2lo64  = 1.90821492927058770002e-10 // ln2 - ln2hi64
	sqrt2f64 = 1.4142135623730951
	mzLo64   = -2048 // below it CE and σ(z) are 0 in float64, so m does not matter
	magic64  = 0x1.8p52
	sign64   = 1 << 63
)

// expQ64 is Q(r) = Σ r^i/(i+2)!, i = 0..11, highest degree first: exp(r) =
// 1 + r + r²·Q(r) to 4.2e-18 relative for |r| ≤ ln2/2.
var expQ64 = [...]float64{
	1.0 / 6227020800, 1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800,
	1.0 / 362880, 1.0 / 40320, 1.0 / 5040, 1.0 / 720,
	1.0 / 120, 1.0 / 24, 1.0 / 6, 1.0 / 2,
}

// logP64 is P(f), highest degree first: log(1+f) = f - f²/2 + f³·P(f) for f
// ∈ [√½-1, √2-1], a Chebyshev fit of degree 19 (mpmath.chebyfit), within
// 2^-56.8 of log(1+f) relative as its float64 coefficients give it.
var logP64 = [...]float64{
	-0.025061228095282464, 0.0566642324205218, -0.06129561980727906, 0.0537187789066478,
	-0.05368280388050548, 0.05837018351464999, -0.06265031869518063, 0.06671985555271291,
	-0.0714223204915847, 0.0769198812013375, -0.08333345056413204, 0.09090919875998202,
	-0.0999999999631727, 0.11111110909841072, -0.12499999997109267, 0.1428571428759174,
	-0.16666666666697305, 0.19999999999993223, -0.2499999999999993, 0.33333333333333337,
}

func mul64(a, b float64) float64 { return float64(a * b) }

// expPoly64 returns Q(r) (expQ64): the pairs P_i = c_2i·r + c_2i+1 joined
// two by two in r² and the three by Horner's scheme in r⁴,
// ((P0·r² + P1)·r⁴ + (P2·r² + P3))·r⁴ + (P4·r² + P5): two FMAs fewer in the
// chain of dependent operations than Horner's scheme in r² over the pairs
// (the kernels' time follows that chain).
func expPoly64(r, r2 float64) float64 {
	c := &expQ64
	r4 := mul64(r2, r2)
	q0 := math.FMA(math.FMA(c[0], r, c[1]), r2, math.FMA(c[2], r, c[3]))
	q1 := math.FMA(math.FMA(c[4], r, c[5]), r2, math.FMA(c[6], r, c[7]))
	q2 := math.FMA(math.FMA(c[8], r, c[9]), r2, math.FMA(c[10], r, c[11]))
	return math.FMA(math.FMA(q0, r4, q1), r4, q2)
}

// logPoly returns P(f) (logP64) by Estrin's scheme, as the generator's
// poly.go emits it: the 16 highest coefficients as pairs c·f + c', joined
// in z = f², then in f⁴, then in f⁸, and the last 4 the same way, the two
// parts joined as first·f⁴ + last. Written out rather than recursive, so that
// the scalar levels and the softmax epilogue (log1pPos) pay for the
// arithmetic alone.
func logPoly(f, z float64) float64 {
	c := &logP64
	z4 := mul64(z, z)
	z8 := mul64(z4, z4)
	q0 := math.FMA(math.FMA(c[0], f, c[1]), z, math.FMA(c[2], f, c[3]))
	q1 := math.FMA(math.FMA(c[4], f, c[5]), z, math.FMA(c[6], f, c[7]))
	q2 := math.FMA(math.FMA(c[8], f, c[9]), z, math.FMA(c[10], f, c[11]))
	q3 := math.FMA(math.FMA(c[12], f, c[13]), z, math.FMA(c[14], f, c[15]))
	first := math.FMA(math.FMA(q0, z4, q1), z8, math.FMA(q2, z4, q3))
	last := math.FMA(math.FMA(c[16], f, c[17]), z, math.FMA(c[18], f, c[19]))
	return math.FMA(first, z4, last)
}

// expSplit64 returns exp(h+lo) for h ≤ 0 (lo used if withLo, held to ±1/64)
// as e + eLo, eLo the rounding error of p's last addition scaled like p.
func expSplit64(h, lo float64, withLo bool) (e, eLo float64) {
	r, k := expArg64(h)
	if withLo {
		r = r + min(max(lo, loMin), loMax)
	}
	r2 := mul64(r, r)
	s := math.FMA(expPoly64(r, r2), r2, r)
	p := s + 1
	pLo := s - (p - 1) // exact (Fast2Sum: |1| ≥ |s|)
	s1, s2 := scales64(k)
	return mul64(mul64(p, s1), s2), mul64(mul64(pLo, s1), s2)
}

// expArg64 returns the reduced argument r = h - k·ln2 (k·ln2hi exact) and
// k = round(h·log2e), for h held at expLo64.
func expArg64(h float64) (r, k float64) {
	if h < expLo64 {
		h = expLo64
	}
	k = math.RoundToEven(mul64(h, log2e64))
	r = math.FMA(k, -ln2hi64, h)
	return math.FMA(k, -ln2lo64, r), k
}

// scales64 returns 2^k1 and 2^k2, k1 = ⌊k/2⌋ and k2 = k - k1, for integral
// k ∈ [-1077, 1] (or NaN, which gives NaN): p·2^k as p·2^k1·2^k2 is rounded
// once even where it is subnormal.
func scales64(k float64) (s1, s2 float64) {
	if k != k {
		return k, k
	}
	ki := int64(k)
	k1 := ki >> 1
	k2 := ki - k1
	return math.Float64frombits(uint64(k1+1023) << 52), math.Float64frombits(uint64(k2+1023) << 52)
}

// log1pE64 returns log1p(e) for e ∈ [0,1], given u = 1+e and c = (e-(u-1))/u.
func log1pE64(u, c float64) float64 {
	l, _, _, _, _ := log1pParts64(u, c)
	return l
}

// log1pParts64 returns L = kf·ln2hi + w, w = f + y, as log1pE64, and w, y, f
// and kf for log1pHL64's error terms.
func log1pParts64(u, c float64) (l, w, y, f, kf float64) {
	m := u
	if u > sqrt2f64 {
		m, kf = u-mul64(u, 0.5), 1
	}
	f = m - 1
	z := mul64(f, f)
	p := logPoly(f, z)
	f3 := mul64(z, f)
	hz := mul64(z, -0.5)
	cl := math.FMA(kf, ln2lo64, c)
	y = math.FMA(p, f3, hz)
	y = y + cl
	w = y + f
	return math.FMA(kf, ln2hi64, w), w, y, f, kf
}

// finite64 is VMINPD(v, MaxFloat64): v held at MaxFloat64, NaN taken as it.
func finite64(v float64) float64 {
	if !(v < math.MaxFloat64) {
		return math.MaxFloat64
	}
	return v
}

// sigma64 returns σ(|z|) = 1/(1+e+el) as rc, from exp(-|z|) = e + el, and
// the terms log1pE64 takes: u = 1+e rounded, and c, u's rounding error and
// el over u (1+e+el = u·(1+c)). rc is rcp = 1/u rounded, corrected by the
// division's remainder r1 (1/u = rcp·(1+r1)) and by c. It is small enough
// to be inlined (ElemHard32's float32 twin is not, and stays written out).
func sigma64(e, el float64) (u, c, rc float64) {
	u = 1 + e
	rcp := 1 / u
	c = mul64((e-(u-1))+el, rcp)
	r1 := math.FMA(-u, rcp, 1)
	return u, c, math.FMA(rcp, r1-c, rcp)
}

// ElemHard64 computes the loss and gradient of one element with t ∈ {0,1}
// (ElemHard32's operations in float64).
func ElemHard64(x, t float64, p *Params64) (loss, grad float64) {
	s := math.FMA(t, -2, 1)
	z := mul64(x, s)
	a := math.Float64frombits(math.Float64bits(z) &^ sign64)
	e, el := expSplit64(-a, 0, false)
	u, c, rc := sigma64(e, el)
	sp, sn := rc, math.FMA(e, rc, mul64(el, rc))
	sz, snz := sp, sn
	if math.Float64bits(z)&sign64 != 0 {
		sz, snz = sn, sp
	}
	l := log1pE64(u, c)
	var pz float64
	if z > 0 {
		pz = z
	}
	ce := pz + l
	var m, mLo float64
	switch p.Mode {
	case Mode0:
		m = 1
	case Mode1:
		m = sz
	case Mode2:
		m = mul64(sz, sz)
		mLo = math.FMA(sz, sz, -m)
	default:
		var mz float64
		if z < 0 {
			mz = z
			if mz < mzLo64 {
				mz = mzLo64
			}
		}
		h, lo := gammaLog64(p.G, mz, l)
		m, _ = expSplit64(h, lo, true)
	}
	ut := 1 - t
	at := math.FMA(t, p.A1, mul64(ut, p.A0))
	atLo := math.FMA(t, p.A1lo, mul64(ut, p.A0lo))
	loss, amh, aml := lossOf64(p.Mode, at, atLo, m, mLo, ce, p.Mode == Mode2)
	if p.Mode == Mode0 {
		return loss, mul64(s, math.FMA(at, sz, mul64(atLo, sz)))
	}
	inner := math.FMA(mul64(p.G, snz), min(ce, math.MaxFloat64), sz)
	if p.Mode == ModeGen {
		mi := mul64(m, inner)
		return loss, mul64(s, math.FMA(at, mi, mul64(atLo, mi)))
	}
	return loss, mul64(s, math.FMA(amh, inner, mul64(aml, inner)))
}

// lossOf64 is the generator's lossOf (parts.go) in float64: the loss
// α_t·m·CE from α_t = at + atLo and m (+ mLo if withLo: the generator's
// mlo), by mode; for γ ∈ {1, 2} it also returns α_t·m as amh + aml, which
// the gradient reuses. α_t = 0 makes the loss 0 where CE = +Inf.
func lossOf64(mode int, at, atLo, m, mLo, ce float64, withLo bool) (loss, amh, aml float64) {
	switch mode {
	case Mode0:
		loss = math.FMA(at, ce, mul64(atLo, finite64(ce)))
	case ModeGen:
		mc := mul64(m, ce)
		loss = math.FMA(at, mc, mul64(atLo, finite64(mc)))
	default:
		amh = mul64(at, m)
		aml = math.FMA(at, m, -amh)
		if withLo {
			aml = math.FMA(at, mLo, aml)
		}
		aml = math.FMA(atLo, m, aml)
		loss = math.FMA(amh, ce, mul64(aml, finite64(ce)))
	}
	if at == 0 && ce > math.MaxFloat64 { // 0·(+Inf)
		loss = 0
	}
	return loss, amh, aml
}

// gammaLog64 returns γ·(mz - L) as h + lo, both products split exactly by
// fma and their difference by TwoSum (ElemHard32's general γ; γ is a float64
// as given, so there is no γlo term).
func gammaLog64(g, mz, l float64) (h, lo float64) {
	h1 := mul64(g, mz)
	l1 := math.FMA(g, mz, -h1)
	h2 := mul64(g, l)
	l2 := math.FMA(g, l, -h2)
	h = h1 - h2
	bb := h - h1
	er := (h1 - (h - bb)) + (-h2 - bb)
	return h, (l1 - l2) + er
}
