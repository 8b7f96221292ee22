package main

// The two-valued body: the rows form's elements under label smoothing at
// γ = 2, impl/internal/model's ElemTwoValue32 (twovalue.go) operation for
// operation. It is the hard body's exp, division and log1p with σ's low
// parts, and none of the general body's second division or flagged lanes.

// twoBody computes the loss (and the gradient if wantGrad) of the lanes of
// x against their targets t, pos being the lanes on their row's label
// (t = T1, h = 1). α_t is read from the class tables (T1's in a1, T0's in
// a0). x is destroyed. It returns loss and grad (nil unless wantGrad).
func (g *gen) twoBody(x, t V, pos masks, wantGrad bool) (loss, grad V) {
	h := g.newV()
	g.each(VORP, c("sign"), x, h) // -|z| = -|x|: the exp starts at once
	// z = x(1-2h): x's sign flipped on the label's lanes; on AVX2 pos
	// becomes the sign bit there, which flips the gradient at the end too
	z := x
	var psign slot
	if g.avx512() {
		g.each(VXORP, c("sign"), z, pos.k, z)
	} else {
		g.each(VANDP, c("sign"), pos.v, pos.v)
		g.each(VXORP, pos.v, z, z)
		psign = g.spill(pos.v)
	}
	e, el := g.expoSplit(h, nil, true) // exp(-|z|) = e + el
	u, rcp, cc, r1 := g.recip1(e, el)
	g.each(VSUBP, cc, r1, r1) // r1 - c
	rc := g.newV()
	g.each(VMOVAP, rcp, rc)
	g.each(VFMADD132P, r1, rcp, rc) // rc = rcp·(r1-c) + rcp
	rclo := g.newV()
	g.each(VSUBP, rc, rcp, rclo)      // rcp - rc
	g.each(VFMADD231P, r1, rcp, rclo) // + rcp·(r1-c): σ(|z|)'s low part
	elrc := g.newV()
	g.each(VMULP, rc, el, elrc)
	sn := g.newV()
	g.each(VMOVAP, elrc, sn)
	g.each(VFMADD231P, e, rc, sn) // σ(-|z|) = e·rc + el·rc
	snlo := g.newV()
	g.each(VMOVAP, sn, snlo)
	g.each(VFMSUB231P, rc, e, snlo) // e·rc - sn
	g.each(VADDP, elrc, snlo, snlo)
	g.each(VFMADD231P, rclo, e, snlo) // + e·rclo: σ(-|z|)'s low part
	// σ(z), σ(-z), σ(z)'s low part by z's sign (z's sign bit: on AVX2 z
	// itself, kept in a slot until CE's weights; σ(-z) and the low part wait
	// in slots too)
	sz, snz, szlo := g.newV(), g.newV(), g.newV()
	var kn masks
	var zs slot
	if g.avx512() {
		kn.k = g.newK()
		g.each(VPMOV2M, z, kn.k)
	} else {
		kn.v = z
	}
	g.sel(kn, sn, rc, sz)
	if wantGrad {
		g.sel(kn, rc, sn, snz)
	}
	g.sel(kn, snlo, rclo, szlo)
	az := h
	g.each(VORP, c("sign"), z, az) // -|z| again (the exp consumed h)
	azs := g.spill(az)
	if !g.avx512() {
		zs = g.spill(z)
	}
	var snzs slot
	if wantGrad {
		snzs = g.spill(snz)
	}
	szlos := g.spill(szlo)
	szs := g.spill(sz)
	l := g.log1p(u, cc)
	// the side's constants from t: e = min(t, 1-t), 1-e = max(t, 1-t),
	// 1-2e as hi+lo, 2(1-2e)
	tr := g.reload(g.ts)
	s1 := g.newV()
	g.each(VXORP, c("sign"), tr, s1)
	g.each(VADDP, c("one"), s1, s1) // 1 - t
	ek, w := g.newV(), s1
	g.each(VMINP, tr, s1, ek)
	g.each(VMAXP, tr, s1, w) // 1 - e
	// CE = w·|z| + L, w = 1-e for z ≥ 0, e below; L where w·|z| is 0·Inf
	// (a hard side at z = -Inf)
	if !g.avx512() {
		kn.v = g.reload(zs)
	}
	g.sel(kn, ek, w, w)
	ce := g.newV()
	g.each(VMOVAP, l, ce)
	g.each(VFNMADD231P, g.mem(azs), w, ce) // L - w·(-|z|)
	g.each(VMAXP, l, ce, ce)
	eks := g.spill(ek)
	// q = e + (1-2e)·σ(z) and its low part, m = q² with its own
	c12 := g.load("mtwo")
	ek = g.reload(eks)
	g.each(VFMADD213P, c("one"), ek, c12) // 1 - 2e
	c12lo := g.newV()
	g.each(VXORP, c("sign"), c12, c12lo)
	g.each(VADDP, c("one"), c12lo, c12lo)    // 1 - c12, exact
	g.each(VFMADD231P, c("mtwo"), ek, c12lo) // - 2e
	sz = g.reload(szs)
	q := g.newV()
	g.each(VMOVAP, ek, q)
	g.each(VFMADD231P, c12, sz, q)
	qlo := g.newV()
	g.each(VMULP, c12lo, sz, qlo)
	g.each(VFMADD231P, g.mem(szlos), c12, qlo)
	m, mlo := g.newV(), g.newV()
	g.each(VMULP, q, q, m)
	g.each(VMOVAP, m, mlo)
	g.each(VFMSUB231P, q, q, mlo) // q·q - m
	q2 := g.newV()
	g.each(VADDP, q, q, q2)
	g.each(VFMADD231P, q2, qlo, mlo)
	// α_t: T1's where pos, T0's elsewhere
	at, atLo := g.newV(), g.newV()
	g.each(VMOVUP, g.a0, at)
	g.each(VMOVUP, g.a0lo, atLo)
	if g.avx512() {
		g.each(VBLENDMP, g.a1, at, pos.k, at)
		g.each(VBLENDMP, g.a1lo, atLo, pos.k, atLo)
	} else {
		ps := g.reload(psign)
		g.each(blendv, ps, g.a1, at, at)
		g.each(blendv, ps, g.a1lo, atLo, atLo)
	}
	loss, _, _ = g.lossOf(m, mlo, ce, at, atLo)
	if !wantGrad {
		return loss, nil
	}
	// ∂/∂z = α_t·q·(2(1-2e)·σσ'·CE + q·d), d = (σ - e) + σ.lo
	d := g.newV()
	g.each(VSUBP, g.mem(eks), sz, d)
	g.each(VADDP, g.mem(szlos), d, d)
	ss := g.newV()
	g.each(VMULP, g.mem(snzs), sz, ss)
	c2 := c12
	g.each(VADDP, c12, c12, c2)
	g.each(VMULP, c2, ss, ss)
	inner := d
	g.each(VMULP, q, d, inner)
	g.each(VMINP, c("maxf"), ce, ce) // CE = +Inf held finite, as the hard body's
	g.each(VFMADD231P, ss, ce, inner)
	aqh, aql := g.newV(), g.newV()
	g.each(VMULP, at, q, aqh)
	g.each(VMOVAP, aqh, aql)
	g.each(VFMSUB231P, at, q, aql)   // q·at - aqh
	g.each(VFMADD231P, atLo, q, aql) // + q·atLo
	grad = g.newV()
	g.each(VMULP, inner, aql, grad)
	g.each(VFMADD231P, aqh, inner, grad)
	if g.avx512() {
		g.each(VXORP, c("sign"), grad, pos.k, grad)
	} else {
		g.each(VXORP, g.mem(psign), grad, grad)
	}
	return loss, grad
}
