package neon

// The two-valued body: the rows form's elements under label smoothing at
// γ = 2, and the flat form's soft targets at γ = 2: the model's
// ElemTwoValue32 and ElemTwoValue64 (rows), ElemTwoFlat32 and ElemTwoFlat64
// (flat), operation for operation (impl/asm/_asm/two.go is the amd64 one).
// pos holds the lanes with h = 1. In the rows form those are on their row's
// label and α_t is the stream's (the class tables' T1 or T0 value, chosen by
// pos in rows.go's gather); in the flat form they are those with t > 1/2,
// α_t is formed in the lane from α and the call's slope (twoSlope), a hard
// lane gets the hard body's bits, and a lane below twoMin is flagged.

// twoValue returns the loss (and with wantGrad the gradient) of the lanes
// of x against targets t, and with flat the flagged lanes.
func (b *stream) twoValue(x, t, pos V, wantGrad, flat bool) (loss, grad, flag V) {
	one := b.k("one")
	// the side's constants: e = min(t, 1-t), 1-e = max(t, 1-t), 1-2e as
	// hi+lo; formed first in the flat form, whose hard lanes (e = 0) take
	// σ's low part as 0
	var ek, w1, hard V
	side := func() {
		s1 := b.sub(one, t)
		ek, w1 = b.fmin(t, s1), b.fmax(t, s1)
	}
	if flat {
		side()
		hard = b.cmeq0(ek)
	}
	z := b.sel(pos, b.neg(x), x) // x(1-2h)
	a := b.abs(x)
	e, el := b.expSplit(b.neg(a), 0, true) // exp(-|z|) = e + el
	u := b.add2(one, e)
	rcp := b.div(one, u)
	c := b.mul(b.add2(b.sub(e, b.sub(u, one)), el), rcp)
	r1c := b.sub(b.fms(u, rcp, b.fresh("one")), c) // (1 - u·rcp) - c
	rc := b.fma(rcp, r1c, rcp)                     // σ(|z|)
	elrc := b.mul(el, rc)
	sn := b.fma(e, rc, elrc)                                      // σ(-|z|)
	rclo := b.fma(rcp, r1c, b.sub(rcp, rc))                       // σ(|z|)'s low part
	snlo := b.fma(rclo, e, b.add2(b.fma(e, rc, b.neg(sn)), elrc)) // σ(-|z|)'s
	negz := b.signs(z)
	sz, szlo := b.sel(negz, sn, rc), b.sel(negz, snlo, rclo)
	if flat {
		szlo = b.bic(szlo, hard)
	}
	var snz V
	if wantGrad {
		snz = b.sel(negz, rc, sn)
	}
	l := b.log1p(u, c)
	if !flat {
		side()
	}
	c12 := b.fmaE(ek, b.ke("mtwo"), b.fresh("one"))
	c12lo := b.fmaE(ek, b.ke("mtwo"), b.sub(one, c12))
	// CE = w·|z| + L, or L where w·|z| is 0·Inf (a hard side at z = -Inf)
	ce := b.fmaxnm(b.fma(b.sel(negz, ek, w1), a, l), l)
	q := b.fma(c12, sz, ek)
	qlo := b.fma(c12, szlo, b.mul(c12lo, sz))
	m := b.mul(q, q)
	mlo := b.fma(b.add2(q, q), qlo, b.fma(q, q, b.neg(m)))
	var at, atLo V
	if flat {
		at, atLo = b.twoAlpha(ek, pos)
	} else {
		at, atLo = b.alpha[0], b.alpha[1]
	}
	loss, amh, aml := b.lossOf(mode2, m, mlo, ce, at, atLo)
	if flat {
		// the lanes below twoMin go to the scalar path (a hard lane is not one)
		flag = b.bic(b.cmgt(b.k("twoMin"), ek), hard)
		loss = b.orr(loss, flag) // NaN: all ones
	}
	if !wantGrad {
		return loss, 0, flag
	}
	// ∂/∂z = α_t·q·(2(1-2e)·σσ'·CE + q·d), d = (σ - e) + σ.lo
	d := b.add2(b.sub(sz, ek), szlo)
	ceg := b.finite(ce)
	inner := b.fma(b.mul(b.add2(c12, c12), b.mul(sz, snz)), ceg, b.mul(q, d))
	g := b.mul(b.fma(at, q, b.mul(atLo, q)), inner)
	if flat {
		// a hard lane: the hard body's α_t·m·(2σ(-z)·CE + σ(z)), α_t·m
		// from the loss
		ih := b.fma(b.add2(snz, snz), ceg, sz)
		g = b.sel(hard, b.fma(amh, ih, b.mul(aml, ih)), g)
	}
	g = b.sel(pos, b.neg(g), g)
	if flat {
		g = b.orr(g, flag)
	}
	return loss, g, flag
}

// twoAlpha returns the flat form's α_t = A + e·D as hi+lo: A the side's α
// (a1 where pos, a0 elsewhere) and D = ±(A1 - A0) toward the other side,
// from the call's slope (twoSlope), with the fma's error (A - α_t is exact
// where A ≥ 1/4), α's low part and e·D's.
func (b *stream) twoAlpha(ek, pos V) (at, atLo V) {
	p := b.f.param
	one := b.k("one")
	aa := b.sel(pos, b.mulE(one, p("a1")), b.mulE(one, p("a0")))
	alo := b.sel(pos, b.mulE(one, p("a1lo")), b.mulE(one, p("a0lo")))
	d, dlo := b.k("twoD"), b.k("twoDlo")
	d, dlo = b.sel(pos, b.neg(d), d), b.sel(pos, b.neg(dlo), dlo)
	at = b.fma(ek, d, aa)
	atLo = b.fma(ek, d, b.sub(aa, at))
	atLo = b.fma(ek, dlo, b.add2(atLo, alo))
	return at, atLo
}

// twoSlope forms the slope D = A1 - A0 as hi+lo once per call into pinned
// registers (the resident constants twoD and twoDlo), the model's twoSlope32
// operation for operation: D by TwoSum and the pairs' low parts.
func (f *fn) twoSlope(d, dlo V) {
	b := f.stream()
	p := f.param
	one := b.k("one")
	a1, a0 := b.mulE(one, p("a1")), b.mulE(one, p("a0"))
	b.assign(d, b.sub(a1, a0))
	bb := b.sub(d, a1)
	r := b.sub(a1, b.sub(d, bb))
	r = b.sub(r, b.add2(a0, bb)) // + (-A0 - bb), its negation exactly
	b.assign(dlo, b.add2(r, b.sub(b.mulE(one, p("a1lo")), b.mulE(one, p("a0lo")))))
	f.direct(b)
	f.res["twoD"], f.res["twoDlo"] = d, dlo
}
