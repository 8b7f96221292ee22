package main

// The per-vector loss and gradient of hard targets, as elemHard in generic.go.

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
)

// masks are per-vector lane masks: vectors (AVX2) or K registers (AVX-512).
type masks struct {
	v V
	k KS
}

func (m masks) op() any {
	if m.k != nil {
		return m.k
	}
	return m.v
}

// body computes the loss (and the gradient if wantGrad) of the lanes of x and t.
// x is destroyed. It returns loss, grad (nil unless wantGrad) and the hard mask.
func (g *gen) body(x, t V, wantGrad bool) (loss, grad V, hard masks) {
	// hard = (t == 0) | (t == 1)
	if g.avx512() {
		k0, k1 := g.newK(), g.newK()
		g.each(VCMPPS, U8(0), c("zero"), t, k0)
		g.each(VCMPPS, U8(0), c("one"), t, k1)
		g.each(KORW, k1, k0, k0)
		hard.k = k0
	} else {
		h0, h1 := g.newV(), g.newV()
		g.each(VCMPPS, U8(0), c("zero"), t, h0)
		g.each(VCMPPS, U8(0), c("one"), t, h1)
		g.each(VORPS, h1, h0, h0)
		hard.v = h0
		// AVX2 (short of registers and instructions): for a hard lane the
		// values elemHard computes with fma and mul are selections: z = ±x,
		// α_t = a1 or a0 (and its error term), 1-2t = ±1 applied as a sign
		// flip. Soft lanes get other values, which are never used.
		g.h1 = h1
	}
	g.andHard(hard)
	// -|z| = -|x| for a hard lane: the exp starts without waiting for t
	e := g.newV()
	g.each(VORPS, c("sign"), x, e)
	var s, z V
	if g.avx512() {
		s = g.load("mtwo")
		g.each(VFMADD213PS, c("one"), t, s) // s = 1-2t
		z = x
		g.each(VMULPS, s, x, z) // z = x·s
		if !wantGrad {
			s = nil
		}
	} else {
		sgn := g.newV()
		g.each(VANDPS, c("sign"), g.h1, sgn)
		z = x
		g.each(VXORPS, sgn, x, z) // z = ±x
	}
	e, el := g.expoSplit(e, nil, true) // exp(-|z|) = e + el
	u := g.newV()
	g.each(VADDPS, c("one"), e, u)
	rcp := g.load("one")
	g.each(VDIVPS, u, rcp, rcp)
	cc := g.newV()
	g.each(VSUBPS, c("one"), u, cc)
	g.each(VSUBPS, cc, e, cc)
	g.each(VADDPS, el, cc, cc)
	g.each(VMULPS, rcp, cc, cc) // c = ((e-(u-1))+el)·rcp
	r1 := g.load("one")
	g.each(VFNMADD231PS, u, rcp, r1)  // r1 = 1 - u·rcp
	g.each(VSUBPS, cc, r1, r1)        // r1 - c
	g.each(VFMADD132PS, r1, rcp, rcp) // rc = rcp·(r1-c) + rcp
	sn := el
	g.each(VMULPS, rcp, el, sn)     // el·rc
	g.each(VFMADD231PS, e, rcp, sn) // σ(-|z|) = e·rc + el·rc; e dead
	needSz := g.mode == mode1 || g.mode == mode2 || wantGrad
	needSnz := wantGrad && g.mode != mode0
	var sz, snz V
	if needSz {
		sz = g.newV()
		if needSnz {
			snz = g.newV()
		}
		if g.avx512() {
			kn := g.newK()
			g.each(VPMOVD2M, z, kn)
			g.each(VBLENDMPS, sn, rcp, kn, sz)
			if needSnz {
				g.each(VBLENDMPS, rcp, sn, kn, snz)
			}
		} else {
			g.each(blendv, z, sn, rcp, sz)
			if needSnz {
				g.each(blendv, z, rcp, sn, snz)
			}
		}
	}
	// L = log1p(e) from u and c
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
	l := p
	// CE = max(z,0) + L
	ce := g.newV()
	g.each(VMAXPS, c("zero"), z, ce)
	g.each(VADDPS, l, ce, ce)
	// m (+ mlo) = σ(z)^γ
	var m, mlo V
	switch g.mode {
	case mode1:
		m = sz
	case mode2:
		m = g.newV()
		g.each(VMULPS, sz, sz, m)
		mlo = g.newV()
		g.each(VMOVAPS, m, mlo)
		g.each(VFMSUB231PS, sz, sz, mlo) // mLo = sz·sz - m, exactly
	case modeGen:
		mz := z
		g.each(VMINPS, c("zero"), z, mz)
		g.each(VMAXPS, c("mzLo"), mz, mz)
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
		ta := f // f dead
		g.each(VSUBPS, bb, h, ta)
		g.each(VSUBPS, ta, h1, ta)
		g.each(VADDPS, bb, h2, h2)
		g.each(VSUBPS, h2, ta, ta) // er
		g.each(VSUBPS, l2, l1, l1)
		g.each(VADDPS, ta, l1, l1)          // lo
		g.each(VFMADD231PS, g.glo, dml, l1) // + γlo·(mz - L)
		m = g.expo(h, l1)
	}
	// α_t = fma(t, a1, (1-t)·a0)
	var at, atLo V
	if !g.avx512() {
		a0 := g.newV()
		g.each(VMOVUPS, g.a0, a0)
		at = g.newV()
		g.each(blendv, g.h1, g.a1, a0, at)
		g.each(VMOVUPS, g.a0lo, a0)
		atLo = g.newV()
		g.each(blendv, g.h1, g.a1lo, a0, atLo)
	} else {
		ut := g.newV()
		g.each(VXORPS, c("sign"), t, ut)
		g.each(VADDPS, c("one"), ut, ut) // 1-t
		atLo = g.newV()
		g.each(VMULPS, g.a0lo, ut, atLo)
		g.each(VFMADD231PS, g.a1lo, t, atLo) // α_t's float32 rounding error
		at = ut
		g.each(VMULPS, g.a0, ut, at)
		g.each(VFMADD231PS, g.a1, t, at)
	}
	// loss = fma(at, m·ce, at·lo), lo the exact error of m·ce (+ mlo·ce)
	loss = g.newV()
	var amh, aml V
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

	if !wantGrad {
		return loss, nil, hard
	}
	grad = g.newV()
	if g.mode == mode0 {
		g.each(VMULPS, atLo, sz, grad)
		g.each(VFMADD231PS, at, sz, grad)
	} else {
		inner := snz
		g.each(VMULPS, g.g, snz, inner)
		g.each(VMINPS, c("maxf"), ce, ce)  // CE = +Inf (z = +Inf) held finite: σ(-z)·CE → 0
		g.each(VFMADD213PS, sz, ce, inner) // γ·σ(-z)·CE + σ(z)
		if amh != nil {
			g.each(VMULPS, inner, aml, grad)
			g.each(VFMADD231PS, amh, inner, grad)
		} else {
			g.compensated(m, mlo, inner, at, atLo, grad, false)
		}
	}
	if g.avx512() {
		g.each(VMULPS, s, grad, grad)
	} else {
		sgn := g.newV()
		g.each(VANDPS, c("sign"), g.h1, sgn)
		g.each(VXORPS, sgn, grad, grad)
	}
	return loss, grad, hard
}

// compensated sets dst = fma(at, m·v, fma(atLo, m·v, at·lo)) where
// lo = fma(m, v, -m·v) (+ mlo·v): (α_t+atLo)·(m+mlo)·v rounded about once.
// With forLoss, v may be +Inf (x = ±Inf): the small terms are held finite
// (VMINPS takes NaN as MaxFloat32) so that dst is +Inf there, and dst is 0
// where α_t = 0.
func (g *gen) compensated(m, mlo, v, at, atLo, dst V, forLoss bool) {
	mv := g.newV()
	g.each(VMULPS, v, m, mv)
	if g.mode == modeGen {
		// m carries about 1 ULP from its exp: m·v's rounding is not carried
		mvc := mv
		if forLoss {
			mvc = g.newV()
			g.each(VMINPS, c("maxf"), mv, mvc)
		}
		g.each(VMULPS, atLo, mvc, dst)
		var ce V
		if forLoss {
			ce = v
		}
		g.finalFMA(at, mv, dst, ce)
		return
	}
	var t1 V
	if mlo != nil {
		t1 = g.newV()
		g.each(VMULPS, v, mlo, t1) // mlo·v, off the chain
	}
	g.each(VMOVAPS, mv, dst)
	g.each(VFMSUB231PS, v, m, dst) // lo = m·v - mv
	if mlo != nil {
		g.each(VADDPS, t1, dst, dst) // lo += mlo·v
	}
	mvc := mv
	if forLoss {
		g.each(VMINPS, c("maxf"), dst, dst)
		mvc = g.newV()
		g.each(VMINPS, c("maxf"), mv, mvc)
	}
	t2 := g.newV()
	g.each(VMULPS, atLo, mvc, t2)    // atLo·mv, off the chain
	g.each(VFMADD213PS, t2, at, dst) // at·lo + atLo·mv
	var ce V
	if forLoss {
		ce = v
	}
	g.finalFMA(at, mv, dst, ce) // mv·at + …
}

// finalFMA sets dst = at·v + dst. Where α_t = 0 and CE = +Inf (x = ±Inf,
// possible only with α = 0 or 1) this is 0·Inf = NaN; the Go side redoes those
// elements (asm.go, fixZeroWeight), which keeps the kernels free of the check.
func (g *gen) finalFMA(at, v, dst, ce V) {
	g.each(VFMADD231PS, at, v, dst)
}

func blendv(ops ...Op)     { VBLENDVPS(ops[0], ops[1], ops[2], ops[3]) }
func fmaZ(ops ...Op)       { VFMADD231PS_Z(ops[0], ops[1], ops[2], ops[3]) }
func broadcastZ(ops ...Op) { VBROADCASTSS_Z(ops[0], ops[1], ops[2]) }
