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
	kf, ki := g.expK(h)
	r := h
	g.each(VFNMADD231P, c("ln2hi"), kf, r)
	g.each(VFNMADD231P, c("ln2lo"), kf, r)
	if lo != nil {
		// |lo| < 1e-4 wherever h ≥ expLo; below it h is clamped and a lo
		// left as large as γ's products' errors (thousands at γ = 1e10)
		// would lift exp far off 0: held to ±1/64, exp(expLo+lo) stays 0.
		g.each(VMINP, c("loMax"), lo, lo)
		g.each(VMAXP, c("loMin"), lo, lo)
		g.each(VADDP, lo, r, r)
	}
	r2 := g.newV()
	g.each(VMULP, r, r, r2)
	p := g.expPoly(r, r2)
	g.each(VFMADD213P, r, r2, p) // s = r + r²·Q
	var plo V
	if wantLo {
		plo = p // s
		p = g.newV()
		g.each(VADDP, c("one"), plo, p) // p = s+1
		t := r2
		g.each(VSUBP, c("one"), p, t)
		g.each(VSUBP, t, plo, plo) // pLo = s - (p-1)
	} else {
		g.each(VADDP, c("one"), p, p)
	}
	vs := []V{p}
	if wantLo {
		vs = append(vs, plo)
	}
	g.scale(kf, ki, vs)
	return p, plo
}

// expK returns k = round(h·log2e) as a float (kf) and, on AVX2, as an
// integer (ki), with h held at expLo first unless the step is fast.
func (g *gen) expK(h V) (kf, ki V) {
	// The fast float32 scaling sends k < -125 (and NaN) to the slow step,
	// which clamps. float64 clamps in either: the integer k is formed by a
	// magic addition that does not saturate as float32's conversion does.
	if !g.fast || f64 {
		lim := g.load("expLo")
		g.each(VMAXP, h, lim, h) // NaN h stays NaN: MAXPS returns its second source on NaN
	}
	kf = g.newV()
	g.each(VMULP, c("log2e"), h, kf)
	if g.avx512() {
		g.each(VRNDSCALEP, U8(0), kf, kf)
		return kf, nil
	}
	ki = g.newV()
	if f64 {
		// kf + 1.5·2^52 rounds kf to the nearest integer, to even, in the
		// low bits; AVX2 has no float64 to int64 conversion
		g.each(VADDPD, c("magic"), kf, ki)
		g.each(VROUNDP, U8(0), kf, kf)
		g.each(VPSUBQ, c("magic"), ki, ki)
		return kf, ki
	}
	g.each(VCVTPS2DQ, kf, ki)
	g.each(VROUNDP, U8(0), kf, kf) // the same integer, in parallel
	return kf, ki
}

// scale multiplies each of vs by 2^k: VSCALEF on AVX-512; on AVX2 in a fast
// step by adding k to the first one's exponent (exact while the result is
// normal, as p ≥ 0.7 is) and multiplying the rest by 2^k, where a lane with
// a k too small for that clears a bit of okGP (the step is done again with
// the general scaling); otherwise by 2^⌊k/2⌋ and then 2^(k-⌊k/2⌋), each
// exact but the last, so that a subnormal result is rounded once.
func (g *gen) scale(kf, ki V, vs []V) {
	if g.avx512() {
		for _, v := range vs {
			g.each(VSCALEFP, kf, v, v)
		}
		return
	}
	bias, shift, pcmpgt, psll, padd, psub := "i127", uint8(23), VPCMPGTD, VPSLLD, VPADDD, VPSUBD
	if f64 {
		bias, shift, pcmpgt, psll, padd, psub = "i1023", uint8(52), VPCMPGTQ, VPSLLQ, VPADDQ, VPSUBQ
	}
	if g.fast {
		ok := g.newV()
		g.each(pcmpgt, c("im126"), ki, ok) // k > -126 (float64: -1022)
		for i := 0; i < g.u; i++ {
			r := GP32()
			g.eachOne(i, VMOVMSKP, ok[i], r)
			g.eachOne(i, ANDL, r, g.okGP)
		}
		g.each(psll, U8(shift), ki, ki)
		g.each(padd, ki, vs[0], vs[0])
		if len(vs) > 1 {
			g.each(padd, c("i127sh"), ki, ki) // 2^k
			for _, v := range vs[1:] {
				g.each(VMULP, ki, v, v)
			}
		}
		return
	}
	k1 := g.newV()
	if f64 { // no VPSRAQ on AVX2: ⌊k/2⌋ in float64, to an integer by the magic addition
		g.each(VMULP, c("half"), kf, k1)
		g.each(VROUNDP, U8(1), k1, k1) // toward -Inf
		g.each(VADDPD, c("magic"), k1, k1)
		g.each(VPSUBQ, c("magic"), k1, k1)
	} else {
		g.each(VPSRAD, U8(1), ki, k1)
	}
	g.each(psub, k1, ki, ki)
	g.each(padd, c(bias), k1, k1)
	g.each(psll, U8(shift), k1, k1)
	g.each(padd, c(bias), ki, ki)
	g.each(psll, U8(shift), ki, ki)
	for _, v := range vs {
		g.each(VMULP, k1, v, v)
		g.each(VMULP, ki, v, v)
	}
}
