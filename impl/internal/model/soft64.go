package model

import "math"

// This file is the general form in float64 (ElemGen64): soft.go's ElemGen32
// operation for operation, with generic64.go's polynomials, for the steps of
// Loss64, Sum64 and LossGrad64 with a soft target. The lanes it leaves to the
// scalar float64 path (ElemRef64) are float32's, with the bounds of float64:
// a gradient in the band around σ(x) = t where d's own error could pass the
// bar (the same band as float32's: d's error is about 2^-56 of σσ' there, the
// bar 2^-52), m (α_t·m) below 2^-1022 while CE > 1, and A subnormal.

// softFloor64 is softFloor for float64: σ's hi+lo rounding is about 2^-104.
const softFloor64 = 0x1p-48

const (
	flagTiny64 = 0x1p-1022
	mantMask64 = 1<<52 - 1
)

// expSoft64 is expSplit64(h, 0, false) that also returns el2, the rounding
// errors of the reduction's last step and of the polynomial's last fma,
// scaled like e: e + el + el2 = exp(h) to about 2^-56.
func expSoft64(h float64) (e, el, el2 float64) {
	if h < expLo64 {
		h = expLo64
	}
	k := math.RoundToEven(mul64(h, log2e64))
	r0 := math.FMA(k, -ln2hi64, h)
	r := math.FMA(k, -ln2lo64, r0)
	rlo := math.FMA(-k, ln2lo64, r0-r) // r0 - r is exact: the reduction's rounding error
	r2 := mul64(r, r)
	q := expPoly64(r, r2)
	s := math.FMA(q, r2, r)
	ds := math.FMA(q, r2, r-s) // r - s is exact (Sterbenz): s's rounding error
	p := s + 1
	pLo := s - (p - 1)
	cr := math.FMA(p, rlo, ds)
	s1, s2 := scales64(k)
	return mul64(mul64(p, s1), s2), mul64(mul64(pLo, s1), s2), mul64(mul64(cr, s1), s2)
}

// logHL64 returns log(ah) as hi+lo for ah in (0, 1] normal (logHL in float64).
func logHL64(ah float64) (hi, lo float64) {
	b := math.Float64bits(ah)
	// the exponent as a float64 without an int64 conversion (AVX2 has none):
	// 2^52 + e from its bits, minus 2^52 + 1023, exactly
	kf := math.Float64frombits(b>>52|math.Float64bits(0x1p52)) - (0x1p52 + 1023)
	m := math.Float64frombits(b&mantMask64 | math.Float64bits(1)) // [1, 2)
	f := m - 1
	if m > sqrt2f64 {
		f = math.FMA(m, 0.5, -1)
		kf = kf + 1
	}
	z := mul64(f, f)
	zlo := math.FMA(f, f, -z)
	p := logPoly(f, z)
	f3 := mul64(z, f)
	hz := mul64(z, -0.5)
	y := math.FMA(p, f3, hz)
	w := f + y
	wlo := y - (w - f)
	kh := mul64(kf, ln2hi64) // exact: |k| ≤ 1075 has 11 bits
	hi = kh + w
	lo = math.FMA(kf, ln2lo64, wlo)
	lo = math.FMA(zlo, -0.5, lo)
	lo = lo + (w - (hi - kh))
	return hi, lo
}

// log1pHL64 is log1pE64 that also returns the rounding errors of its last
// two additions (log1pHL in float64).
func log1pHL64(u, c float64) (l, lo float64) {
	l, w, y, f, kf := log1pParts64(u, c)
	kh := mul64(kf, ln2hi64)
	return l, (w - (l - kh)) + (y - (w - f))
}

// ElemGen64 computes the loss and gradient of one element in the general
// form in float64; ok is false where the lane is left to ElemRef64.
func ElemGen64(x, t float64, p *Params64, wantGrad bool) (loss, grad float64, okLoss, okGrad bool) {
	a := math.Float64frombits(math.Float64bits(x) &^ sign64)
	e, el, el2 := expSoft64(-a)
	hard := t == 0 || t == 1
	u := 1 + e
	rcp := 1 / u
	c := mul64((e-(u-1))+el, rcp)
	r1 := math.FMA(-u, rcp, 1)
	rc := math.FMA(rcp, r1-c, rcp) // σ(|x|)
	elrc := mul64(el, rc)
	sn := math.FMA(e, rc, elrc) // σ(-|x|)
	l, lLo := log1pHL64(u, c)

	neg := math.Float64bits(x)&sign64 != 0
	s1 := 1 + -t
	tz := t + (s1 - 1) // 1-t = s1 - tz exactly
	w, v, wlo, vlo := s1, t, -tz, 0.0
	if neg {
		w, v, wlo, vlo = t, s1, 0, -tz
	}
	lw := math.FMA(wlo, finite64(a), l)
	ce := math.FMA(w, a, lw)
	if !(ce > lw) {
		ce = lw
	}
	ph := mul64(v, e)
	pl := math.FMA(v, e, -ph)
	ah := w + ph
	big, small := max(w, ph), min(w, ph) // both ≥ 0: ah's exact error by Fast2Sum
	aerr := small - (ah - big)
	alo := math.FMA(v, el, pl+aerr)
	alo = alo + math.FMA(vlo, e, wlo)
	rclo := math.FMA(rcp, r1-c, rcp-rc)

	at := math.FMA(t, p.A1, mul64(s1, p.A0))
	atLo := math.FMA(t, p.A1lo, mul64(s1, p.A0lo))
	wz := w == 0

	var m, mLo, rA float64
	if p.Mode != Mode0 {
		rA = 1 / ah // early, beside the first division: ρ = σ(-|x|)·(1/A)
	}
	switch p.Mode {
	case Mode1, Mode2:
		ar := mul64(alo, rc)
		qh := math.FMA(ah, rc, ar)
		ql := math.FMA(ah, rclo, math.FMA(ah, rc, -qh)+ar)
		if hard {
			ql = 0
		}
		if p.Mode == Mode1 {
			m, mLo = qh, ql
		} else {
			m = mul64(qh, qh)
			mLo = math.FMA(qh, qh, -m)
			mLo = math.FMA(qh+qh, ql, mLo)
		}
	case ModeGen:
		lh, ll := logHL64(ah)
		ll = math.FMA(alo, rA, ll)
		ll = ll - lLo
		if wz {
			lh = -a
			if !(lh > mzLo64) {
				lh = mzLo64
			}
		}
		if hard {
			ll = 0
		}
		h, lo := gammaLog64(p.G, lh, l)
		lo = math.FMA(p.G, ll, lo)
		m, _ = expSplit64(h, lo, true)
	}
	loss, amh, aml := lossOf64(p.Mode, at, atLo, m, mLo, ce, true)
	tiny := !wz && ah < flagTiny64 // A subnormal
	under := m
	if p.Mode == Mode1 || p.Mode == Mode2 {
		under = amh
	}
	okLoss = !(p.Mode != Mode0 && under < flagTiny64 && ce > 1 && at != 0) && !(p.Mode == ModeGen && tiny)
	if !okLoss {
		loss = nan64
	}
	if !wantGrad {
		return loss, 0, okLoss, true
	}

	snlo := math.FMA(e, rc, -sn) + elrc
	snlo = math.FMA(e, rclo, snlo)
	d2 := mul64(mul64(rc, rc), el2)
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

	var gt float64
	inner := d
	if p.Mode != Mode0 {
		rho := mul64(sn, rA)
		if wz {
			rho = rc
		}
		ceg := finite64(ce)
		gr := mul64(rho, math.FMA(t, -2*p.G, p.G)) // γ(1-2t) rounded once
		inner = math.FMA(gr, ceg, d)
		gt = mul64(gr, ceg)
	}
	switch p.Mode {
	case Mode0:
		grad = math.FMA(at, d, mul64(atLo, d))
	case ModeGen:
		mi := mul64(m, inner)
		grad = math.FMA(at, mi, mul64(atLo, mi))
	default:
		grad = math.FMA(amh, inner, mul64(aml, inner))
	}
	aa := mul64(a, a)
	if !(aa < softNear) {
		aa = softNear
	}
	if !(aa > softFloor64) {
		aa = softFloor64
	}
	thr := mul64(mul64(mul64(rc, sn), aa), softFlag)
	size := math.Abs(d) + math.Abs(gt)
	okGrad = okLoss && !(size < thr) && !(p.Mode != Mode0 && tiny)
	if !okGrad {
		grad = nan64
	}
	return loss, grad, okLoss, okGrad
}

var nan64 = math.Float64frombits(1<<64 - 1) // all ones: what a compare mask ORed in gives
