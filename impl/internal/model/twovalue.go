package model

import "math"

// The two-valued body: the rows form's elements under label smoothing at
// γ = 2 (impl/internal/rows's TwoValue), where the general body's second
// division and flag band are not needed. Orient each element so that its
// target e is at most 1/2: h = 1 on the row's label (target T1 ≥ 1/2,
// e = 1-T1, exact), h = 0 elsewhere (e = T0), and z = x(1-2h), the hard
// body's z. With σ = σ(z), σ' = σ(-z) and L = log1p(e^-|z|) from the hard
// body:
//
//	CE   = w·|z| + L              w = 1-e (rounded) for z ≥ 0, e below: terms of one sign
//	q    = e + (1-2e)·σ           = 1-p_t, terms of one sign, σ as hi+lo
//	loss = α_t·q²·CE              as the hard body's, q for σ(z)
//	∂/∂z = α_t·q·(2(1-2e)·σσ'·CE + q·d)    d = σ - e = (σ.hi - e) + σ.lo
//
// The general form's γ-term has σσ'/q; at γ = 2 it is multiplied by
// m = q², so that it becomes q·σσ' and no division is left. Nothing
// cancels but d, whose first difference is exact by Sterbenz where it is
// small; σ's low parts (rc's from the division's remainder, sn's from the
// product's error and el) make it accurate to about 2^-48 there. e, 1-e
// and 1-2e (with its rounding error, exactly) come from t in the lane;
// α_t = t·α + (1-t)·(1-α) as hi+lo from the class tables, formed once per
// call (rows.TwoAlpha).
//
// Measured against the float64 element and math/big (twovalue_test.go,
// twovalue64_test.go), for smoothing from subnormal targets to ε = 0.999
// over logits in [-100, 100]: loss within 4 ULP and gradient within 3.92
// units of 2^-23 × its two terms in float32, 3 ULP and 2.82 units of 2^-52
// in float64. The gradient takes α_t·q rounded once (α_t's hi+lo times q,
// beside the chain of the sum it multiplies): two vector operations fewer
// than α_t·q as hi+lo, for 3.92 units where that held 3.73 (2.8 in
// float64). Beyond, a target below rows.TwoMin (ε < 2^-41 in float32) loses
// α_t·m to underflow against a huge CE, so the rows form takes the body
// from there up (TestTwoValueTiny holds it there to ±MaxFloat and ±Inf).

// twoConsts32 returns e, 1-e, 1-2e as hi+lo and 2(1-2e) for target t:
// e = min(t, 1-t) and 1-e = max(t, 1-t) (1-t is exact where it is the
// smaller, and 1-e is 1-t rounded where it is not: its rounding, carried,
// changed no float32 loss by more than 1 ULP of the bar's 4).
func twoConsts32(t float32) (e, w1, c12, c12lo, c2 float32) {
	s1 := 1 - t
	e, w1 = min(t, s1), max(t, s1)
	c12 = fma(e, -2, 1)
	c12lo = fma(e, -2, 1-c12) // 1-c12 is exact
	return e, w1, c12, c12lo, c12 + c12
}

// ElemTwoValue32 returns the loss and gradient of element x with target t
// on its row's label (h = 1) or elsewhere (h = 0), α_t = at + atLo.
func ElemTwoValue32(x, t float32, h int, at, atLo float32) (loss, grad float32) {
	return twoValue32(x, t, h, at, atLo, false)
}

// twoValue32 is ElemTwoValue32; where hard (t ∈ {0, 1}, e = 0) it
// takes σ's low part as 0 and the hard body's gradient, so that it gives
// ElemHard32's bits.
func twoValue32(x, t float32, h int, at, atLo float32, hard bool) (loss, grad float32) {
	ek, w1, c12, c12lo, c2 := twoConsts32(t)
	z := x
	if h == 1 {
		z = -x
	}
	a := abs32(z)
	e, el := expSplit(-a, 0, false)
	u := 1 + e
	rcp := 1 / u
	c := mul((e-(u-1))+el, rcp)
	r1c := fma(-u, rcp, 1) - c
	rc := fma(rcp, r1c, rcp)
	elrc := mul(el, rc)
	sn := fma(e, rc, elrc)
	rclo := fma(rcp, r1c, rcp-rc)
	snlo := fma(rclo, e, fma(e, rc, -sn)+elrc)
	sz, snz, szlo := rc, sn, rclo
	w := w1
	if math.Float32bits(z)&signBit != 0 {
		sz, snz, szlo = sn, rc, snlo
		w = ek
	}
	if hard {
		szlo = 0
	}
	l := log1pE(u, c)
	// L where w·|z| is 0·Inf (a hard side, e = 0, at z = -Inf), as
	// VMAXPS(l, ce) takes a NaN ce
	ce := fma(w, a, l)
	if !(ce > l) {
		ce = l
	}
	q := fma(c12, sz, ek)
	qlo := fma(c12, szlo, mul(c12lo, sz))
	m := mul(q, q)
	mLo := fma(q+q, qlo, fma(q, q, -m))
	loss, amh, aml := lossOf32(Mode2, at, atLo, m, mLo, ce, true)
	d := (sz - ek) + szlo
	inner := fma(mul(c2, mul(sz, snz)), finite(ce), mul(q, d))
	grad = mul(fma(at, q, mul(atLo, q)), inner)
	if hard {
		// ElemHard32's: α_t·m·(2σ(-z)·CE + σ(z)), α_t·m from the loss
		ih := fma(mul(2, snz), finite(ce), sz)
		grad = fma(amh, ih, mul(aml, ih))
	}
	if h == 1 {
		grad = -grad
	}
	return loss, grad
}

// twoConsts64 is twoConsts32 in float64.
func twoConsts64(t float64) (e, w1, c12, c12lo, c2 float64) {
	s1 := 1 - t
	e, w1 = min(t, s1), max(t, s1)
	c12 = math.FMA(e, -2, 1)
	c12lo = math.FMA(e, -2, 1-c12)
	return e, w1, c12, c12lo, c12 + c12
}

// ElemTwoValue64 is ElemTwoValue32 in float64.
func ElemTwoValue64(x, t float64, h int, at, atLo float64) (loss, grad float64) {
	return twoValue64(x, t, h, at, atLo, false)
}

// twoValue64 is ElemTwoValue64; where hard (t ∈ {0, 1}, e = 0) it
// takes σ's low part as 0 and the hard body's gradient, so that it gives
// ElemHard64's bits.
func twoValue64(x, t float64, h int, at, atLo float64, hard bool) (loss, grad float64) {
	ek, w1, c12, c12lo, c2 := twoConsts64(t)
	z := x
	if h == 1 {
		z = -x
	}
	a := math.Abs(z)
	e, el := expSplit64(-a, 0, false)
	u := 1 + e
	rcp := 1 / u
	c := mul64((e-(u-1))+el, rcp)
	r1c := math.FMA(-u, rcp, 1) - c
	rc := math.FMA(rcp, r1c, rcp)
	elrc := mul64(el, rc)
	sn := math.FMA(e, rc, elrc)
	rclo := math.FMA(rcp, r1c, rcp-rc)
	snlo := math.FMA(rclo, e, math.FMA(e, rc, -sn)+elrc)
	sz, snz, szlo := rc, sn, rclo
	w := w1
	if math.Float64bits(z)&sign64 != 0 {
		sz, snz, szlo = sn, rc, snlo
		w = ek
	}
	if hard {
		szlo = 0
	}
	l := log1pE64(u, c)
	ce := math.FMA(w, a, l)
	if !(ce > l) {
		ce = l
	}
	q := math.FMA(c12, sz, ek)
	qlo := math.FMA(c12, szlo, mul64(c12lo, sz))
	m := mul64(q, q)
	mLo := math.FMA(q+q, qlo, math.FMA(q, q, -m))
	loss, amh, aml := lossOf64(Mode2, at, atLo, m, mLo, ce, true)
	d := (sz - ek) + szlo
	inner := math.FMA(mul64(c2, mul64(sz, snz)), finite64(ce), mul64(q, d))
	grad = mul64(math.FMA(at, q, mul64(atLo, q)), inner)
	if hard {
		// ElemHard64's: α_t·m·(2σ(-z)·CE + σ(z)), α_t·m from the loss
		ih := math.FMA(mul64(2, snz), finite64(ce), sz)
		grad = math.FMA(amh, ih, mul64(aml, ih))
	}
	if h == 1 {
		grad = -grad
	}
	return loss, grad
}

// ElemTwoFlat32 is the two-valued body on a flat element at γ = 2 (p.Mode
// = Mode2): h = 1 above t = 1/2, e = min(t, 1-t), and α_t formed in the
// lane from the side's α (A = α for h = 1, 1-α for h = 0) and the slope
// D = ±(1-2α) toward the other side (twoSlope32, once per call):
// α_t = A + e·D, one fma, with its error (A - α_t is exact by Sterbenz
// where A ≥ 1/4, so that α_t is exact as hi+lo at α = 1/4; below, it
// carries half an ULP at most) and α's float32 rounding in the low part.
// A hard target (t ∈ {0, 1}) gets ElemHard32's loss and gradient bit for
// bit, so that a hard lane's result does not depend on its neighbours in a
// flat step of mixed lanes. Elem32 takes it for every soft target at γ = 2
// from rows.TwoMin up (results/<machine>/twovalue.md).
func ElemTwoFlat32(x, t float32, p *Params32) (loss, grad float32) {
	h := 0
	a, alo := p.A0, p.A0lo
	d, dlo := twoSlope32(p)
	if t > 0.5 {
		h = 1
		a, alo, d, dlo = p.A1, p.A1lo, -d, -dlo
	}
	e := min(t, 1-t)
	at := fma(e, d, a)
	atLo := fma(e, d, a-at)
	atLo = fma(e, dlo, atLo+alo)
	return twoValue32(x, t, h, at, atLo, t == 0 || t == 1)
}

// twoSlope32 returns D = A1 - A0 (2α-1, or 0 when α < 0: α_t = 1) as
// hi+lo from p's α_t pairs: their difference by TwoSum, which a kernel can
// form once per call from the parameters it is given, and their low parts.
func twoSlope32(p *Params32) (d, dlo float32) {
	d = p.A1 - p.A0
	bb := d - p.A1
	dlo = (p.A1 - (d - bb)) + (-p.A0 - bb)
	return d, dlo + (p.A1lo - p.A0lo)
}

// ElemTwoFlat64 is ElemTwoFlat32 in float64.
func ElemTwoFlat64(x, t float64, p *Params64) (loss, grad float64) {
	h := 0
	a, alo := p.A0, p.A0lo
	d, dlo := twoSlope64(p)
	if t > 0.5 {
		h = 1
		a, alo, d, dlo = p.A1, p.A1lo, -d, -dlo
	}
	e := min(t, 1-t)
	at := math.FMA(e, d, a)
	atLo := math.FMA(e, d, a-at)
	atLo = math.FMA(e, dlo, atLo+alo)
	return twoValue64(x, t, h, at, atLo, t == 0 || t == 1)
}

// twoSlope64 is twoSlope32 in float64.
func twoSlope64(p *Params64) (d, dlo float64) {
	d = p.A1 - p.A0
	bb := d - p.A1
	dlo = (p.A1 - (d - bb)) + (-p.A0 - bb)
	return d, dlo + (p.A1lo - p.A0lo)
}
