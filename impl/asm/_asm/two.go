package main

// The two-valued body: the rows form's elements under label smoothing at
// γ = 2, impl/internal/model's ElemTwoValue32 (twovalue.go) operation for
// operation. It is the hard body's exp, division and log1p with σ's low
// parts, and none of the general body's second division or flagged lanes.
// It is also the flat form's soft step at γ = 2 (softStep, with the call's
// slope from twoSlope): impl/internal/model's ElemTwoFlat32.

import (
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// twoBody computes the loss (and the gradient if wantGrad) of the lanes of
// x against their targets t, pos being the lanes with h = 1: in the rows
// form those on their row's label (t = T1), whose α_t is read from the
// class tables (T1's in a1, T0's in a0); with flat, those with t > 1/2,
// whose α_t is formed in the lane from the call's α pairs and slope (g.d,
// g.dlo), whose hard lanes get the hard body's bits, and whose lanes below
// twoMin are flagged (model's ElemTwoFlat32 and Elem32). x is destroyed. It
// returns loss, grad (nil unless wantGrad) and the flagged lanes.
func (g *gen) twoBody(x, t V, pos masks, wantGrad, flat bool) (loss, grad V, flag masks) {
	h := g.newV()
	g.each(VORP, c("sign"), x, h) // -|z| = -|x|: the exp starts at once
	// -|z| waits for CE beside the exp, which consumes h: on AVX-512 a copy
	// (a move, not a vector operation); AVX2, short of registers, forms it
	// again after the exp
	// In float64 LossGrad's uniform step (per-side values in frame slots,
	// x at g.xm, α and γ in the frame: g.frameScalars) AVX-512 forms -|z|
	// again from x at CE, and selects e again where it is used, rather than
	// holding them: the registers go to a closer stagger of the vectors
	// (lagOf's Soft3 entries), 11% faster on the Intel Xeon in results/
	// (stagger64-revs). Sum and Loss, and float32, measured no faster at the
	// staggers this allowed them, and the two operations more a vector made
	// float32's Loss 4% slower.
	reselect := g.frameScalars && g.xm != nil // g.xm: a uniform step's
	var azs slot
	if g.avx512() && !reselect {
		az := g.newV()
		g.each(VMOVAP, h, az)
		azs = slot{v: az}
	}
	// z = x(1-2h): x's sign flipped on the label's lanes; on AVX2 pos
	// becomes the sign bit there, which flips the gradient at the end too
	z := x
	sd := side{pos: pos}
	switch {
	case g.noLabel: // every lane on T0's side: z = x
	case g.avx512():
		g.each(VXORP, c("sign"), z, pos.k, z)
	default:
		if g.sides != nil { // the selects from tables take the whole mask
			sd.ctl = g.spill(pos.v)
		}
		g.each(VANDP, c("sign"), pos.v, pos.v)
		g.each(VXORP, pos.v, z, z)
		sd.sign = g.spill(pos.v)
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
	// σσ' for the gradient: a flat step's hard lanes take σ(-z) itself
	// (hardGrad); elsewhere σ(z)σ(-z) = rc·sn, whichever is σ(z), with no
	// select
	var ssMul V
	switch {
	case wantGrad && flat:
		g.sel(kn, rc, sn, snz)
	case wantGrad:
		ssMul = snz
		g.each(VMULP, rc, sn, ssMul)
	}
	g.sel(kn, snlo, rclo, szlo)
	if !g.avx512() {
		az := h
		g.each(VORP, c("sign"), z, az) // -|z| again
		azs = g.spill(az)
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
	// 1-2e as hi+lo, 2(1-2e); the rows form's AVX-512 kernels select them,
	// formed once per call (twoSides)
	ek, w, kept := g.sidePair(0, sd)
	if !kept {
		ek, w = g.sideValues(g.reload(g.ts))
	}
	// CE = w·|z| + L, w = 1-e for z ≥ 0, e below; L where w·|z| is 0·Inf
	// (a hard side at z = -Inf: a flat step's hard lanes, or the rows
	// form's T1 where ε/2 is below half an ULP of 1). A uniform step's kept
	// targets have e ≥ twoMin (uniLearn), so w > 0 there: CE is w·|z| + L ≥
	// L already, and NaN only where L is (x NaN)
	uniform := g.uniSides != nil && g.sides != nil
	if !g.avx512() {
		kn.v = g.reload(zs)
	}
	g.sel(kn, ek, w, w)
	ce := g.newV()
	g.each(VMOVAP, l, ce)
	if reselect {
		az := g.newV()
		g.each(VMOVUP, g.xm, az)
		g.each(VORP, c("sign"), az, az) // -|x| = -|z|
		azs = slot{v: az}
	}
	g.each(VFNMADD231P, g.mem(azs), w, ce) // L - w·(-|z|)
	if !uniform {
		g.each(VMAXP, l, ce, ce)
	}
	eks := g.spill(ek)
	ekAt := func() V { // e where it is used
		if reselect {
			return g.twoSide(0, sd)
		}
		return g.reload(eks)
	}
	// flat: α_t = A + e·D, A the side's α and D = ±(A1 - A0) toward the
	// other side, with its error: A - α_t (exact where A ≥ 1/4), α's low
	// part, e·D's; formed here, where few values are live, and kept in slots
	var ats, atLos slot
	if flat {
		at, atLo := g.sideAlpha(sd)
		dp, dlop := g.newV(), g.newV()
		g.each(VMOVUP, g.d, dp)
		g.each(VMOVUP, g.dlo, dlop)
		if g.avx512() {
			g.each(VXORP, c("sign"), dp, pos.k, dp)
			g.each(VXORP, c("sign"), dlop, pos.k, dlop)
		} else {
			g.each(VXORP, g.mem(sd.sign), dp, dp)
			g.each(VXORP, g.mem(sd.sign), dlop, dlop)
		}
		at, atLo = g.flatAlpha(at, atLo, dp, dlop, g.reload(eks))
		ats, atLos = g.spill(at), g.spill(atLo)
	}
	// q = e + (1-2e)·σ(z) and its low part, m = q² with its own
	var c12 V
	if g.sides == nil && !g.noLabel {
		c12 = g.load("mtwo")
	}
	if flat || reselect { // elsewhere ek is in its register yet
		ek = ekAt()
	}
	// a hard lane (flat, e = 0) takes σ's low part as 0, as the hard body:
	// its mask kept on AVX-512, formed from e at each use on AVX2, whose
	// registers are full
	var hardK masks
	hard := func() masks {
		if hardK.k != nil {
			return hardK
		}
		m := g.cmp(0, c("zero"), g.reload(eks))
		if g.avx512() {
			hardK = m
		}
		return m
	}
	c12k, c12lo, kept := g.sidePair(2, sd)
	if kept {
		c12 = c12k
	} else {
		c12lo = g.slope12(ek, c12)
	}
	sz = g.reload(szs)
	q := g.newV()
	g.each(VMOVAP, ek, q)
	g.each(VFMADD231P, c12, sz, q)
	// a hard lane's σ low part is 0: on AVX-512 zeroed once in its
	// register, for q's and d's, where c12lo = 0 makes q's low part 0 too;
	// AVX2 zeroes both where they are formed
	if flat && g.avx512() {
		g.zeroWhere(hard(), g.reload(szlos))
	}
	qlo := g.newV()
	g.each(VMULP, c12lo, sz, qlo)
	g.each(VFMADD231P, g.mem(szlos), c12, qlo)
	if flat && !g.avx512() {
		g.zeroWhere(hard(), qlo) // c12·0 + 0·σ
	}
	m, mlo := g.newV(), g.newV()
	g.each(VMULP, q, q, m)
	g.each(VMOVAP, m, mlo)
	g.each(VFMSUB231P, q, q, mlo) // q·q - m
	q2 := g.newV()
	g.each(VADDP, q, q, q2)
	g.each(VFMADD231P, q2, qlo, mlo)
	var at, atLo V
	switch {
	case flat:
		at, atLo = g.reload(ats), g.reload(atLos)
	case uniform: // the flat form's kept targets (uniform.go)
		at, atLo = g.twoSidePair(4, sd)
	default:
		at, atLo = g.sideAlpha(sd)
	}
	var amh, aml, cec V
	loss, amh, aml, cec = g.lossOf(m, mlo, ce, at, atLo)
	// flat: the lanes below twoMin go to float64 (a hard lane, e = 0, is
	// not one), flagged once the results are formed
	tiny := func() {
		flag = g.cmp(1, c("twoMin"), g.reload(eks)) // e < twoMin
		g.andNot(flag, hard())
		g.nanWhere(flag, loss)
		if grad != nil {
			g.nanWhere(flag, grad)
		}
	}
	if !wantGrad {
		if flat {
			tiny()
		}
		return loss, nil, flag
	}
	ce = g.finiteCE(ce, cec) // CE = +Inf held finite, as the hard body's
	// flat, a hard lane: the hard body's α_t·m·(2σ(-z)·CE + σ(z)), α_t·m
	// from the loss. AVX-512 forms it first, so that α_t·m need not wait
	// beside the gradient's values (32 registers do not hold both vectors'
	// then); AVX2 keeps α_t·m and the loss in slots and forms it last.
	var ghs, amhs, amls, losss slot
	hardGrad := func() V {
		ih := g.newV()
		snz := g.reload(snzs)
		g.each(VADDP, snz, snz, ih)
		g.each(VFMADD213P, g.reload(szs), ce, ih) // 2σ(-z)·CE + σ(z)
		gh := g.newV()
		g.each(VMULP, ih, g.reload(amls), gh)
		g.each(VFMADD231P, g.reload(amhs), ih, gh)
		return gh
	}
	if flat {
		amhs, amls, losss = g.spill(amh), g.spill(aml), g.spill(loss)
		if g.avx512() {
			ghs = g.spill(hardGrad())
		}
	}
	// ∂/∂z = α_t·q·(2(1-2e)·σσ'·CE + q·d), d = (σ - e) + σ.lo
	d := g.newV()
	if reselect {
		g.each(VSUBP, ekAt(), sz, d)
	} else {
		g.each(VSUBP, g.mem(eks), sz, d)
	}
	if flat && !g.avx512() {
		szl := g.reload(szlos)
		g.zeroWhere(hard(), szl)
		g.each(VADDP, szl, d, d)
	} else {
		g.each(VADDP, g.mem(szlos), d, d)
	}
	c2 := c12
	g.each(VADDP, c12, c12, c2)
	ss := g.newV()
	if ssMul != nil {
		g.each(VMULP, g.mem(snzs), c2, ss)
	} else {
		g.each(VMULP, g.mem(snzs), sz, ss)
		g.each(VMULP, c2, ss, ss)
	}
	inner := d
	g.each(VMULP, q, d, inner)
	g.each(VFMADD231P, ss, ce, inner)
	grad = g.newV() // α_t·q rounded once, beside inner's chain, then times inner
	g.each(VMULP, atLo, q, grad)
	g.each(VFMADD231P, at, q, grad)
	g.each(VMULP, inner, grad, grad)
	if flat {
		if g.avx512() {
			g.sel(hard(), g.reload(ghs), grad, grad)
		} else {
			g.sel(hard(), hardGrad(), grad, grad)
		}
		loss = g.reload(losss)
		tiny()
	}
	switch {
	case g.noLabel:
	case g.avx512():
		g.each(VXORP, c("sign"), grad, pos.k, grad)
	default:
		g.each(VXORP, g.mem(sd.sign), grad, grad)
	}
	return loss, grad, flag
}

// paramSlots is how many vectors an AVX2 flat function's parameters take on
// the stack before the soft body's slots: α's four, γ's two, Sum's
// accumulator, -2γ (the general body's), and the two-valued body's slope.
const paramSlots = 10

// softStep is the soft step's body: the two-valued body at γ = 2 (h = 1 above
// t = 1/2), the general body otherwise.
func (g *gen) softStep(x, t V, o op) (loss, grad V, flag masks) {
	if g.mode != mode2 {
		return g.softBody(x, t, o)
	}
	pos := g.uniPos // a uniform step's, from its test
	if pos.k == nil && pos.v == nil {
		pos = g.cmp(0x1e, c("half"), t) // t > 1/2
	}
	return g.twoBody(x, t, pos, o == opLossGrad, g.sides == nil)
}

// softLag is the soft step's stagger: the two-valued body's at γ = 2.
func (g *gen) softLag() int {
	g.two = g.mode == mode2
	l := g.lag(true)
	g.two = false
	return l
}

// load1 loads src into v: by broadcast where it is a scalar (AVX-512's
// constants and parameters), whole otherwise.
func (g *gen) load1(src Op, v reg.VecVirtual) {
	if g.avx512() && g.hasConst([]Op{src}) {
		VBROADCASTS(src, v)
		return
	}
	VMOVUP(src, v)
}

// twoSlope forms the two-valued body's slope D = A1 - A0 as hi+lo once per
// call, the model's twoSlope32 operation for operation: D by TwoSum and the
// pairs' low parts, into dSlot and dloSlot.
func (g *gen) twoSlope(dSlot, dloSlot Mem) {
	a1, a0, a1lo, a0lo := g.vec(), g.vec(), g.vec(), g.vec()
	g.load1(g.a1.(Op), a1)
	g.load1(g.a0.(Op), a0)
	d, bb, r := g.vec(), g.vec(), g.vec()
	VSUBP(a0, a1, d)  // A1 - A0
	VSUBP(a1, d, bb)  // d - A1
	VSUBP(bb, d, r)   // d - bb
	VSUBP(r, a1, r)   // A1 - (d - bb)
	VADDP(bb, a0, a0) // A0 + bb: -A0 - bb is its negation, exactly
	VSUBP(a0, r, r)   // (A1 - (d - bb)) + (-A0 - bb)
	g.load1(g.a1lo.(Op), a1lo)
	g.load1(g.a0lo.(Op), a0lo)
	VSUBP(a0lo, a1lo, a1lo) // A1lo - A0lo
	VADDP(a1lo, r, r)
	VMOVUP(d, dSlot)
	VMOVUP(r, dloSlot)
	g.d, g.dlo = dSlot, dloSlot
}
