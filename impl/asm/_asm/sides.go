package main

// The two-valued body's per-side values: e, 1-e, 1-2e and its low part,
// and α_t as hi+lo, which depend on a lane's target alone. A body forms
// them from t in the lane (sideValues, slope12, flatAlpha, sideAlpha), or
// reads them where a call formed them once from its two targets (twoSides,
// uniLearn, sideZeros) and selects them by the lane's side (twoSide,
// sidePair, sideZero).

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// side is the lanes' side (T1's, h = 1) as the selects take it: pos, K
// registers on AVX-512 and a vector mask on AVX2; on AVX2 also pos as its
// sign bit (sign, for the blends and sign flips) and, in a step that selects
// from tables (g.sides), pos whole (ctl, VPERMILP's control: twoSide2).
type side struct {
	pos       masks
	sign, ctl slot
}

// sidePair returns per-side values i and i+1 (twoSides' indices) where the
// body reads them rather than forming them from t (kept): T0's in a rows
// step without a label lane, either side's by the lanes' side where a call
// formed them once (twoSides, uniLearn).
func (g *gen) sidePair(i int, sd side) (a, b V, kept bool) {
	switch {
	case g.noLabel:
		return g.sideZero(i), g.sideZero(i + 1), true
	case g.sides != nil:
		a, b = g.twoSidePair(i, sd)
		return a, b, true
	}
	return nil, nil, false
}

// sideZero returns T0's per-side value i (twoSides' indices) in every lane,
// for a rows step with no lane on its row's label (noLabel).
func (g *gen) sideZero(i int) V {
	v := g.newV()
	if g.avx512() {
		g.each(VBROADCASTS, g.sides[2*i+1], v)
	} else {
		g.each(VMOVUP, g.side0[i], v)
	}
	return v
}

// sideZeros forms T0's per-side values once per call from t0 (AVX2's; on
// AVX-512 twoSides has them) into slots, as twoSides does.
func (g *gen) sideZeros(t0 Op, slots []Mem) {
	u := g.u
	g.u = 1
	for i, v := range g.sideSet(t0) {
		VMOVUP(v[0], slots[i])
	}
	g.side0 = slots
	g.u = u
}

// flatAlpha returns α_t = A + e·D as hi+lo from the side's α pair (at,
// atLo: A and its low part) and the slope toward the other side (dp, dlop),
// with its error: A - α_t (exact where A ≥ 1/4), α's low part, e·D's.
func (g *gen) flatAlpha(at, atLo, dp, dlop, ek V) (V, V) {
	aa := g.newV()
	g.each(VMOVAP, at, aa)
	g.each(VFMADD231P, dp, ek, at) // α_t = e·D + A
	r := g.newV()
	g.each(VSUBP, at, aa, r) // A - α_t
	g.each(VFMADD231P, dp, ek, r)
	g.each(VADDP, atLo, r, atLo)
	g.each(VFMADD231P, dlop, ek, atLo)
	return at, atLo
}

// sideSet returns the per-side values of target t (all lanes alike: a
// broadcast one) by the body's own instructions: e, 1-e, 1-2e and its low
// part, twoSides' order.
func (g *gen) sideSet(t Op) []V {
	tv := g.newV()
	g.each(VMOVUP, t, tv)
	e, w := g.sideValues(tv)
	c12 := g.load("mtwo")
	lo := g.slope12(e, c12)
	return []V{e, w, c12, lo}
}

// sideValues returns e = min(t, 1-t) and 1-e = max(t, 1-t) of the lanes'
// targets t.
func (g *gen) sideValues(t V) (e, w V) {
	s1 := g.newV()
	g.each(VXORP, c("sign"), t, s1)
	g.each(VADDP, c("one"), s1, s1) // 1 - t
	e, w = g.newV(), s1
	g.each(VMINP, t, s1, e)
	g.each(VMAXP, t, s1, w) // 1 - e
	return e, w
}

// slope12 turns c12, which holds -2, into 1-2e and returns its low part.
func (g *gen) slope12(e, c12 V) (lo V) {
	g.each(VFMADD213P, c("one"), e, c12) // 1 - 2e
	lo = g.newV()
	g.each(VXORP, c("sign"), c12, lo)
	g.each(VADDP, c("one"), lo, lo)      // 1 - c12, exact
	g.each(VFMADD231P, c("mtwo"), e, lo) // - 2e
	return lo
}

// twoSides forms the rows form's per-side values of the two-valued body
// once per call, from its targets t1 and t0, by the body's own
// instructions (sideValues, slope12): e, 1-e, 1-2e and its low part, T1's
// and T0's, into the stack frame (storeSide). The body then selects each by
// the lanes' side (twoSide), one masked blend (AVX-512) or permute (AVX2)
// where it formed them from t in nine operations: the same bits, four
// operations fewer a vector.
func (g *gen) twoSides(t1, t0 Op) {
	u := g.u
	g.u = 1
	g.sides = g.sideFrame(4)
	for s, t := range []Op{t1, t0} {
		for i, v := range g.sideSet(t) {
			g.storeSide(v[0], g.sides[2*i+s], s)
		}
	}
	g.u = u
}

// sideFrame allocates the frame of n per-side values of both sides, by
// twoSides' indices (2i for T1's value i, 2i+1 for T0's): on AVX-512 an
// element each, read by broadcast (storeLane); on AVX2 a table of both
// sides' a value, which both indices name (storeSide, twoSide2).
func (g *gen) sideFrame(n int) []Mem {
	size, per := 8, 2
	if !g.avx512() {
		size, per = 32, 1
	}
	frame := AllocLocal(n * per * size)
	ms := make([]Mem, 2*n)
	for j := range ms {
		ms[j] = frame.Offset(j * per / 2 * size)
	}
	return ms
}

// storeSide keeps v, whose lanes are all one value, as side s's per-side
// value (twoSides' order: s = 0 for T1's, 1 for T0's) at m: on AVX-512 one
// element (storeLane); on AVX2 in a table of both sides' that VPERMILP
// selects from by the lane's side (twoSide2), whose control lane is all
// ones on T1's side and 0 on T0's: T0's value in each 128-bit half's first
// element, T1's in its last (float32's fourth, float64's second), which
// those controls index.
func (g *gen) storeSide(v reg.VecVirtual, m Mem, s int) {
	if g.avx512() {
		g.storeLane(v, m)
		return
	}
	for half := range 2 {
		off := 16 * half
		if s == 0 {
			off += 16 - esize()
		}
		if f64 {
			VMOVSD(v.AsX(), m.Offset(off))
		} else {
			VMOVSS(v.AsX(), m.Offset(off))
		}
	}
}

// storeLane stores lane 0 of v, whose lanes are all one value, to m.
// twoSides and uniLearn keep per-side values so, one element each, and the
// AVX-512 bodies read them by broadcast: a 64-byte vector in the frame is
// not 64-byte aligned (the stack pointer is 8-byte aligned), and its loads
// split cache lines, one more or not by the call's stack, which made the
// uniform step's time differ by 20% from one process to the next on the
// Intel Xeon. AVX2's operands take no broadcast: it stores the vector.
func (g *gen) storeLane(v reg.VecVirtual, m Mem) {
	if !g.avx512() {
		VMOVUP(v, m)
		return
	}
	if f64 {
		VMOVSD(v.AsX(), m)
		return
	}
	VMOVSS(v.AsX(), m)
}

// twoSide returns per-side value i of twoSides (or uniLearn) in the lanes:
// T1's on the lanes' side sd, T0's elsewhere.
func (g *gen) twoSide(i int, sd side) V {
	if !g.avx512() {
		return g.twoSide2(i, g.reload(sd.ctl))
	}
	v := g.newV()
	g.each(VBROADCASTS, g.sides[2*i+1], v)
	blend := VBLENDMPS_BCST
	if f64 {
		blend = VBLENDMPD_BCST
	}
	g.each(blend, g.sides[2*i], v, sd.pos.k, v)
	return v
}

// twoSidePair returns per-side values i and i+1 (twoSide); AVX2 reloads
// the lanes' side once for both.
func (g *gen) twoSidePair(i int, sd side) (V, V) {
	if !g.avx512() {
		ctl := g.reload(sd.ctl)
		return g.twoSide2(i, ctl), g.twoSide2(i+1, ctl)
	}
	return g.twoSide(i, sd), g.twoSide(i+1, sd)
}

// twoSide2 is twoSide on AVX2: a permute of value i's table (storeSide) by
// the lanes' side, all ones on T1's (ctl): one µop of the shuffle port on
// the Intel Xeon in results/, where VBLENDVPS, the select by a sign bit,
// takes about three of the ports that do the arithmetic (uniform.go).
func (g *gen) twoSide2(i int, ctl V) V {
	v := g.newV()
	g.each(VMOVUP, g.sides[2*i], v)
	g.each(VPERMILP, ctl, v, v)
	return v
}

// sideAlpha returns the α_t pair of the lanes' side sd: a1's (a1lo's) on
// it, a0's elsewhere (everywhere with noLabel).
func (g *gen) sideAlpha(sd side) (at, atLo V) {
	at, atLo = g.newV(), g.newV()
	g.each(VMOVUP, g.a0, at)
	g.each(VMOVUP, g.a0lo, atLo)
	switch {
	case g.noLabel: // every lane on T0's side
	case g.avx512():
		g.each(VBLENDMP, g.a1, at, sd.pos.k, at)
		g.each(VBLENDMP, g.a1lo, atLo, sd.pos.k, atLo)
	default:
		ps := g.reload(sd.sign)
		g.each(blendv, ps, g.a1, at, at)
		g.each(blendv, ps, g.a1lo, atLo, atLo)
	}
	return at, atLo
}
