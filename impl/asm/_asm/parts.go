package main

// Instruction sequences that the hard body and the soft body (soft.go) share,
// so that a hard lane computes the same operations in either.

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
)

// log1p returns L = log1p(e) from u = 1+e and c (see log1pE in ../generic.go).
// u and cc are destroyed.
func (g *gen) log1p(u, cc V) V {
	f := g.newV()
	kf := g.newV()
	// f = u-1, or u/2-1 (exactly, by fma) where u > √2
	f2 := g.load("half")
	g.each(VFMADD213PS, c("mone"), u, f2)
	g.each(VSUBPS, c("one"), u, f)
	if g.avx512() {
		km := g.newK()
		g.each(VCMPPS, U8(0x1e), c("sqrt2"), u, km) // u > √2
		g.each(VBLENDMPS, f2, f, km, f)
		g.each(broadcastZ, c("one"), km, kf)
	} else {
		g.each(VCMPPS, U8(0x1e), c("sqrt2"), u, kf)
		g.each(blendv, kf, f2, f, f)
		g.each(VANDPS, c("one"), kf, kf)
	}
	zz := u // u dead
	g.each(VMULPS, f, f, zz)
	// Estrin in f, f², f⁴, emitted so that few partial results are live at once
	r := g.load("lp4")
	a67 := g.load("lp6")
	g.each(VFMADD213PS, c("lp5"), f, r)
	g.each(VFMADD213PS, c("lp7"), f, a67)
	g.each(VFMADD213PS, a67, zz, r) // r = a45·f² + a67
	p := g.load("lp0")
	a23 := g.load("lp2")
	g.each(VFMADD213PS, c("lp1"), f, p)
	g.each(VFMADD213PS, c("lp3"), f, a23)
	g.each(VFMADD213PS, a23, zz, p) // q = a01·f² + a23
	z4 := a23                       // dead
	g.each(VMULPS, zz, zz, z4)
	g.each(VFMADD213PS, r, z4, p) // q·f⁴ + r
	g.each(VFMADD213PS, c("lp8"), f, p)
	f3, hz := r, a67 // dead
	g.each(VMULPS, f, zz, f3)
	g.each(VMULPS, c("mhalf"), zz, hz)
	g.each(VFMADD231PS, c("ln2lo"), kf, cc) // c + kf·ln2lo; c dead after
	g.each(VFMADD213PS, hz, f3, p)          // p·f³ - f²/2
	g.each(VADDPS, cc, p, p)
	g.each(VADDPS, f, p, p)
	g.each(VFMADD231PS, c("ln2hi"), kf, p)
	return p
}

// log1pHL is log1p that also returns the rounding errors of its last two
// additions (see log1pHL in ../soft.go). u and cc are destroyed.
func (g *gen) log1pHL(u, cc V) (l, lo V) {
	f := g.newV()
	kf := g.newV()
	// f = u-1, or u/2-1 (exactly, by fma) where u > √2
	f2 := g.load("half")
	g.each(VFMADD213PS, c("mone"), u, f2)
	g.each(VSUBPS, c("one"), u, f)
	if g.avx512() {
		km := g.newK()
		g.each(VCMPPS, U8(0x1e), c("sqrt2"), u, km) // u > √2
		g.each(VBLENDMPS, f2, f, km, f)
		g.each(broadcastZ, c("one"), km, kf)
	} else {
		g.each(VCMPPS, U8(0x1e), c("sqrt2"), u, kf)
		g.each(blendv, kf, f2, f, f)
		g.each(VANDPS, c("one"), kf, kf)
	}
	zz := u // u dead
	g.each(VMULPS, f, f, zz)
	// Estrin in f, f², f⁴, emitted so that few partial results are live at once
	r := g.load("lp4")
	a67 := g.load("lp6")
	g.each(VFMADD213PS, c("lp5"), f, r)
	g.each(VFMADD213PS, c("lp7"), f, a67)
	g.each(VFMADD213PS, a67, zz, r) // r = a45·f² + a67
	p := g.load("lp0")
	a23 := g.load("lp2")
	g.each(VFMADD213PS, c("lp1"), f, p)
	g.each(VFMADD213PS, c("lp3"), f, a23)
	g.each(VFMADD213PS, a23, zz, p) // q = a01·f² + a23
	z4 := a23                       // dead
	g.each(VMULPS, zz, zz, z4)
	g.each(VFMADD213PS, r, z4, p) // q·f⁴ + r
	g.each(VFMADD213PS, c("lp8"), f, p)
	f3, hz := r, a67 // dead
	g.each(VMULPS, f, zz, f3)
	g.each(VMULPS, c("mhalf"), zz, hz)
	g.each(VFMADD231PS, c("ln2lo"), kf, cc) // c + kf·ln2lo; c dead after
	g.each(VFMADD213PS, hz, f3, p)          // p·f³ - f²/2
	g.each(VADDPS, cc, p, p)                // y
	y := p
	w := g.newV()
	g.each(VADDPS, f, y, w)
	l = g.newV()
	g.each(VMOVAPS, w, l)
	g.each(VFMADD231PS, c("ln2hi"), kf, l)
	kh := kf
	g.each(VMULPS, c("ln2hi"), kf, kh)
	t1 := cc
	g.each(VSUBPS, kh, l, t1)
	g.each(VSUBPS, t1, w, t1) // w - (l - kh)
	t2 := f
	g.each(VSUBPS, f, w, t2)
	g.each(VSUBPS, t2, y, t2) // y - (w - f)
	g.each(VADDPS, t2, t1, t1)
	return l, t1
}

// powLog returns exp(γ·(mz - L) + γ·extraLo): both products split exactly
// by fma and summed as hi+lo into the exp's reduced argument (see elemHard's
// general γ in ../generic.go). extraLo may be nil. mz and l are destroyed.
func (g *gen) powLog(mz, l, extraLo V) V {
	dml := g.newV()
	g.each(VSUBPS, l, mz, dml) // mz - L, for γ's rounding error
	h1 := g.newV()
	g.each(VMULPS, g.g, mz, h1)
	g.each(VFMSUB132PS, g.g, h1, mz) // l1 = mz·g - h1
	l1 := mz
	h2 := g.newV()
	g.each(VMULPS, g.g, l, h2)
	g.each(VFMSUB132PS, g.g, h2, l) // l2 = L·g - h2
	l2 := l
	h := g.newV()
	g.each(VSUBPS, h2, h1, h)
	bb := g.newV()
	g.each(VSUBPS, h1, h, bb)
	ta := g.newV()
	g.each(VSUBPS, bb, h, ta)
	g.each(VSUBPS, ta, h1, ta)
	g.each(VADDPS, bb, h2, h2)
	g.each(VSUBPS, h2, ta, ta) // er
	g.each(VSUBPS, l2, l1, l1)
	g.each(VADDPS, ta, l1, l1)          // lo
	g.each(VFMADD231PS, g.glo, dml, l1) // + γlo·(mz - L)
	if extraLo != nil {
		g.each(VFMADD231PS, g.g, extraLo, l1) // + γ·extraLo
	}
	return g.expo(h, l1)
}

// lossOf returns the loss α_t·m·CE with the products' rounding errors (and
// α_t's, and mlo) carried to one final rounding, and for γ ∈ {1,2} the
// compensated α_t·m (amh + aml) that the gradient reuses.
func (g *gen) lossOf(m, mlo, ce, at, atLo V) (loss, amh, aml V) {
	loss = g.newV()
	switch g.mode {
	case mode0:
		cec := g.newV()
		g.each(VMINPS, c("maxf"), ce, cec)
		g.each(VMULPS, cec, atLo, loss)
		g.finalFMA(at, ce, loss, ce)
	case mode1, mode2:
		// m is ready long before CE: α_t·m with its exact error first
		amh, aml = g.newV(), g.newV()
		g.each(VMULPS, m, at, amh)
		g.each(VMOVAPS, amh, aml)
		g.each(VFMSUB231PS, m, at, aml) // at·m - amh
		if mlo != nil {
			g.each(VFMADD231PS, mlo, at, aml) // + at·mLo
		}
		g.each(VFMADD231PS, m, atLo, aml) // + atLo·m
		cec := g.newV()
		g.each(VMINPS, c("maxf"), ce, cec)
		g.each(VMULPS, cec, aml, loss)
		g.finalFMA(amh, ce, loss, ce) // amh = 0 exactly where at = 0 when CE = +Inf (m = 1 there)
	default:
		g.compensated(m, mlo, ce, at, atLo, loss, true)
	}

	return loss, amh, aml
}
