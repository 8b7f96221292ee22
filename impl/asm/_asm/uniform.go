package main

// The flat form's label-smoothed step (γ = 2, both levels). Label smoothing
// gives a call two soft targets, T1 = 1-ε/2 and T0 = ε/2, and the two-valued
// body's per-lane values besides z depend on the target alone: e, 1-e, 1-2e
// and its low part (sideValues, slope12) and α_t as hi+lo (flatAlpha). The
// flat kernels keep them for two targets in the frame, formed by the body's
// own instructions from a broadcast target (uniLearn), as the rows form
// forms T1's and T0's once per call (twoSides). A soft step first compares
// its targets with the two (uniTest). Where every lane holds one of them,
// the step selects the values by the lane's side (twoSide) and leaves out
// the hard and flagged lanes' handling, since a kept target is neither
// (e ≥ twoMin > 0): 13 (Sum, Loss) to 19 (LossGrad) vector operations
// fewer a vector (the generator's -count: soft against lanes), and few
// enough registers that the step takes three vectors, as the hard
// one does. Either way each lane gets the same operations on the same
// values, so the same bits. Where a lane holds neither, the step takes the
// two-valued body of every lane (a step of three first goes
// through the routing of function.go), and the first such lane's target
// becomes its side's kept one. The call tests while it has misses left
// (uniMisses): IoU-style targets, which never repeat, then cost a compare
// a soft step. A step of three that matched loads and tests the next three
// itself (uniStick), past the main loop's hard test.
//
// AVX2 does the same with two vectors a step (softUnroll), its per-side
// values kept as tables of both sides' in whole vectors, since its operands
// take no broadcast, and selected by VPERMILPS with the lane's side as the
// control (storeSide, twoSide2): one µop of the shuffle port on the Intel
// Xeon in results/, beside the two that do the arithmetic (pipes.txt: FMA +
// VPERMILPS 2.00 a cycle, FMA + VBLENDVPS 1.50), where VBLENDVPS, the select
// by a sign bit, took about three µops of theirs (permil2-revs: label-smoothed
// Sum and LossGrad 7.9-10.5% faster); AMD's cores take one µop for
// either.

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// uniMisses is how many failed tests a call's soft steps may take; a step
// of one or two vectors keeps a new target at each (uniLearn). Label
// smoothing needs two to four, and IoU-style targets, which miss 32 times
// a call, ran no slower at 64Ki elements on the Intel Xeon in results/
// (uniform-revs).
const uniMisses = 32

// uniUnroll is the vectors of a uniform step from the main loop's step of
// three (float32's, and float64's at γ = 2): the body without its per-lane
// side values fits 32 registers with three, where the lanes' step takes
// two (softUnroll). On the Intel Xeon in results/ three ran float32's Sum
// and Loss 5-9% faster than two and its LossGrad 2-3% (two runs of five
// interleaved passes), float64's Sum and Loss 7-11% and its LossGrad as
// fast (uniform3-revs).
const uniUnroll = 3

// uniVals is the number of per-side values the frame keeps (twoSide's
// indices: e, 1-e, 1-2e, its low part, α_t, α_t's low part).
const uniVals = 6

// uniform reports whether the function's soft steps test for the kept
// targets: at γ = 2, on either level. The step selects the six values
// (twoSide), where the lanes' step forms them in about twenty operations
// and handles hard and flagged lanes besides.
func (g *gen) uniform() bool { return g.mode == mode2 }

// uniSetup allocates the frame of the kept targets, their values
// (sideFrame) and the count of learns left, and empties it: the targets are
// NaN, which no target equals. AVX-512 keeps one element of each target
// (storeLane) and reads it by broadcast; AVX2, which has no broadcast
// operand, a vector.
func (g *gen) uniSetup() {
	g.uniSides = g.sideFrame(uniVals)
	size := 8
	if !g.avx512() {
		size = 32
	}
	frame := AllocLocal(2*size + 8)
	g.uniT = []Mem{frame, frame.Offset(size)}
	g.uniLeft = frame.Offset(2 * size)
	u := g.u
	g.u = 1
	nan := g.load("allones")
	g.u = u
	g.storeLane(nan[0], g.uniT[0])
	g.storeLane(nan[0], g.uniT[1])
	MOVL(U32(uniMisses), g.uniLeft)
}

// uniStick emits the end of a uniform step (prefix, of g.u vectors: three
// on AVX-512, two on AVX2) and the entry of the next: where g.u vectors are
// left, it loads them into the step's own registers x and t and, where
// they match, goes on to the step's body (prefix+"_body"), past the main
// loop's hard test, whose operations a label-smoothed call would only
// repeat; otherwise back to the main loop's head (loop), whose test routes
// them as ever (it counts the miss), or to loop1 below g.u vectors. The
// misses left need no test: a step that matched had some, and a miss here
// counts none.
func (g *gen) uniStick(prefix, loop, loop1 string, n reg.GPVirtual, x, t V, xp, tp reg.GPVirtual) {
	CMPQ(n, U32(g.lanes()*g.u))
	JB(LabelRef(loop1))
	g.loadStep(x, t, xp, tp)
	g.uniTest(t, loop, false, g.uniPos)
	JMP(LabelRef(prefix + "_body"))
}

// uniLeftTest jumps to none where the call has no misses left (before the
// step loads its vectors: the step at none loads them itself).
func (g *gen) uniLeftTest(none string) {
	CMPL(g.uniLeft, U8(0))
	JEQ(LabelRef(none))
}

// uniTest jumps to lanes unless every lane of the step's targets t equals a
// kept target. It returns each vector's lanes that equal T1 (pos), for the
// body: the kept T1 is above 1/2 and T0 is not (uniLearn), so where every
// lane matches they are its lanes with t > 1/2, and the body need not
// compare again. Where pos is given (uniStick's test) it writes them there,
// where the step's own test left them. AVX-512 compares each vector after
// the first under the lanes matched so far: where those are all, the
// result is the vector's own, and where not, the step fails whatever it
// is, so that no KAND is needed, and uniLearn's first unmatched lane is
// still the first zero of the vectors' masks, which with keep it returns
// (match); AVX2 keeps none: its uniLearn, out of line, compares again.
func (g *gen) uniTest(t V, lanes string, keep bool, pos masks) (masks, KS) {
	if !g.avx512() {
		return g.uniTest2(t, lanes, pos), nil
	}
	if pos.k == nil {
		pos.k = make(KS, g.u)
		for i := range pos.k {
			pos.k[i] = K()
		}
	}
	cmp := VCMPPS_BCST
	if f64 {
		cmp = VCMPPD_BCST
	}
	var match KS
	var all reg.OpmaskVirtual // the lanes matched so far
	for i := range g.u {
		k1, k0 := pos.k[i], K()
		if i == 0 {
			cmp(U8(0), g.uniT[0], t[i], k1) // t == T1 (ordered: not NaN)
			cmp(U8(0), g.uniT[1], t[i], k0)
		} else {
			cmp(U8(0), g.uniT[0], t[i], all, k1)
			cmp(U8(0), g.uniT[1], t[i], all, k0)
		}
		if i == g.u-1 && !keep {
			KORTEST(k1, k0) // CF = 1: every lane matches one
			break
		}
		all = K()
		KORW(k1, k0, all)
		if keep {
			match = append(match, all)
		}
	}
	if keep {
		KORTEST(all, all)
	}
	JCC(LabelRef(lanes)) // CF = 0: a lane matches neither
	return pos, match
}

// uniTest2 is uniTest on AVX2: the lanes that match, as vector masks, ANDed
// over the step's vectors and tested by their sign bits.
func (g *gen) uniTest2(t V, lanes string, pos masks) masks {
	if pos.v == nil {
		pos.v = make(V, g.u)
		for i := range pos.v {
			pos.v[i] = g.vec()
		}
	}
	var all reg.VecVirtual
	for i := range g.u {
		m := g.uniMatch(t[i], pos.v[i])
		if i == 0 {
			all = m
			continue
		}
		VANDP(m, all, all)
	}
	r := GP32()
	VMOVMSKP(all, r)
	CMPL(r, U8(g.fullMask()))
	JNE(LabelRef(lanes))
	return pos
}

// uniMatch returns AVX2's mask of the lanes of t (a register or memory)
// that equal a kept target (ordered: not NaN), and leaves those that equal
// T1 in m1.
func (g *gen) uniMatch(t Op, m1 reg.VecVirtual) reg.VecVirtual {
	m0 := g.vec()
	VMOVUP(g.uniT[0], m1)
	VCMPP(U8(0), t, m1, m1)
	VMOVUP(g.uniT[1], m0)
	VCMPP(U8(0), t, m0, m0)
	VORP(m1, m0, m0)
	return m0
}

// uniLanes emits the lanes' step's entry: the learn, out of line, where
// learns are left, and the step itself (body) after the label lanes+"_body".
func (g *gen) uniLanes(lanes string, match KS, tp reg.GPVirtual, body func()) {
	learn, step := lanes+"_learn", lanes+"_body"
	Label(lanes)
	CMPL(g.uniLeft, U8(0))
	JNE(LabelRef(learn))
	Label(step)
	body()
	Label(learn)
	DECL(g.uniLeft)
	g.uniLearn(match, tp, step)
}

// uniLearn keeps the target of the first lane that matched neither kept
// target (match) as its side's, with its values, where its e is at least
// twoMin (so neither a hard target nor a flagged one, nor NaN), and jumps to
// the lanes' step (to).
func (g *gen) uniLearn(match KS, tp reg.GPVirtual, to string) {
	W := g.lanes()
	bits := GP64()
	XORQ(bits, bits)
	for i := g.u - 1; i >= 0; i-- { // vector i's lanes at bits i·W
		r := GP64()
		switch {
		case !g.avx512():
			VMOVMSKP(g.uniMatch(Mem{Base: tp, Disp: esize() * W * i}, g.vec()), r.As32())
		case W == 16:
			KMOVW(match[i], r.As32())
		default:
			KMOVB(match[i], r.As32())
		}
		SHLQ(U8(W), bits)
		ORQ(r, bits)
	}
	NOTQ(bits)
	BSFQ(bits, bits) // the first lane that matches neither
	u := g.u
	g.u = 1
	defer func() { g.u = u }()
	tv := g.newV()
	VBROADCASTS(Mem{Base: tp, Index: bits, Scale: uint8(esize())}, tv[0])
	e, w := g.sideValues(tv)
	ok := g.cmp(0x1d, c("twoMin"), e) // e ≥ twoMin (ordered: not NaN)
	g.jumpUnless(ok, to)              // not kept
	c12 := g.load("mtwo")
	lo := g.slope12(e, c12)
	pos := g.cmp(0x1e, c("half"), tv) // t > 1/2: T1's side
	side1 := to + "_t1"
	g.jumpIf(pos, side1)
	for s := 1; s >= 0; s-- { // T0's side, then T1's
		if s == 0 {
			Label(side1)
		}
		at, atLo := g.newV(), g.newV()
		dp, dlop := g.newV(), g.newV()
		a, alo := g.a0, g.a0lo
		if s == 0 {
			a, alo = g.a1, g.a1lo
		}
		g.each(VMOVUP, a, at)
		g.each(VMOVUP, alo, atLo)
		g.each(VMOVUP, g.d, dp)
		g.each(VMOVUP, g.dlo, dlop)
		if s == 0 { // D toward T0, from T1
			g.each(VXORP, c("sign"), dp, dp)
			g.each(VXORP, c("sign"), dlop, dlop)
		}
		at, atLo = g.flatAlpha(at, atLo, dp, dlop, e)
		for i, v := range []V{e, w, c12, lo, at, atLo} {
			g.storeSide(v[0], g.uniSides[2*i+s], s)
		}
		g.storeLane(tv[0], g.uniT[s])
		JMP(LabelRef(to))
	}
}

// jumpIf jumps to to where the lanes of m, which are all alike (one
// broadcast value's), are set; jumpUnless where they are not.
func (g *gen) jumpIf(m masks, to string) {
	if g.avx512() {
		KORTEST(m.k[0], m.k[0])
		JCS(LabelRef(to)) // CF = 1: every lane is set
		return
	}
	r := GP32()
	VMOVMSKP(m.v[0], r)
	TESTL(r, r)
	JNZ(LabelRef(to))
}

func (g *gen) jumpUnless(m masks, to string) {
	if g.avx512() {
		KORTEST(m.k[0], m.k[0])
		JCC(LabelRef(to)) // CF = 0: a lane is not set
		return
	}
	r := GP32()
	VMOVMSKP(m.v[0], r)
	TESTL(r, r)
	JZ(LabelRef(to))
}
