package main

// The softmax kernels' exp, in float64 lanes (softmax.go has their layout).

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
)

// exp returns 2^s·e^(h+dl) (dl nil: 0) and, if wantLo, its error terms, as
// smExp: h clamped at lim; e = p·2^(k+s) and elo = fma(e, dl, el + el2),
// s the constant called bias (ibias as an integer, for AVX2's scaling in
// halves; a float32 row's, without error terms, scales by one product).
// h is destroyed.
func (g *smGen) exp(h, dl V, lim, bias, ibias string, wantLo, narrow bool) (e, elo V) {
	switch {
	case narrow: // h above the clamp
	case g.loR != nil:
		g.each(VMAXP, h, g.loR, h) // Intel max(l, h): h where h is NaN
	default:
		l := g.newV()
		g.each(VMOVUP, smc(lim), l)
		g.each(VMAXP, h, l, h)
	}
	kf := g.newV()
	g.each(VMULP, c("log2e"), h, kf)
	var ki V
	if g.avx512() {
		g.each(VRNDSCALEP, U8(0), kf, kf)
	} else {
		ki = g.newV()
		g.each(VADDPD, c("magic"), kf, ki)
		g.each(VROUNDP, U8(0), kf, kf)
		if wantLo && !narrow { // a float32 or narrow row's takes dmagic's bits out with its bias
			g.each(VPSUBQ, c("magic"), ki, ki)
		}
	}
	r0, r := h, h
	if wantLo {
		g.each(VFNMADD231P, c("ln2hi"), kf, r0) // h - k·ln2hi, exact
		r = g.newV()
		g.each(VMOVAP, r0, r)
		g.each(VFNMADD231P, c("ln2lo"), kf, r)
	} else { // a float32 row's: by ln2 in one FMA (model.smLn2)
		g.each(VFNMADD231P, smc("ln2"), kf, r)
	}
	r2 := g.newV()
	g.each(VMULP, r, r, r2)
	cs := expCoeffs()
	if !wantLo { // a float32 row's: degree 7 (model's smQ32)
		cs = cs[6:]
	}
	pair := func(i int) V {
		v := g.load(cs[2*i])
		g.each(VFMADD213P, c(cs[2*i+1]), r, v)
		return v
	}
	q := pair(0) // Horner's scheme in r² on the pairs, as expPoly's longer ones
	for i := 1; i < len(cs)/2; i++ {
		g.each(VFMADD213P, pair(i), r2, q)
	}
	sv := r
	if wantLo {
		sv = g.newV()
		g.each(VMOVAP, r, sv)
	}
	g.each(VFMADD231P, r2, q, sv) // s = q·r2 + r
	p := sv
	if wantLo {
		p = g.newV()
	}
	g.each(VADDP, c("one"), sv, p)
	var plo, cr V
	if wantLo {
		rlo := r0
		g.each(VSUBP, r, r0, rlo)                // r0 - r, exact
		g.each(VFNMADD231P, c("ln2lo"), kf, rlo) // - k·ln2lo
		ds := r
		g.each(VSUBP, sv, r, ds) // r - s, exact
		g.each(VFMADD231P, r2, q, ds)
		t := r2
		g.each(VSUBP, c("one"), p, t) // p - 1
		plo = sv
		g.each(VSUBP, t, sv, plo) // s - (p - 1)
		cr = ds
		g.each(VFMADD231P, rlo, p, cr) // p·rlo + ds
	}
	if ki != nil && !wantLo {
		// a float32 row's: the clamp keeps 2^(k+64) normal (model.smLo32),
		// so one product scales, rounded as the model's two
		g.each(VPADDQ, smc("ebiasm32"), ki, ki)
		g.each(VPSLLQ, U8(52), ki, ki)
		g.each(VMULP, ki, p, p)
		return p, nil
	}
	vs := []V{p}
	if wantLo {
		vs = append(vs, plo, cr)
	}
	if ki != nil && narrow {
		// a narrow row's: 2^(k+512) is normal, so one product scales, rounded
		// as the two halves' second product (their first is exact)
		g.each(VPADDQ, smc("nbias64"), ki, ki)
		g.each(VPSLLQ, U8(52), ki, ki)
		for _, v := range vs {
			g.each(VMULP, ki, v, v)
		}
	} else {
		g.each(VADDP, smc(bias), kf, kf)
		if ki != nil {
			g.each(VPADDQ, smc(ibias), ki, ki)
		}
		g.fast = false
		g.scale(kf, ki, vs)
	}
	if !wantLo {
		return p, nil
	}
	g.each(VADDP, cr, plo, plo) // el + el2
	if dl != nil {
		g.each(VFMADD231P, dl, p, plo) // e·dl + (el + el2)
	}
	return p, plo
}
