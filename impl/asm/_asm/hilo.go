package main

// The soft body's exp with its extra error term and its log of A as hi+lo
// (expSoft and logHL in ../soft.go).

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
)

// expoSoft is expoSplit(h, nil, true) that also returns el2, the rounding
// errors of the reduction's last step and of the polynomial's last fma,
// scaled like e. h is destroyed.
func (g *gen) expoSoft(h V) (e, el, el2 V) {
	kf, ki := g.expK(h)
	g.each(VFNMADD231P, c("ln2hi"), kf, h) // r0, exact
	r := g.newV()
	g.each(VMOVAP, h, r)
	g.each(VFNMADD231P, c("ln2lo"), kf, r)
	rlo := h
	g.each(VSUBP, r, h, rlo) // r0 - r, exact
	g.each(VFNMADD231P, c("ln2lo"), kf, rlo)
	r2 := g.newV()
	g.each(VMULP, r, r, r2)
	q := g.expPoly(r, r2)
	s := g.newV()
	g.each(VMOVAP, r, s)
	g.each(VFMADD231P, r2, q, s) // s = q·r2 + r
	ds := r
	g.each(VSUBP, s, r, ds) // r - s, exact
	g.each(VFMADD231P, r2, q, ds)
	p := g.newV()
	g.each(VADDP, c("one"), s, p)
	t := r2
	g.each(VSUBP, c("one"), p, t)
	plo := s
	g.each(VSUBP, t, s, plo)
	cr := ds
	g.each(VFMADD231P, rlo, p, cr) // p·rlo + ds
	g.scale(kf, ki, []V{p, plo, cr})
	return p, plo, cr
}

// logHL returns log(ah) as hi + lo for a normal ah in (0, 1] (see logHL in
// ../soft.go).
func (g *gen) logHL(ah V) (hi, lo V) {
	kf := g.exponent(ah)
	m := g.newV()
	g.each(VANDP, c("mantmask"), ah, m)
	g.each(VORP, c("one"), m, m) // [1, 2)
	f := g.newV()
	f2 := g.load("half")
	g.each(VFMADD213P, c("mone"), m, f2)
	g.each(VSUBP, c("one"), m, f)
	gt := g.cmp(0x1e, c("sqrt2"), m) // m > √2
	g.sel(gt, f2, f, f)
	g.applyWhere(gt, VADDP, c("one"), kf)
	zz := m
	g.each(VMULP, f, f, zz)
	zlo := g.newV()
	g.each(VMOVAP, zz, zlo)
	g.each(VFMSUB231P, f, f, zlo) // f·f - z
	p, f3, hz := g.logTerms(f, zz)
	g.each(VFMADD213P, hz, f3, p) // y = p·f³ - f²/2
	y := p
	w := g.newV()
	g.each(VADDP, f, y, w)
	wlo := f2
	g.each(VSUBP, f, w, wlo)
	g.each(VSUBP, wlo, y, wlo) // y - (w - f)
	kh := g.newV()
	g.each(VMULP, c("ln2hi16"), kf, kh)
	hi = g.newV()
	g.each(VADDP, w, kh, hi)
	g.each(VFMADD231P, c("ln2lo16"), kf, wlo)
	g.each(VFMADD231P, c("mhalf"), zlo, wlo)
	g.each(VSUBP, kh, hi, kh)  // hi - kh
	g.each(VSUBP, kh, w, w)    // w - (hi - kh)
	g.each(VADDP, w, wlo, wlo) // lo
	return hi, wlo
}

// exponent returns the unbiased exponent of the normal lanes of v as floats:
// float32's by an integer conversion; float64's, which AVX2 cannot convert,
// as the float 2^52 + e made from its bits, minus 2^52 + 1023 (exact).
func (g *gen) exponent(v V) V {
	kf := g.newV()
	if f64 {
		g.each(VPSRLQ, U8(52), v, kf)
		if g.avx512() {
			g.each(VPORQ, c("two52"), kf, kf)
		} else {
			g.each(VPOR, c("two52"), kf, kf)
		}
		g.each(VSUBP, c("two52bias"), kf, kf)
		return kf
	}
	g.each(VPSRLD, U8(23), v, kf)
	g.each(VPSUBD, c("i127"), kf, kf)
	g.each(VCVTDQ2PS, kf, kf)
	return kf
}
