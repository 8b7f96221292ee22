package neon

// The two-valued body: the rows form's elements under label smoothing at
// γ = 2, the model's ElemTwoValue32 and ElemTwoValue64 operation for
// operation (impl/asm/_asm/two.go is the amd64 one). pos holds the lanes on
// their row's label (h = 1); α_t is the stream's (the class tables' T1 or
// T0 value, chosen by pos in rows.go's gather).

// twoValue returns the loss (and with wantGrad the gradient) of the lanes
// of x against targets t.
func (b *stream) twoValue(x, t, pos V, wantGrad bool) (loss, grad V) {
	one := b.k("one")
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
	var snz V
	if wantGrad {
		snz = b.sel(negz, rc, sn)
	}
	l := b.log1p(u, c)
	// the side's constants: e = min(t, 1-t), 1-e = max(t, 1-t), 1-2e as
	// hi+lo
	s1 := b.sub(one, t)
	ek, w1 := b.fmin(t, s1), b.fmax(t, s1)
	c12 := b.fmaE(ek, b.ke("mtwo"), b.fresh("one"))
	c12lo := b.fmaE(ek, b.ke("mtwo"), b.sub(one, c12))
	// CE = w·|z| + L, or L where w·|z| is 0·Inf (a hard side at z = -Inf)
	ce := b.fmaxnm(b.fma(b.sel(negz, ek, w1), a, l), l)
	q := b.fma(c12, sz, ek)
	qlo := b.fma(c12, szlo, b.mul(c12lo, sz))
	m := b.mul(q, q)
	mlo := b.fma(b.add2(q, q), qlo, b.fma(q, q, b.neg(m)))
	at, atLo := b.alpha[0], b.alpha[1]
	loss, _, _ = b.lossOf(mode2, m, mlo, ce, at, atLo)
	if !wantGrad {
		return loss, 0
	}
	// ∂/∂z = α_t·q·(2(1-2e)·σσ'·CE + q·d), d = (σ - e) + σ.lo
	d := b.add2(b.sub(sz, ek), szlo)
	inner := b.fma(b.mul(b.add2(c12, c12), b.mul(sz, snz)), b.finite(ce), b.mul(q, d))
	aqh := b.mul(at, q)
	aql := b.fma(atLo, q, b.fma(at, q, b.neg(aqh)))
	g := b.fma(aqh, inner, b.mul(aql, inner))
	return loss, b.sel(pos, b.neg(g), g)
}
