package neon

// The general form, for a vector with a soft target in any lane: the
// model's ElemGen32 and ElemGen64, operation for operation. A hard lane gets
// the hard body's results bit for bit.

// soft returns the loss (and with wantGrad the gradient) of the lanes of x
// and t, and the lanes left to the scalar path (all ones; 0 if none can be:
// γ = 0's loss), whose results are NaN.
func (b *stream) soft(x, t V, mode int, wantGrad bool) (loss, grad, flag V) {
	one := b.k("one")
	a := b.abs(x)
	h := b.neg(a)
	var e, el, el2 V
	if wantGrad {
		e, el, el2 = b.expSoft(h)
	} else {
		e, el = b.expSplit(h, 0, true)
	}
	hard := b.orr(b.cmeq0(t), b.cmeq(t, one))
	u := b.add2(one, e)
	rcp := b.div(one, u)
	c := b.mul(b.add2(b.sub(e, b.sub(u, one)), el), rcp)
	r1 := b.fms(u, rcp, b.fresh("one"))
	r1c := b.sub(r1, c)
	rc := b.fma(rcp, r1c, rcp)              // σ(|x|)
	rclo := b.fma(rcp, r1c, b.sub(rcp, rc)) // σ(|x|) = rc + rclo (rcp - rc is exact)
	var elrc, sn V                          // σ(-|x|): the gradient's
	if wantGrad {
		elrc = b.mul(el, rc)
		sn = b.fma(e, rc, elrc)
	}
	var l, lLo V
	if mode == modeGen {
		l, lLo = b.log1pHL(u, c)
	} else {
		l = b.log1p(u, c)
	}

	// w, v: the weights of the side x does not favour and of the side it does
	neg := b.signs(x)
	s1 := b.sub(one, t)
	tz := b.add2(t, b.sub(s1, one)) // 1-t = s1 - tz exactly
	w, v := b.sel(neg, t, s1), b.sel(neg, s1, t)
	ntz := b.neg(tz)
	wlo, vlo := b.bic(ntz, neg), b.and(ntz, neg)
	// CE = w·|x| + L; a hard lane with w = 0 at x = ±Inf gives 0·Inf: L then
	lw := b.fma(wlo, b.finite(a), l)
	ce := b.fma(w, a, lw)
	ce = b.sel(b.cmgt(ce, lw), ce, lw)
	// A = w + v·e' as ah + alo
	ph := b.mul(v, e)
	pl := b.fma(v, e, b.neg(ph))
	ah := b.add2(w, ph)
	aerr := b.sub(b.fmin(w, ph), b.sub(ah, b.fmax(w, ph))) // Fast2Sum: both terms ≥ 0
	alo := b.fma(v, el, b.add2(pl, aerr))
	alo = b.add2(alo, b.fma(vlo, e, wlo))

	at, atLo := b.alphaT(t, s1)
	wz := b.cmeq0(w) // a hard lane with z < 0: A = e', which may be 0
	var rA V         // 1/A
	if mode == modeGen || wantGrad && mode != mode0 {
		rA = b.div(one, ah)
	}
	var m, mlo V
	switch mode {
	case mode1, mode2:
		// q = A·σ(|x|) rounded once, σ(z) exactly for a hard lane
		ar := b.mul(alo, rc)
		qh := b.fma(ah, rc, ar)
		ql := b.fma(ah, rclo, b.add2(b.fma(ah, rc, b.neg(qh)), ar))
		ql = b.bic(ql, hard)
		if mode == mode1 {
			m, mlo = qh, ql
		} else {
			m = b.mul(qh, qh)
			mlo = b.fma(qh, qh, b.neg(m))
			mlo = b.fma(b.add2(qh, qh), ql, mlo)
		}
	case modeGen:
		// log q = (lh + ll) - (L + lLo); log A = -|x| exactly for a hard
		// lane with w = 0 (held above mzLo, NaN taken as it)
		lh, ll := b.logHL(ah)
		ll = b.fma(alo, rA, ll)
		ll = b.sub(ll, lLo)
		lh = b.sel(wz, b.fmaxnm(h, b.k("mzLo")), lh)
		ll = b.bic(ll, hard)
		m = b.powLog(lh, l, ll)
	}
	loss, amh, aml := b.lossOf(mode, m, mlo, ce, at, atLo)

	// Left to the scalar path: m (α_t·m for γ ∈ {1,2}) below flagTiny while
	// CE > 1 and α_t ≠ 0; with a general γ, a subnormal A (but for w = 0).
	var tiny V
	if rA != 0 {
		tiny = b.bic(b.cmgt(b.k("flagTiny"), ah), wz)
	}
	if mode != mode0 {
		under := m
		if amh != 0 {
			under = amh
		}
		flag = b.cmgt(b.k("flagTiny"), under)
		flag = b.and(flag, b.cmgt(ce, one))
		flag = b.bic(flag, b.cmeq0(at))
		if mode == modeGen {
			flag = b.orr(flag, tiny)
		}
		loss = b.orr(loss, flag) // NaN: all ones
	}
	if !wantGrad {
		return loss, 0, flag
	}

	// d = σ(x) - t from σ as hi+lo: σ(x).hi - t for t ≤ 1/2, -(σ(-x).hi - (1-t)) above
	snlo := b.add2(b.fma(e, rc, b.neg(sn)), elrc)
	snlo = b.fma(e, rclo, snlo)
	d2 := b.mul(b.mul(rc, rc), el2)
	gtm := b.cmgt(t, b.k("half"))
	other := b.eor(neg, gtm)
	hi := b.sel(other, sn, rc)
	lo := b.sel(other, b.add2(snlo, d2), b.sub(rclo, d2))
	tt := b.sel(gtm, s1, t)
	lo = b.bic(lo, hard)
	d := b.add2(b.sub(hi, tt), lo)
	d = b.sel(gtm, b.neg(d), d)

	inner := d
	var gt V // the γ-term over m
	if mode != mode0 {
		rho := b.sel(wz, rc, b.mul(sn, rA)) // σ(x)σ(-x)/q
		ceg := b.finite(ce)
		gv := b.mulE(b.k("one"), b.f.param("g"))
		g2 := b.mulE(b.k("mtwo"), b.f.param("g"))
		gr := b.mul(rho, b.fma(t, g2, gv)) // γ(1-2t) = fma(t, -2γ, γ), rounded once
		inner = b.fma(gr, ceg, d)
		gt = b.mul(gr, ceg)
	}
	grad = b.compensated(mode, m, amh, aml, at, atLo, inner)

	// flagged where d's own error is large against the gradient's two terms
	aa := b.mul(a, a)
	aa = b.fminnm(aa, b.k("softNear"))
	aa = b.fmaxnm(aa, b.k("softFloor"))
	thr := b.mulE(b.mul(b.mul(rc, sn), aa), b.ke("softFlag"))
	size := b.abs(d)
	if gt != 0 {
		size = b.add2(size, b.abs(gt))
	}
	fs := b.cmgt(thr, size)
	if flag != 0 {
		fs = b.orr(fs, flag)
	}
	if mode == mode1 || mode == mode2 {
		fs = b.orr(fs, tiny)
	}
	return loss, b.orr(grad, fs), fs
}
