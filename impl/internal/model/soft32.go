package model

import "math"

// This file is the general form, which the kernels take for any vector (any
// step of vectors) with a soft target: the algorithm of the assembly's soft
// bodies written as scalar Go, operation for operation, as generic.go is for
// the hard body. For a hard lane it gives ElemHard32's results bit for bit, so
// that a hard target's result does not depend on its neighbours.
//
// With w = 1-t and v = t where x ≥ 0 (w = t, v = 1-t where x < 0), the
// weights of the side x does not favour and the side it does:
//
//	CE    = w·|x| + L                 L = log1p(e'), e' = exp(-|x|) as e+el (the hard body's)
//	q     = (w + v·e')/(1 + e')        = 1-p_t: A = w + v·e' carried as hi+lo, so that
//	                                  q = A·σ(|x|) is rounded once (σ(|x|) = rc + rclo)
//	m     = q^γ                       γ ∈ {1,2}: q, or q² with its exact error;
//	                                  other γ: exp(γ·(log A - L)), log A as hi+lo
//	grad  = α_t·m·(γ(1-2t)·ρ·CE + d)  ρ = σ(x)σ(-x)/q = σ(-|x|)/A, d = σ(x) - t
//
// Every sum has terms of one sign except d, which cancels where σ(x) ≈ t. It
// is formed as stable forms it, from σ as hi+lo: σ(x).hi - t (exact by
// Sterbenz where they are close) for t ≤ 1/2, (1-t) - σ(-x).hi (1-t exact)
// above; what is left is e's own error, under 2^-26.3·min(16x², 1) relative
// with the corrections of expSoft, which d carries times σ(x)σ(-x). Where
// that could be more than the gradient's bar allows against the size of its
// two terms (|d| + |γ-term| < σ(x)σ(-x)·min(x², 1/16)/4: a narrow band
// around σ(x) = t where the γ-term is small), the lane's gradient is flagged
// (NaN, and the kernel reports it) and recomputed in float64 by ElemSoft32,
// as are the degenerate lanes (see okLoss below).
//
// Measured against stable's float32 kernel (TestSoftAccuracy; internal/sweep
// over every 4096th float32 logit, results/<machine>/sweep.txt): loss within
// 5 ULP, gradient within 3.54 units of 2^-23 × its two terms, at every γ ≤ 5
// but 2, where the flat kernels take the two-valued body (twovalue.go; it was
// 4.12 units when this body ran at γ = 2 too); over the golden rows, within 3
// ULP and 2.33 units of the truth.

// ln2 = ln2hi16 + ln2lo16: 16 bits and the rest, so that k·ln2hi16 is exact
// for |k| < 256 and log A's low part stays below 2^-12.
const (
	ln2hi16 = 0.693145751953125
	ln2lo16 = 1.428606820309417232121458176568e-6
)

// flagTiny bounds the degenerate lanes left to float64: m below it
// (subnormal) while CE > 1, and A below it (subnormal).
const flagTiny = 0x1p-126

// The band of flagged gradient lanes: |d| + |γ-term| < σ(x)σ(-x)·
// min(max(x², softFloor), softNear)·softFlag. d's own error is below
// σ(x)σ(-x)·2^-26.3·min(16x², 1) from the exp (TestExpSoft; e is exact to
// its last bits near x = 0, where e - 1 ≈ -|x|), and about 2^-48 from σ's
// hi+lo itself, which softFloor covers where x² is smaller (t = σ(x)
// rounded, at x = -3.9e-6, was 14 units off without it); outside the band
// that is at most 6.5 units of the gradient's bar (2^-23 of its two terms),
// 3.6 measured at the band's edge (TestSoftAccuracy).
const (
	softFlag  = 1.0 / 4
	softNear  = 1.0 / 16
	softFloor = 0x1p-22
	mantMask  = 0x007fffff // a float32's fraction bits
)

// expSoft is expSplit(h, 0, false) that also returns el2, the rounding
// errors that el leaves out (the reduction's last step and the polynomial's
// last fma), scaled like e: e + el + el2 = exp(h) to about 2^-27.
func expSoft(h float32) (e, el, el2 float32) {
	if h < expLo {
		h = expLo
	}
	k := float32(math.RoundToEven(float64(mul(h, log2e))))
	r0 := fma(k, -ln2hi, h)
	r := fma(k, -ln2lo, r0)
	rlo := fma(-k, ln2lo, r0-r) // r0 - r is exact: the reduction's rounding error
	r2 := mul(r, r)
	q := expPoly32(r, r2)
	s := fma(q, r2, r)
	ds := fma(q, r2, r-s) // r - s is exact (Sterbenz): s's rounding error
	p := s + 1
	pLo := s - (p - 1)
	cr := fma(p, rlo, ds)
	ki := int32(k)
	if k != k {
		ki = math.MinInt32
	}
	k1 := ki >> 1
	k2 := ki - k1
	s1 := math.Float32frombits(uint32(k1+127) << 23)
	s2 := math.Float32frombits(uint32(k2+127) << 23)
	return mul(mul(p, s1), s2), mul(mul(pLo, s1), s2), mul(mul(cr, s1), s2)
}

// logHL returns log(ah) as hi+lo for ah in (0, 1] normal: ah = 2^k·M with M in
// [√½, √2), f = M-1 exactly, log(1+f) = f - f²/2 + f³·P(f) as logCore, with
// f + (rest) and k·ln2hi + (f + rest) each split exactly (Fast2Sum), and f²'s
// rounding carried.
func logHL(ah float32) (hi, lo float32) {
	b := math.Float32bits(ah)
	kf := float32(int32(b>>23) - 127)
	m := math.Float32frombits(b&mantMask | 0x3f800000) // [1, 2)
	f := m - 1
	if m > sqrt2 {
		f = fma(m, 0.5, -1)
		kf = kf + 1
	}
	p, z, f3, hz := logPoly32(f)
	zlo := fma(f, f, -z)
	y := fma(p, f3, hz)
	w := f + y
	wlo := y - (w - f)
	kh := mul(kf, ln2hi16) // exact: |k| ≤ 150 has 8 bits
	hi = kh + w
	lo = fma(kf, ln2lo16, wlo)
	lo = fma(zlo, -0.5, lo)
	lo = lo + (w - (hi - kh))
	return hi, lo
}

// log1pHL is log1pE that also returns the rounding errors of its last two
// additions (w = f + y and L = k·ln2hi + w, Fast2Sum each, or near enough
// where |y| > |f|, which is where w is below 4e-4): L + lo is log1p(e') to
// about 2^-27, which γ multiplies in log q.
func log1pHL(u, c float32) (l, lo float32) {
	m, kf := u, float32(0)
	if u > sqrt2 {
		m, kf = u-mul(u, 0.5), 1
	}
	f := m - 1
	p, _, f3, hz := logPoly32(f)
	cl := fma(kf, ln2lo, c)
	y := fma(p, f3, hz)
	y = y + cl
	w := y + f
	l = fma(kf, ln2hi, w)
	kh := mul(kf, ln2hi)
	return l, (w - (l - kh)) + (y - (w - f))
}

// ElemGen32 computes the loss and gradient of one element in the general form
// (see the top of this file). ok is false where the gradient is flagged.
func ElemGen32(x, t float32, p *Params32, wantGrad bool) (loss, grad float32, okLoss, okGrad bool) {
	a := math.Float32frombits(math.Float32bits(x) &^ signBit)
	e, el, el2 := expSoft(-a)
	hard := t == 0 || t == 1
	u := 1 + e
	rcp := 1 / u
	c := mul((e-(u-1))+el, rcp)
	r1 := fma(-u, rcp, 1)
	rc := fma(rcp, r1-c, rcp) // σ(|x|)
	elrc := mul(el, rc)
	sn := fma(e, rc, elrc)  // σ(-|x|)
	l, lLo := log1pHL(u, c) // l is log1pE's

	neg := math.Float32bits(x)&signBit != 0
	s1 := 1 + -t
	tz := t + (s1 - 1) // 1-t = s1 - tz exactly
	w, v, wlo, vlo := s1, t, -tz, float32(0)
	if neg {
		w, v, wlo, vlo = t, s1, 0, -tz
	}
	// CE = w·|x| + L. A hard lane with w = 0 at x = ±Inf gives 0·Inf: CE is L
	// there, which the max (VMAXPS returns its second source on NaN) restores.
	lw := fma(wlo, finite(a), l)
	ce := fma(w, a, lw)
	if !(ce > lw) {
		ce = lw
	}
	// A = w + v·e' as ah + alo
	ph := mul(v, e)
	pl := fma(v, e, -ph)
	ah := w + ph
	big, small := max(w, ph), min(w, ph) // both ≥ 0: ah's exact error by Fast2Sum
	aerr := small - (ah - big)
	alo := fma(v, el, pl+aerr)
	alo = alo + fma(vlo, e, wlo)
	rclo := fma(rcp, r1-c, rcp-rc) // σ(|x|) = rc + rclo (rcp - rc is exact)

	at := fma(t, p.A1, mul(s1, p.A0))
	atLo := fma(t, p.A1lo, mul(s1, p.A0lo))
	wz := w == 0 // a hard lane with z < 0: A = e', which may be 0

	var m, mLo, rA float32
	if p.Mode != Mode0 {
		rA = 1 / ah // early, beside the first division: ρ = σ(-|x|)·(1/A)
	}
	switch p.Mode {
	case Mode1, Mode2:
		// q = A·σ(|x|) rounded once, σ(z) exactly for a hard lane
		ar := mul(alo, rc)
		qh := fma(ah, rc, ar)
		ql := fma(ah, rclo, fma(ah, rc, -qh)+ar)
		if hard {
			ql = 0
		}
		if p.Mode == Mode1 {
			m, mLo = qh, ql
		} else {
			m = mul(qh, qh)
			mLo = fma(qh, qh, -m)
			mLo = fma(qh+qh, ql, mLo)
		}
	case ModeGen:
		// log q = log A - L, γ·log q split exactly as ElemHard32 splits γ·(min(z,0) - L)
		lh, ll := logHL(ah)
		ll = fma(alo, rA, ll)
		// log q = (lh + ll) - (l + lLo); log A = -|x| exactly for a hard
		// lane with w = 0 (ElemHard32's min(z,0))
		ll = ll - lLo
		if wz {
			lh = -a
			if !(lh > mzLo) {
				lh = mzLo
			}
		}
		if hard {
			ll = 0
		}
		h, lo := gammaLog32(p, lh, l)
		lo = fma(p.G, ll, lo)
		m = expHL(h, lo, true)
	}
	loss, amh, aml := lossOf32(p.Mode, at, atLo, m, mLo, ce, true) // (the Go side redoes the lanes of α_t = 0 at CE = +Inf)
	// Left to float64: a lane whose m (α_t·m for γ ∈ {1,2}) underflows while
	// CE > 1 (a tiny t with a huge |x| or x = ±Inf, where the loss would be 0
	// or 0·Inf; never a hard lane, but for α_t = 0, which α_t ≠ 0 excludes:
	// a soft target's α_t is never 0), and with a general γ one whose A is
	// subnormal (t < 2^-126: the exponent split of log A needs a normal A).
	tiny := !wz && ah < flagTiny // A subnormal
	under := m                   // what the loss is CE times: α_t·m for γ ∈ {1,2} (formed first), m otherwise
	if p.Mode == Mode1 || p.Mode == Mode2 {
		under = amh
	}
	okLoss = !(p.Mode != Mode0 && under < flagTiny && ce > 1 && at != 0) && !(p.Mode == ModeGen && tiny)
	if !okLoss {
		loss = nan32
	}
	if !wantGrad {
		return loss, 0, okLoss, true
	}

	// d = σ(x) - t from σ as hi+lo (el2 included): σ(x).hi - t for t ≤ 1/2,
	// -(σ(-x).hi - (1-t)) above, where 1-t is exact.
	snlo := fma(e, rc, -sn) + elrc
	snlo = fma(e, rclo, snlo)
	d2 := mul(mul(rc, rc), el2)
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
	if p.Mode != Mode0 {
		rho := mul(sn, rA)
		if wz {
			rho = rc
		}
		ceg := finite(ce)                   // CE = +Inf at x = ±Inf, where σσ'·CE → 0
		gr := mul(rho, fma(t, -2*p.G, p.G)) // γ(1-2t) rounded once
		inner = fma(gr, ceg, d)
		gt = mul(gr, ceg)
	}
	switch p.Mode {
	case Mode0:
		grad = fma(at, d, mul(atLo, d))
	case ModeGen:
		mi := mul(m, inner)
		grad = fma(at, mi, mul(atLo, mi))
	default:
		grad = fma(amh, inner, mul(aml, inner))
	}
	// d's own error, σ(x)σ(-x)·min(x², 1/16)·2^-27 or so, and σ's hi+lo
	// rounding, against the gradient's two terms
	aa := mul(a, a)
	if !(aa < softNear) {
		aa = softNear
	}
	if !(aa > softFloor) {
		aa = softFloor
	}
	thr := mul(mul(mul(rc, sn), aa), softFlag)
	size := abs32(d) + abs32(gt)
	okGrad = okLoss && !(size < thr) && !(p.Mode != Mode0 && tiny)
	if !okGrad {
		grad = nan32
	}
	return loss, grad, okLoss, okGrad
}

var nan32 = math.Float32frombits(0xffffffff) // all ones: what a compare mask ORed in gives

func abs32(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ signBit) }
