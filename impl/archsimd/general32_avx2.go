//go:build goexperiment.simd && amd64 && !purego

package archsimd

import "github.com/focalkernels/focal/impl/internal/model"

// The AVX2 level's float32 general form (model.ElemGen32): gen32AVX2, the
// body kernel32AVX2 runs for a vector with a soft target and for a call's
// last part (it gives a hard lane the hard form's results bit for bit, and
// flags the lanes it leaves to float64), its exp and logs as hi+lo
// (expSoft32AVX2, logHL32AVX2, log1pHL32AVX2) and the sign operations
// neg32AVX2 and abs32AVX2.

// gen32AVX2 returns the loss of the lanes of x and t at γ mode M, and for O =
// kLossGrad their gradient, with the lanes left to float64 flagged (their
// loss, or for kLossGrad their gradient, is NaN); each lane's α_t is
// t·α1 + (1-t)·α0 from its lanes of a1, a0 (and their lo parts), the
// call's α splat or each rows lane's class α. It is a call of its own:
// the kernels' hard body, which most vectors take, keeps its registers.
func gen32AVX2[O opKind, M modeKind](xv, tv, a1, a0, a1lo, a0lo f32AVX2, bp *bcast32AVX2) (lv, gv f32AVX2, flag m32AVX2) {
	op, mode := opOf[O](), modeOf[M]()
	var zero f32AVX2
	one := c32AVX2(kOne)
	sign := bits32AVX2(c32AVX2(kSign))
	maxf := c32AVX2(kMaxf)
	xb := bits32AVX2(xv)
	a := fromBits32AVX2(xb.AndNot(sign)) // |x|
	na := fromBits32AVX2(xb.Or(sign))    // -|x|
	neg := xb.Less(i32AVX2{})            // x's sign bit
	hard := tv.Equal(zero).Or(tv.Equal(one))
	e, el, el2 := expSoft32AVX2(na)
	u := one.Add(e)
	rcp := one.Div(u)
	c := e.Sub(u.Sub(one)).Add(el).Mul(rcp)
	r1 := c32AVX2(kMone).Sub(e).MulAdd(rcp, one) // fma(-u, rcp, 1): -u = -1-e exactly
	rc := rcp.MulAdd(r1.Sub(c), rcp)             // σ(|x|)
	elrc := el.Mul(rc)
	sn := e.MulAdd(rc, elrc) // σ(-|x|)
	var l, lLo f32AVX2
	if mode == model.ModeGen {
		l, lLo = log1pHL32AVX2(u, c)
	} else {
		big := u.Greater(c32AVX2(kSqrt2))
		f := u.MulAdd(c32AVX2(kHalf), c32AVX2(kMone)).Merge(u.Sub(one), big)
		l = logCore32AVX2(f, one.Masked(big), c)
	}

	s1 := one.Sub(tv)
	tz := tv.Add(s1.Sub(one)) // 1-t = s1 - tz exactly
	ntz := neg32AVX2(tz)
	w, v := tv.Merge(s1, neg), s1.Merge(tv, neg)
	wlo, vlo := zero.Merge(ntz, neg), ntz.Masked(neg)
	// CE = w·|x| + L; 0·Inf at a hard lane with w = 0 (x = ±Inf) gives L
	lw := wlo.MulAdd(a.Min(maxf), l)
	ce := w.MulAdd(a, lw)
	ce = ce.Merge(lw, ce.Greater(lw))
	// A = w + v·e' as ah + alo (Fast2Sum of two terms ≥ 0, the larger first)
	ph := v.Mul(e)
	pl := v.MulAdd(e, neg32AVX2(ph))
	ah := w.Add(ph)
	aerr := w.Min(ph).Sub(ah.Sub(w.Max(ph)))
	alo := v.MulAdd(el, pl.Add(aerr))
	alo = alo.Add(vlo.MulAdd(e, wlo))
	rclo := rcp.MulAdd(r1.Sub(c), rcp.Sub(rc)) // σ(|x|) = rc + rclo

	at := tv.MulAdd(a1, s1.Mul(a0))
	atLo := tv.MulAdd(a1lo, s1.Mul(a0lo))
	wz := w.Equal(zero) // a hard lane with z < 0: A = e', which may be 0

	var m, mLo, rA f32AVX2
	if mode != model.Mode0 {
		rA = one.Div(ah)
	}
	switch mode {
	case model.Mode1, model.Mode2:
		// q = A·σ(|x|) rounded once, σ(z) exactly for a hard lane
		ar := alo.Mul(rc)
		qh := ah.MulAdd(rc, ar)
		ql := ah.MulAdd(rclo, ah.MulAdd(rc, neg32AVX2(qh)).Add(ar))
		ql = zero.Merge(ql, hard)
		if mode == model.Mode1 {
			m, mLo = qh, ql
		} else {
			m = qh.Mul(qh)
			mLo = qh.MulAdd(qh, neg32AVX2(m))
			mLo = qh.Add(qh).MulAdd(ql, mLo)
		}
	case model.ModeGen:
		// log q = (lh + ll) - (l + lLo), γ·log q split exactly as the hard
		// form splits γ·(min(z,0) - L); log A = -|x| exactly for a hard lane
		// with w = 0 (the hard form's min(z,0))
		lh, ll := logHL32AVX2(ah)
		ll = alo.MulAdd(rA, ll)
		ll = ll.Sub(lLo)
		mzLo := c32AVX2(kMzLo)
		lh = na.Merge(mzLo, na.Greater(mzLo)).Merge(lh, wz)
		ll = zero.Merge(ll, hard)
		h, lo := gammaLog32AVX2(bp, lh, l)
		lo = bp.get(bG).MulAdd(ll, lo)
		r, k := expArg32AVX2(h)
		mp, mpLo := expPoly32AVX2(r.Add(clampLo32AVX2(lo)))
		m, _ = scale32AVX2(mp, mpLo, k)
	}
	lv, amh, aml := loss32AVX2(mode, true, at, atLo, m, mLo, ce)
	// Left to float64: a lane whose m (α_t·m for γ ∈ {1,2}) underflows
	// while CE > 1, and with a general γ one whose A is subnormal (see
	// model.ElemGen32). The flags are all-ones lanes of fl, combined by selections
	// rather than by And and Or of masks: Go 1.26's AVX-512 ternary-logic
	// rewrite (the SSA pass rewriteTern) miscomputes such trees where two of
	// them share a node (the gradients of hard lanes came out flagged).
	var fl, none i32AVX2
	ones := bits32AVX2(c32AVX2(kOnes))
	var tiny m32AVX2 // A subnormal, but for a hard lane with w = 0
	if mode != model.Mode0 {
		tiny = one.Merge(ah, wz).Less(c32AVX2(kFlagTiny))
		under := m
		if mode != model.ModeGen {
			under = amh
		}
		fl = ones.Merge(none, under.Less(c32AVX2(kFlagTiny)))
		fl = fl.Merge(none, ce.Greater(one))
		fl = fl.Merge(none, at.NotEqual(zero))
		if mode == model.ModeGen {
			fl = ones.Merge(fl, tiny)
		}
		lv = fromBits32AVX2(bits32AVX2(lv).Or(fl))
	}
	flag = fl.NotEqual(none)
	if op != opLossGrad {
		return lv, gv, flag
	}

	// d = σ(x) - t from σ as hi+lo (el2 included): σ(x).hi - t for t ≤ 1/2,
	// -(σ(-x).hi - (1-t)) above, where 1-t is exact.
	snlo := e.MulAdd(rc, neg32AVX2(sn)).Add(elrc)
	snlo = e.MulAdd(rclo, snlo)
	d2 := rc.Mul(rc).Mul(el2)
	gtm := tv.Greater(c32AVX2(kHalf))
	swap := xb.Xor(maskInt32AVX2(gtm)).Less(i32AVX2{}) // x < 0 xor t > 1/2
	hi := sn.Merge(rc, swap)
	lo := snlo.Add(d2).Merge(rclo.Sub(d2), swap)
	tt := s1.Merge(tv, gtm)
	lo = zero.Merge(lo, hard)
	d := hi.Sub(tt).Add(lo)
	d = fromBits32AVX2(bits32AVX2(d).Xor(sign.Masked(gtm)))

	var gt f32AVX2 // the γ-term over m: γ(1-2t)·ρ·CE, ρ = σ(x)σ(-x)/q = σ(-|x|)/A
	inner := d
	if mode != model.Mode0 {
		rho := rc.Merge(sn.Mul(rA), wz)
		ceg := ce.Min(maxf)                                // CE = +Inf at x = ±Inf, where σσ'·CE → 0
		gr := rho.Mul(tv.MulAdd(bp.get(bNg2), bp.get(bG))) // γ(1-2t) rounded once
		inner = gr.MulAdd(ceg, d)
		gt = gr.Mul(ceg)
	}
	switch mode {
	case model.Mode0:
		gv = at.MulAdd(d, atLo.Mul(d))
	case model.ModeGen:
		mi := m.Mul(inner)
		gv = at.MulAdd(mi, atLo.Mul(mi))
	default:
		gv = amh.MulAdd(inner, aml.Mul(inner))
	}
	// d's own error, σ(x)σ(-x)·min(x², 1/16)·2^-27 or so, and σ's hi+lo
	// rounding, against the gradient's two terms
	aa := a.Mul(a)
	near := c32AVX2(kSoftNear)
	aa = aa.Merge(near, aa.Less(near))
	floor := c32AVX2(kSoftFloor)
	aa = aa.Merge(floor, aa.Greater(floor))
	thr := rc.Mul(sn).Mul(aa).Mul(c32AVX2(kSoftFlag))
	size := abs32AVX2(d).Add(abs32AVX2(gt))
	fl = ones.Merge(fl, size.Less(thr))
	if mode != model.Mode0 {
		fl = ones.Merge(fl, tiny)
	}
	return lv, fromBits32AVX2(bits32AVX2(gv).Or(fl)), fl.NotEqual(none)
}

// two32AVX2 is the two-valued body (the model's twoValue32): with h1 the
// lanes with h = 1, in the rows form (flat false) those on their row's label,
// with α_t from the class tables (a1, a0 and their low parts); in the flat
// form those with t > 1/2 (ElemTwoFlat32), with α_t formed in the lane from
// α and the call's slope d + dlo, a hard lane in the hard body's bits, and
// the lanes below kTwoMin flagged (fl) for float64.
func two32AVX2[O opKind](xv, tv f32AVX2, h1 m32AVX2, a1, a0, a1lo, a0lo, d, dlo f32AVX2, flat bool) (lv, gv f32AVX2, fl m32AVX2) {
	one := c32AVX2(kOne)
	var zero f32AVX2
	sign := bits32AVX2(c32AVX2(kSign))
	sgn := sign.Masked(h1)
	xb := bits32AVX2(xv)
	z := fromBits32AVX2(xb.Xor(sgn))     // z = ±x
	na := fromBits32AVX2(xb.Or(sign))    // -|z|
	a := fromBits32AVX2(xb.AndNot(sign)) // |z|
	r, k := expArg32AVX2(na)
	ep, epLo := expPoly32AVX2(r)
	e, el := scale32AVX2(ep, epLo, k) // exp(-|z|) = e + el
	u := one.Add(e)
	rcp := one.Div(u)
	c := e.Sub(u.Sub(one)).Add(el).Mul(rcp)
	r1c := c32AVX2(kMone).Sub(e).MulAdd(rcp, one).Sub(c) // fma(-u, rcp, 1) - c
	rc := rcp.MulAdd(r1c, rcp)                           // σ(|z|)
	elrc := el.Mul(rc)
	sn := e.MulAdd(rc, elrc)                                      // σ(-|z|)
	rclo := rcp.MulAdd(r1c, rcp.Sub(rc))                          // σ(|z|)'s low part
	snlo := rclo.MulAdd(e, e.MulAdd(rc, neg32AVX2(sn)).Add(elrc)) // σ(-|z|)'s
	neg := bits32AVX2(z).Less(i32AVX2{})                          // z's sign bit
	sz, snz, szlo := sn.Merge(rc, neg), rc.Merge(sn, neg), snlo.Merge(rclo, neg)
	big := u.Greater(c32AVX2(kSqrt2))
	f := u.MulAdd(c32AVX2(kHalf), c32AVX2(kMone)).Merge(u.Sub(one), big)
	l := logCore32AVX2(f, one.Masked(big), c)
	// the side's constants: e = min(t, 1-t), 1-e = max(t, 1-t), 1-2e as
	// hi+lo, 2(1-2e)
	s1 := one.Sub(tv)
	ek, w1 := tv.Min(s1), tv.Max(s1)
	var hard m32AVX2 // flat: the hard lanes (e = 0), σ's low part taken as 0
	if flat {
		hard = ek.Equal(zero)
		szlo = zero.Merge(szlo, hard)
	}
	mtwo := c32AVX2(kMtwo)
	c12 := ek.MulAdd(mtwo, one)
	c12lo := ek.MulAdd(mtwo, one.Sub(c12))
	// CE = w·|z| + L, or L where w·|z| is 0·Inf (a hard side at z = -Inf)
	ce := ek.Merge(w1, neg).MulAdd(a, l)
	ce = ce.Merge(l, ce.Greater(l))
	q := c12.MulAdd(sz, ek)
	qlo := c12.MulAdd(szlo, c12lo.Mul(sz))
	m := q.Mul(q)
	mLo := q.Add(q).MulAdd(qlo, q.MulAdd(q, neg32AVX2(m)))
	at, atLo := a1.Merge(a0, h1), a1lo.Merge(a0lo, h1)
	if flat {
		// α_t = A + e·D, D = ±(A1 - A0) toward the other side, with the
		// fma's error (A - α_t exact where A ≥ 1/4), α's low part, e·D's
		dd, ddlo := neg32AVX2(d).Merge(d, h1), neg32AVX2(dlo).Merge(dlo, h1)
		aa := at
		at = ek.MulAdd(dd, aa)
		atLo = ek.MulAdd(ddlo, ek.MulAdd(dd, aa.Sub(at)).Add(atLo))
	}
	lv, amh, aml := loss32AVX2(model.Mode2, true, at, atLo, m, mLo, ce)
	// flat: the lanes below kTwoMin go to float64 (a hard lane is not one),
	// all-ones lanes selected as gen32AVX2's flags are
	var fb, none i32AVX2
	if flat {
		fb = bits32AVX2(c32AVX2(kOnes)).Merge(none, ek.Less(c32AVX2(kTwoMin)))
		fb = none.Merge(fb, hard)
		lv = fromBits32AVX2(bits32AVX2(lv).Or(fb))
		fl = fb.NotEqual(none)
	}
	if opOf[O]() != opLossGrad {
		return lv, gv, fl
	}
	d2 := sz.Sub(ek).Add(szlo)
	ceg := ce.Min(c32AVX2(kMaxf))
	inner := c12.Add(c12).Mul(sz.Mul(snz)).MulAdd(ceg, q.Mul(d2))
	gv = at.MulAdd(q, atLo.Mul(q)).Mul(inner)
	if flat {
		// a hard lane: the hard body's α_t·m·(2σ(-z)·CE + σ(z)), α_t·m
		// from the loss
		ih := snz.Add(snz).MulAdd(ceg, sz)
		gv = amh.MulAdd(ih, aml.Mul(ih)).Merge(gv, hard)
	}
	gv = fromBits32AVX2(bits32AVX2(gv).Xor(sgn))
	if flat {
		gv = fromBits32AVX2(bits32AVX2(gv).Or(fb))
	}
	return lv, gv, fl
}
