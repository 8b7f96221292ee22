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

// hardMask returns the lanes of t that are exactly 0 or 1: those where
// t - t² is 0, one fma and one compare (two compares and their or were
// three operations). The fma rounds the exact t - t² = t(1-t) once. In
// (0, 1) that is more than half the smaller of t and 1-t, so more than half
// the least subnormal, and it rounds to a nonzero number; outside [0, 1] it
// is nonzero, or NaN at t = ±Inf and NaN, where t = 0 and t = 1 fail too.
func (g *gen) hardMask(t V) (hard masks) {
	d := g.newV()
	g.each(VMOVAP, t, d)
	g.each(VFNMADD231P, t, t, d) // t - t·t
	return g.cmp(0, c("zero"), d)
}

// alphaTables forms AVX2's tables of α_t and its low part for the hard body
// (g.aTab), once per call: a0's in each 128-bit half's bytes 0-7 and a1's
// in bytes 8-15, so that VPERMILPS with the control t = 1's sign bit (h1)
// shifted to bit 1, 2 or 0, selects one of float32's elements 0 and 2, and
// VPERMILPD float64's 0 and 1. The permute takes one µop of the shuffle
// port on the Intel Xeon in results/, the select by a sign bit (VBLENDVPS)
// about three of the ports that do the arithmetic (pipes.txt).
func (g *gen) alphaTables() {
	tab := AllocLocal(2 * 32)
	g.aTab = []Mem{tab, tab.Offset(32)}
	for i, pair := range [][2]Op{{g.a0.(Op), g.a1.(Op)}, {g.a0lo.(Op), g.a1lo.(Op)}} {
		v := g.vec()
		VMOVUP(pair[0], v)
		if f64 {
			VBLENDPD(U8(0b1010), pair[1], v, v) // elements 1 and 3
		} else {
			VBLENDPS(U8(0b01000100), pair[1], v, v) // elements 2 and 6
		}
		VMOVUP(v, g.aTab[i])
	}
}

// recip1 starts σ(|z|) = 1/u from exp(-|z|) = e + el: it returns u = 1+e
// and rcp = 1/u (both rounded), c = ((e-(u-1))+el)·rcp and r1 = 1 - u·rcp
// (exact, by fma), from which the callers refine rcp by Newton's step
// rcp·(r1-c) + rcp.
func (g *gen) recip1(e, el V) (u, rcp, cc, r1 V) {
	u = g.newV()
	g.each(VADDP, c("one"), e, u)
	rcp = g.load("one")
	g.each(VDIVP, u, rcp, rcp)
	cc = g.newV()
	g.each(VSUBP, c("one"), u, cc)
	g.each(VSUBP, cc, e, cc)
	g.each(VADDP, el, cc, cc)
	g.each(VMULP, rcp, cc, cc)
	r1 = g.load("one")
	g.each(VFNMADD231P, u, rcp, r1)
	return u, rcp, cc, r1
}

// body computes the loss (and the gradient if wantGrad) of the lanes of x and
// t, every one of them hard. x is destroyed. It returns loss and grad (nil
// unless wantGrad).
func (g *gen) body(x, t V, wantGrad bool) (loss, grad V) {
	// -|z| = -|x| for a hard lane: the exp starts without waiting for t
	e := g.newV()
	g.each(VORP, c("sign"), x, e)
	// The values elemHard computes with fma and mul are selections for a
	// hard lane: z = ±x, α_t = a1 or a0 (and its error term), 1-2t = ±1
	// applied as a sign flip. AVX-512 selects by the mask t = 1; on AVX2,
	// t << 8 is the sign bit where t = 1 (0x3f800000) and 0 where t = ±0
	// (float64: t << 11, 0x3ff0000000000000).
	var z V
	var pos masks
	switch {
	case g.noLabel: // a rows step with no lane on its row's label: t = 0, z = x
		z = x
	case g.avx512():
		pos = g.cmp(0, c("one"), t) // t = 1
		z = x
		g.each(VXORP, c("sign"), z, pos.k, z) // z = ±x
	default:
		g.h1 = g.newV()
		if f64 { // 1.0's lowest exponent bit to the sign bit, as float32's
			g.each(VPSLLQ, U8(11), t, g.h1)
		} else {
			g.each(VPSLLD, U8(8), t, g.h1)
		}
		z = x
		g.each(VXORP, g.h1, x, z) // z = ±x
	}
	e, el := g.expoSplit(e, nil, true) // exp(-|z|) = e + el
	u, rcp, cc, r1 := g.recip1(e, el)
	g.each(VSUBP, cc, r1, r1)        // r1 - c
	g.each(VFMADD132P, r1, rcp, rcp) // rc = rcp·(r1-c) + rcp
	sn := el
	g.each(VMULP, rcp, el, sn)     // el·rc
	g.each(VFMADD231P, e, rcp, sn) // σ(-|z|) = e·rc + el·rc; e dead
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
			g.each(VPMOV2M, z, kn)
			g.each(VBLENDMP, sn, rcp, kn, sz)
			if needSnz {
				g.each(VBLENDMP, rcp, sn, kn, snz)
			}
		} else {
			g.each(blendv, z, sn, rcp, sz)
			if needSnz {
				g.each(blendv, z, rcp, sn, snz)
			}
		}
	}
	l := g.log1p(u, cc)
	// CE = max(z,0) + L
	ce := g.newV()
	g.each(VMAXP, c("zero"), z, ce)
	g.each(VADDP, l, ce, ce)
	// m (+ mlo) = σ(z)^γ
	var m, mlo V
	switch g.mode {
	case mode1:
		m = sz
	case mode2:
		m = g.newV()
		g.each(VMULP, sz, sz, m)
		mlo = g.newV()
		g.each(VMOVAP, m, mlo)
		g.each(VFMSUB231P, sz, sz, mlo) // mLo = sz·sz - m, exactly
	case modeGen:
		mz := z
		g.each(VMINP, c("zero"), z, mz)
		g.each(VMAXP, c("mzLo"), mz, mz)
		m = g.powLog(mz, l, nil)
	}
	// α_t = fma(t, a1, (1-t)·a0): a1 or a0, and its error term likewise
	var at, atLo V
	switch {
	case g.noLabel || g.avx512():
		at, atLo = g.sideAlpha(side{pos: pos})
	case g.aTab != nil: // AVX2's flat form: a permute of the call's tables
		ctl := g.newV()
		if f64 {
			g.each(VPSRLQ, U8(62), g.h1, ctl) // 2 where t = 1: VPERMILPD's bit 1
		} else {
			g.each(VPSRLD, U8(30), g.h1, ctl) // 2 where t = 1
		}
		at, atLo = g.newV(), g.newV()
		g.each(VMOVUP, g.aTab[0], at)
		g.each(VPERMILP, ctl, at, at)
		g.each(VMOVUP, g.aTab[1], atLo)
		g.each(VPERMILP, ctl, atLo, atLo)
	default:
		a0 := g.newV()
		g.each(VMOVUP, g.a0, a0)
		at = g.newV()
		g.each(blendv, g.h1, g.a1, a0, at)
		g.each(VMOVUP, g.a0lo, a0)
		atLo = g.newV()
		g.each(blendv, g.h1, g.a1lo, a0, atLo)
	}
	loss, amh, aml, cec := g.lossOf(m, mlo, ce, at, atLo)
	if !wantGrad {
		return loss, nil
	}
	grad = g.newV()
	if g.mode == mode0 {
		g.each(VMULP, atLo, sz, grad)
		g.each(VFMADD231P, at, sz, grad)
	} else {
		inner := snz
		g.each(VMULP, g.g, snz, inner)
		ce = g.finiteCE(ce, cec)          // CE = +Inf (z = +Inf) held finite: σ(-z)·CE → 0
		g.each(VFMADD213P, sz, ce, inner) // γ·σ(-z)·CE + σ(z)
		if amh != nil {
			g.each(VMULP, inner, aml, grad)
			g.each(VFMADD231P, amh, inner, grad)
		} else {
			g.compensated(m, mlo, inner, at, atLo, grad, false)
		}
	}
	switch {
	case g.noLabel:
	case g.avx512():
		g.each(VXORP, c("sign"), grad, pos.k, grad)
	default:
		g.each(VXORP, g.h1, grad, grad)
	}
	return loss, grad
}

// compensated sets dst = fma(at, m·v, fma(atLo, m·v, at·lo)) where
// lo = fma(m, v, -m·v) (+ mlo·v): (α_t+atLo)·(m+mlo)·v rounded about once.
// With forLoss, v may be +Inf (x = ±Inf): the small terms are held finite
// (VMINP takes NaN as MaxFloat32) so that dst is +Inf there, and dst is 0
// where α_t = 0.
func (g *gen) compensated(m, mlo, v, at, atLo, dst V, forLoss bool) {
	mv := g.newV()
	g.each(VMULP, v, m, mv)
	if g.mode == modeGen {
		// m carries about 1 ULP from its exp: m·v's rounding is not carried
		mvc := mv
		if forLoss {
			mvc = g.newV()
			g.each(VMINP, c("maxf"), mv, mvc)
		}
		g.each(VMULP, atLo, mvc, dst)
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
		g.each(VMULP, v, mlo, t1) // mlo·v, off the chain
	}
	g.each(VMOVAP, mv, dst)
	g.each(VFMSUB231P, v, m, dst) // lo = m·v - mv
	if mlo != nil {
		g.each(VADDP, t1, dst, dst) // lo += mlo·v
	}
	mvc := mv
	if forLoss {
		g.each(VMINP, c("maxf"), dst, dst)
		mvc = g.newV()
		g.each(VMINP, c("maxf"), mv, mvc)
	}
	t2 := g.newV()
	g.each(VMULP, atLo, mvc, t2)    // atLo·mv, off the chain
	g.each(VFMADD213P, t2, at, dst) // at·lo + atLo·mv
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
	g.each(VFMADD231P, at, v, dst)
}

func blendv(ops ...Op)     { VBLENDVP(ops[0], ops[1], ops[2], ops[3]) }
func broadcastZ(ops ...Op) { VBROADCASTS_Z(ops[0], ops[1], ops[2]) }
