package main

// exp as 2^k·p(r), as expSplit in generic.go.

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
)

// expo returns exp(h+lo) (lo may be nil) into h's registers (h is destroyed).
func (g *gen) expo(h, lo V) V {
	p, _ := g.expoSplit(h, lo, false)
	return p
}

// expoSplit is expo that also returns, if wantLo, the rounding error of p's
// last addition scaled like p (see expSplit in generic.go).
func (g *gen) expoSplit(h, lo V, wantLo bool) (V, V) {
	if !g.fast { // the fast scaling sends k < -125 (and NaN) to the slow step, which clamps
		lim := g.load("expLo")
		g.each(VMAXPS, h, lim, h) // NaN h stays NaN: MAXPS returns its second source on NaN
	}
	kf := g.newV()
	g.each(VMULPS, c("log2e"), h, kf)
	var ki V
	if g.avx512() {
		g.each(VRNDSCALEPS, U8(0), kf, kf)
	} else {
		ki = g.newV()
		g.each(VCVTPS2DQ, kf, ki)
		g.each(VROUNDPS, U8(0), kf, kf) // the same integer, in parallel
	}
	r := h
	g.each(VFNMADD231PS, c("ln2hi"), kf, r)
	g.each(VFNMADD231PS, c("ln2lo"), kf, r)
	if lo != nil {
		// |lo| < 1e-4 wherever h ≥ expLo; below it h is clamped and a lo
		// left as large as γ's products' errors (thousands at γ = 1e10)
		// would lift exp far off 0: held to ±1/64, exp(expLo+lo) stays 0.
		g.each(VMINPS, c("loMax"), lo, lo)
		g.each(VMAXPS, c("loMin"), lo, lo)
		g.each(VADDPS, lo, r, r)
	}
	r2 := g.newV()
	g.each(VMULPS, r, r, r2)
	p := g.load("ep0")
	b := g.load("ep2")
	cc := g.load("ep4")
	g.each(VFMADD213PS, c("ep1"), r, p)
	g.each(VFMADD213PS, c("ep3"), r, b)
	g.each(VFMADD213PS, c("ep5"), r, cc)
	g.each(VFMADD213PS, b, r2, p)
	g.each(VFMADD213PS, cc, r2, p)
	g.each(VFMADD213PS, r, r2, p)
	var plo V
	if wantLo {
		plo = p // s
		p = g.newV()
		g.each(VADDPS, c("one"), plo, p) // p = s+1
		t := r2
		g.each(VSUBPS, c("one"), p, t)
		g.each(VSUBPS, t, plo, plo) // pLo = s - (p-1)
	} else {
		g.each(VADDPS, c("one"), p, p)
	}
	if g.avx512() {
		g.each(VSCALEFPS, kf, p, p)
		if wantLo {
			g.each(VSCALEFPS, kf, plo, plo)
		}
		return p, plo
	}
	if g.fast {
		// p·2^k by adding k to p's exponent: exact while the result is
		// normal (k ≥ -125, as p ≥ 0.7). A lane with a smaller k clears a bit
		// of okGP, and the step is done again with the general scaling.
		ok := g.newV()
		g.each(VPCMPGTD, c("im126"), ki, ok)
		for i := 0; i < g.u; i++ {
			r := GP32()
			g.eachOne(i, VMOVMSKPS, ok[i], r)
			g.eachOne(i, ANDL, r, g.okGP)
		}
		g.each(VPSLLD, U8(23), ki, ki)
		g.each(VPADDD, ki, p, p)
		if wantLo { // pLo·2^k may be subnormal: multiply by 2^k (k ≥ -125 here)
			g.each(VPADDD, c("i127sh"), ki, ki)
			g.each(VMULPS, ki, plo, plo)
		}
		return p, plo
	}
	// p·2^k in two exact halves, so that a subnormal result is rounded once
	k1 := g.newV()
	g.each(VPSRAD, U8(1), ki, k1)
	g.each(VPSUBD, k1, ki, ki)
	g.each(VPADDD, c("i127"), k1, k1)
	g.each(VPSLLD, U8(23), k1, k1)
	g.each(VPADDD, c("i127"), ki, ki)
	g.each(VPSLLD, U8(23), ki, ki)
	g.each(VMULPS, k1, p, p)
	g.each(VMULPS, ki, p, p)
	if wantLo {
		g.each(VMULPS, k1, plo, plo)
		g.each(VMULPS, ki, plo, plo)
	}
	return p, plo
}
