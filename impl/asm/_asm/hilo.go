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
	if !g.fast { // as expoSplit: the fast scaling sends k < -125 (and NaN) to the slow step
		lim := g.load("expLo")
		g.each(VMAXPS, h, lim, h)
	}
	kf := g.newV()
	g.each(VMULPS, c("log2e"), h, kf)
	var ki V
	if g.avx512() {
		g.each(VRNDSCALEPS, U8(0), kf, kf)
	} else {
		ki = g.newV()
		g.each(VCVTPS2DQ, kf, ki)
		g.each(VROUNDPS, U8(0), kf, kf)
	}
	g.each(VFNMADD231PS, c("ln2hi"), kf, h) // r0, exact
	r := g.newV()
	g.each(VMOVAPS, h, r)
	g.each(VFNMADD231PS, c("ln2lo"), kf, r)
	rlo := h
	g.each(VSUBPS, r, h, rlo) // r0 - r, exact
	g.each(VFNMADD231PS, c("ln2lo"), kf, rlo)
	r2 := g.newV()
	g.each(VMULPS, r, r, r2)
	q := g.load("ep0")
	b := g.load("ep2")
	cc := g.load("ep4")
	g.each(VFMADD213PS, c("ep1"), r, q)
	g.each(VFMADD213PS, c("ep3"), r, b)
	g.each(VFMADD213PS, c("ep5"), r, cc)
	g.each(VFMADD213PS, b, r2, q)
	g.each(VFMADD213PS, cc, r2, q)
	s := g.newV()
	g.each(VMOVAPS, r, s)
	g.each(VFMADD231PS, r2, q, s) // s = q·r2 + r
	ds := r
	g.each(VSUBPS, s, r, ds) // r - s, exact
	g.each(VFMADD231PS, r2, q, ds)
	p := g.newV()
	g.each(VADDPS, c("one"), s, p)
	t := r2
	g.each(VSUBPS, c("one"), p, t)
	plo := s
	g.each(VSUBPS, t, s, plo)
	cr := ds
	g.each(VFMADD231PS, rlo, p, cr) // p·rlo + ds
	vs := []V{p, plo, cr}
	if g.avx512() {
		for _, v := range vs {
			g.each(VSCALEFPS, kf, v, v)
		}
		return p, plo, cr
	}
	if g.fast {
		ok := g.newV()
		g.each(VPCMPGTD, c("im126"), ki, ok)
		for i := 0; i < g.u; i++ {
			r := GP32()
			g.eachOne(i, VMOVMSKPS, ok[i], r)
			g.eachOne(i, ANDL, r, g.okGP)
		}
		g.each(VPSLLD, U8(23), ki, ki)
		g.each(VPADDD, ki, p, p)
		g.each(VPADDD, c("i127sh"), ki, ki)
		g.each(VMULPS, ki, plo, plo)
		g.each(VMULPS, ki, cr, cr)
		return p, plo, cr
	}
	k1 := g.newV()
	g.each(VPSRAD, U8(1), ki, k1)
	g.each(VPSUBD, k1, ki, ki)
	g.each(VPADDD, c("i127"), k1, k1)
	g.each(VPSLLD, U8(23), k1, k1)
	g.each(VPADDD, c("i127"), ki, ki)
	g.each(VPSLLD, U8(23), ki, ki)
	for _, v := range vs {
		g.each(VMULPS, k1, v, v)
		g.each(VMULPS, ki, v, v)
	}
	return p, plo, cr
}

// logHL returns log(ah) as hi + lo for a normal ah in (0, 1] (see logHL in
// ../soft.go).
func (g *gen) logHL(ah V) (hi, lo V) {
	kf := g.newV()
	g.each(VPSRLD, U8(23), ah, kf)
	g.each(VPSUBD, c("i127"), kf, kf)
	g.each(VCVTDQ2PS, kf, kf)
	m := g.newV()
	g.each(VANDPS, c("mantmask"), ah, m)
	g.each(VORPS, c("one"), m, m) // [1, 2)
	f := g.newV()
	f2 := g.load("half")
	g.each(VFMADD213PS, c("mone"), m, f2)
	g.each(VSUBPS, c("one"), m, f)
	gt := g.cmp(0x1e, c("sqrt2"), m) // m > √2
	g.sel(gt, f2, f, f)
	if g.avx512() {
		g.each(VADDPS, c("one"), kf, gt.k, kf)
	} else {
		g.each(VANDPS, c("one"), gt.v, gt.v)
		g.each(VADDPS, gt.v, kf, kf)
	}
	zz := m
	g.each(VMULPS, f, f, zz)
	zlo := g.newV()
	g.each(VMOVAPS, zz, zlo)
	g.each(VFMSUB231PS, f, f, zlo) // f·f - z
	r := g.load("lp4")
	a67 := g.load("lp6")
	g.each(VFMADD213PS, c("lp5"), f, r)
	g.each(VFMADD213PS, c("lp7"), f, a67)
	g.each(VFMADD213PS, a67, zz, r)
	p := g.load("lp0")
	a23 := g.load("lp2")
	g.each(VFMADD213PS, c("lp1"), f, p)
	g.each(VFMADD213PS, c("lp3"), f, a23)
	g.each(VFMADD213PS, a23, zz, p)
	z4 := a23
	g.each(VMULPS, zz, zz, z4)
	g.each(VFMADD213PS, r, z4, p)
	g.each(VFMADD213PS, c("lp8"), f, p)
	f3, hz := r, a67
	g.each(VMULPS, f, zz, f3)
	g.each(VMULPS, c("mhalf"), zz, hz)
	g.each(VFMADD213PS, hz, f3, p) // y = p·f³ - f²/2
	y := p
	w := g.newV()
	g.each(VADDPS, f, y, w)
	wlo := f2
	g.each(VSUBPS, f, w, wlo)
	g.each(VSUBPS, wlo, y, wlo) // y - (w - f)
	kh := g.newV()
	g.each(VMULPS, c("ln2hi16"), kf, kh)
	hi = g.newV()
	g.each(VADDPS, w, kh, hi)
	g.each(VFMADD231PS, c("ln2lo16"), kf, wlo)
	g.each(VFMADD231PS, c("mhalf"), zlo, wlo)
	g.each(VSUBPS, kh, hi, kh)  // hi - kh
	g.each(VSUBPS, kh, w, w)    // w - (hi - kh)
	g.each(VADDPS, w, wlo, wlo) // lo
	return hi, wlo
}
