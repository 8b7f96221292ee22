//go:build goexperiment.simd && amd64 && !purego

package archsimd

import "math"

// This file is the float32 general form, which the kernels take for a vector
// with a soft target in any lane: impl/asm's elemGen (impl/asm/soft.go)
// copied operation for operation, so that this package imports nothing from
// its module and its lanes give impl/asm's results bit for bit. The vector
// form is soft32_avx2.go (and its AVX-512 copy); for a hard lane it gives
// elemHard32's results bit for bit, so that a hard target's result does not
// depend on its neighbours.
//
// With w = 1-t and v = t where x ≥ 0 (w = t, v = 1-t where x < 0), the
// weights of the side x does not favour and the side it does:
//
//	CE    = w·|x| + L                 L = log1p(e'), e' = exp(-|x|) as e+el (the hard form's)
//	q     = (w + v·e')/(1 + e')        = 1-p_t: A = w + v·e' carried as hi+lo, so that
//	                                  q = A·σ(|x|) is rounded once (σ(|x|) = rc + rclo)
//	m     = q^γ                       γ ∈ {1,2}: q, or q² with its exact error;
//	                                  other γ: exp(γ·(log A - L)), log A as hi+lo
//	grad  = α_t·m·(γ(1-2t)·ρ·CE + d)  ρ = σ(x)σ(-x)/q = σ(-|x|)/A, d = σ(x) - t
//
// Every sum has terms of one sign except d, which cancels where σ(x) ≈ t. It
// is formed from σ as hi+lo: σ(x).hi - t (exact by Sterbenz where they are
// close) for t ≤ 1/2, (1-t) - σ(-x).hi (1-t exact) above; what is left is
// e's own error, under 2^-26.3·min(16x², 1) relative with the corrections of
// expSoft32, which d carries times σ(x)σ(-x). Where that could be more than
// the gradient's bar allows against the size of its two terms (|d| +
// |γ-term| < σ(x)σ(-x)·min(x², 1/16)/4: a narrow band around σ(x) = t where
// the γ-term is small), the lane's gradient is flagged (NaN, and the kernel
// reports it) and recomputed in float64 by elemSoft32, as are the degenerate
// lanes (see okLoss in elemGen32).

// ln2 = ln2hi16 + ln2lo16: 16 bits and the rest, so that k·ln2hi16 is exact
// for |k| < 256 and log A's low part stays below 2^-12.
const (
	ln2hi16 = 0.693145751953125
	ln2lo16 = 1.428606820309417232121458176568e-6
)

// flagTiny and flagHuge bound the degenerate lanes left to float64: m below
// flagTiny (subnormal) while CE > 1, 1/A above flagHuge (A subnormal).
const (
	flagTiny = 0x1p-126
	flagHuge = 0x1p126
)

// The band of flagged gradient lanes: |d| + |γ-term| < σ(x)σ(-x)·min(x²,
// softNear)·softFlag. d's own error is below σ(x)σ(-x)·2^-26.3·min(16x², 1)
// (TestExpSoft; e is exact to its last bits near x = 0, where e - 1 ≈ -|x|);
// outside the band that is at most 6.5 units of the gradient's bar (2^-23
// of its two terms), 3.6 measured at the band's edge (TestSoftAccuracy).
const (
	softFlag  = 1.0 / 4
	softNear  = 1.0 / 16
	softFloor = 0x1p-22    // σ's hi+lo rounding, where x² is smaller
	mantMask  = 0x007fffff // a float32's fraction bits
)

// expSoft32 is expSplit(h, 0, false) that also returns el2, the rounding
// errors that el leaves out (the reduction's last step and the polynomial's
// last fma), scaled like e: e + el + el2 = exp(h) to about 2^-27.
func expSoft32(h float32) (e, el, el2 float32) {
	if h < expLo32 {
		h = expLo32
	}
	k := float32(math.RoundToEven(float64(mul32(h, log2e32))))
	r0 := fma32(k, -ln2hi32, h)
	r := fma32(k, -ln2lo32, r0)
	rlo := fma32(-k, ln2lo32, r0-r) // r0 - r is exact: the reduction's rounding error
	r2 := mul32(r, r)
	a := fma32(ep0, r, ep1)
	b := fma32(ep2, r, ep3)
	c := fma32(ep4, r, ep5)
	q := fma32(a, r2, b)
	q = fma32(q, r2, c)
	s := fma32(q, r2, r)
	ds := fma32(q, r2, r-s) // r - s is exact (Sterbenz): s's rounding error
	p := s + 1
	pLo := s - (p - 1)
	cr := fma32(p, rlo, ds)
	ki := int32(k)
	if k != k {
		ki = math.MinInt32
	}
	k1 := ki >> 1
	k2 := ki - k1
	s1 := math.Float32frombits(uint32(k1+127) << 23)
	s2 := math.Float32frombits(uint32(k2+127) << 23)
	return mul32(mul32(p, s1), s2), mul32(mul32(pLo, s1), s2), mul32(mul32(cr, s1), s2)
}

// logHL32 returns log(ah) as hi+lo for ah in (0, 1] normal: ah = 2^k·M with M in
// [√½, √2), f = M-1 exactly, log(1+f) = f - f²/2 + f³·P(f) as logCore, with
// f + (rest) and k·ln2hi32 + (f + rest) each split exactly (Fast2Sum), and f²'s
// rounding carried.
func logHL32(ah float32) (hi, lo float32) {
	b := math.Float32bits(ah)
	kf := float32(int32(b>>23) - 127)
	m := math.Float32frombits(b&mantMask | 0x3f800000) // [1, 2)
	f := m - 1
	if m > sqrt2f32 {
		f = fma32(m, 0.5, -1)
		kf = kf + 1
	}
	z := mul32(f, f)
	zlo := fma32(f, f, -z)
	a01 := fma32(lp0, f, lp1)
	a23 := fma32(lp2, f, lp3)
	a45 := fma32(lp4, f, lp5)
	a67 := fma32(lp6, f, lp7)
	z4 := mul32(z, z)
	q := fma32(a01, z, a23)
	r := fma32(a45, z, a67)
	q = fma32(q, z4, r)
	p := fma32(q, f, lp8)
	f3 := mul32(z, f)
	hz := mul32(z, -0.5)
	y := fma32(p, f3, hz)
	w := f + y
	wlo := y - (w - f)
	kh := mul32(kf, ln2hi16) // exact: |k| ≤ 150 has 8 bits
	hi = kh + w
	lo = fma32(kf, ln2lo16, wlo)
	lo = fma32(zlo, -0.5, lo)
	lo = lo + (w - (hi - kh))
	return hi, lo
}

// log1pHL32 is log1pE that also returns the rounding errors of its last two
// additions (w = f + y and L = k·ln2hi32 + w, Fast2Sum each, or near enough
// where |y| > |f|, which is where w is below 4e-4): L + lo is log1p(e') to
// about 2^-27, which γ multiplies in log q.
func log1pHL32(u, c float32) (l, lo float32) {
	m, kf := u, float32(0)
	if u > sqrt2f32 {
		m, kf = u-mul32(u, 0.5), 1
	}
	f := m - 1
	z := mul32(f, f)
	a01 := fma32(lp0, f, lp1)
	a23 := fma32(lp2, f, lp3)
	a45 := fma32(lp4, f, lp5)
	a67 := fma32(lp6, f, lp7)
	z4 := mul32(z, z)
	q := fma32(a01, z, a23)
	r := fma32(a45, z, a67)
	q = fma32(q, z4, r)
	p := fma32(q, f, lp8)
	f3 := mul32(z, f)
	hz := mul32(z, -0.5)
	cl := fma32(kf, ln2lo32, c)
	y := fma32(p, f3, hz)
	y = y + cl
	w := y + f
	l = fma32(kf, ln2hi32, w)
	kh := mul32(kf, ln2hi32)
	return l, (w - (l - kh)) + (y - (w - f))
}

// elemGen32 computes the loss and gradient of one element in the general form
// (see the top of this file). ok is false where the gradient is flagged.
func elemGen32(x, t float32, p *params32, wantGrad bool) (loss, grad float32, okLoss, okGrad bool) {
	a := math.Float32frombits(math.Float32bits(x) &^ signBit32)
	e, el, el2 := expSoft32(-a)
	hard := t == 0 || t == 1
	u := 1 + e
	rcp := 1 / u
	c := mul32((e-(u-1))+el, rcp)
	r1 := fma32(-u, rcp, 1)
	rc := fma32(rcp, r1-c, rcp) // σ(|x|)
	elrc := mul32(el, rc)
	sn := fma32(e, rc, elrc)  // σ(-|x|)
	l, lLo := log1pHL32(u, c) // l is log1pE's

	neg := math.Float32bits(x)&signBit32 != 0
	s1 := 1 + -t
	tz := t + (s1 - 1) // 1-t = s1 - tz exactly
	w, v, wlo, vlo := s1, t, -tz, float32(0)
	if neg {
		w, v, wlo, vlo = t, s1, 0, -tz
	}
	// CE = w·|x| + L. A hard lane with w = 0 at x = ±Inf gives 0·Inf: CE is L
	// there, which the max (VMAXPS returns its second source on NaN) restores.
	lw := fma32(wlo, finite32(a), l)
	ce := fma32(w, a, lw)
	if !(ce > lw) {
		ce = lw
	}
	// A = w + v·e' as ah + alo
	ph := mul32(v, e)
	pl := fma32(v, e, -ph)
	ah := w + ph
	bb := ah - w
	aerr := (w - (ah - bb)) + (ph - bb) // TwoSum
	alo := fma32(v, el, pl+aerr)
	alo = alo + fma32(vlo, e, wlo)
	rclo := fma32(rcp, r1-c, rcp-rc) // σ(|x|) = rc + rclo (rcp - rc is exact)

	at := fma32(t, p.a1, mul32(s1, p.a0))
	atLo := fma32(t, p.a1lo, mul32(s1, p.a0lo))
	wz := w == 0 // a hard lane with z < 0: A = e', which may be 0

	var m, mLo, rA float32
	if p.mode != mode0 {
		rA = 1 / ah
	}
	switch p.mode {
	case mode1, mode2:
		// q = A·σ(|x|) rounded once, σ(z) exactly for a hard lane
		ar := mul32(alo, rc)
		qh := fma32(ah, rc, ar)
		ql := fma32(ah, rclo, fma32(ah, rc, -qh)+ar)
		if hard {
			ql = 0
		}
		if p.mode == mode1 {
			m, mLo = qh, ql
		} else {
			m = mul32(qh, qh)
			mLo = fma32(qh, qh, -m)
			mLo = fma32(qh+qh, ql, mLo)
		}
	case modeGen:
		// log q = log A - L, γ·log q split exactly as elemHard splits γ·(min(z,0) - L)
		lh, ll := logHL32(ah)
		ll = fma32(alo, rA, ll)
		// log q = (lh + ll) - (l + lLo); log A = -|x| exactly for a hard
		// lane with w = 0 (elemHard's min(z,0))
		ll = ll - lLo
		if wz {
			lh = -a
			if !(lh > mzLo32) {
				lh = mzLo32
			}
		}
		if hard {
			ll = 0
		}
		h1 := mul32(p.g, lh)
		l1 := fma32(p.g, lh, -h1)
		h2 := mul32(p.g, l)
		l2 := fma32(p.g, l, -h2)
		h := h1 - h2
		bb := h - h1
		er := (h1 - (h - bb)) + (-h2 - bb)
		lo := (l1 - l2) + er
		lo = fma32(p.glo, lh-l, lo)
		lo = fma32(p.g, ll, lo)
		m, _ = expSplit32(h, lo, true)
	}
	var amh, aml float32
	switch p.mode {
	case mode0:
		loss = fma32(at, ce, mul32(atLo, finite32(ce)))
	case modeGen:
		mc := mul32(m, ce)
		loss = fma32(at, mc, mul32(atLo, finite32(mc)))
	default:
		amh = mul32(at, m)
		aml = fma32(at, m, -amh)
		aml = fma32(at, mLo, aml)
		aml = fma32(atLo, m, aml)
		loss = fma32(amh, ce, mul32(aml, finite32(ce)))
	}
	if at == 0 && ce > math.MaxFloat32 { // as elemHard (the Go side redoes these lanes)
		loss = 0
	}
	// Left to float64: a lane whose m (α_t·m for γ ∈ {1,2}) underflows while
	// CE > 1 (a tiny t with a huge |x| or x = ±Inf, where the loss would be 0
	// or 0·Inf; never a hard lane, but for α_t = 0, which α_t ≠ 0 excludes:
	// a soft target's α_t is never 0), and with a general γ one whose A is
	// subnormal (t < 2^-126: the exponent split of log A needs a normal A).
	tiny := !wz && rA > flagHuge
	under := m // what the loss is CE times: α_t·m for γ ∈ {1,2} (formed first), m otherwise
	if p.mode == mode1 || p.mode == mode2 {
		under = amh
	}
	okLoss = !(p.mode != mode0 && under < flagTiny && ce > 1 && at != 0) && !(p.mode == modeGen && tiny)
	if !okLoss {
		loss = nan32
	}
	if !wantGrad {
		return loss, 0, okLoss, true
	}

	// d = σ(x) - t from σ as hi+lo (el2 included): σ(x).hi - t for t ≤ 1/2,
	// -(σ(-x).hi - (1-t)) above, where 1-t is exact.
	snlo := fma32(e, rc, -sn) + elrc
	snlo = fma32(e, rclo, snlo)
	d2 := mul32(mul32(rc, rc), el2)
	gtm := t > 0.5
	hi, lo, tt := rc, rclo-d2, t
	if neg != gtm {
		hi, lo = sn, snlo+d2
	}
	if gtm {
		tt = s1
	}
	if hard {
		lo = 0
	}
	d := (hi - tt) + lo
	if gtm {
		d = -d
	}

	var gt float32 // the γ-term over m: γ(1-2t)·ρ·CE, ρ = σ(x)σ(-x)/q = σ(-|x|)/A
	inner := d
	if p.mode != mode0 {
		rho := mul32(sn, rA)
		if wz {
			rho = rc
		}
		ceg := finite32(ce) // CE = +Inf at x = ±Inf, where σσ'·CE → 0
		gr := mul32(mul32(p.g, rho), fma32(t, -2, 1))
		inner = fma32(gr, ceg, d)
		gt = mul32(gr, ceg)
	}
	switch p.mode {
	case mode0:
		grad = fma32(at, d, mul32(atLo, d))
	case modeGen:
		mi := mul32(m, inner)
		grad = fma32(at, mi, mul32(atLo, mi))
	default:
		grad = fma32(amh, inner, mul32(aml, inner))
	}
	// d's own error, σ(x)σ(-x)·min(x², 1/16)·2^-27 or so, against the
	// gradient's two terms
	aa := mul32(a, a)
	if !(aa < softNear) {
		aa = softNear
	}
	if !(aa > softFloor) {
		aa = softFloor
	}
	thr := mul32(mul32(mul32(rc, sn), aa), softFlag)
	size := abs32(d) + abs32(gt)
	okGrad = okLoss && !(size < thr) && !(p.mode != mode0 && tiny)
	if !okGrad {
		grad = nan32
	}
	return loss, grad, okLoss, okGrad
}

var nan32 = math.Float32frombits(0xffffffff) // all ones: what a compare mask ORed in gives

func abs32(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ signBit32) }
