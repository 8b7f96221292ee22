package main

// A function's masks: the tail's lanes, the test for hard targets, the
// flagged lanes.

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// tailMask returns the mask of the tail's first n lanes (one vector).
func (g *gen) tailMask(n reg.GPVirtual) masks {
	var valid masks
	if g.avx512() {
		valid.k = g.newK()
		ones, bits := GP32(), GP32()
		MOVL(U32(g.fullMask()), ones)
		BZHIL(n.As32(), ones, bits)
		KMOVW(bits, valid.k[0])
		return valid
	}
	valid.v = g.newV()
	nv := g.vec()
	vmovq(n, nv)
	if f64 {
		VPBROADCASTQ(nv.AsX(), nv)
		VPCMPGTQ(c("iota"), nv, valid.v[0])
	} else {
		VPBROADCASTD(nv.AsX(), nv)
		VPCMPGTD(c("iota"), nv, valid.v[0])
	}
	return valid
}

// maskedLoad loads the lanes of m from memory, the others as 0, without
// reading them.
func (g *gen) maskedLoad(m Mem, valid masks) V {
	v := g.newV()
	if g.avx512() {
		VMOVUP_Z(m, valid.k[0], v[0])
	} else {
		VMASKMOVP(m, valid.v[0], v[0])
	}
	return v
}

// hardTest emits the test of the step's t vectors and jumps to soft unless
// every lane is hard. It returns each vector's hard lanes (a K register on
// AVX-512, a bitmask on AVX2), from which the soft step picks its vectors
// without testing them again (allHard).
func (g *gen) hardTest(t V, soft string) (each []Op) {
	hard := g.hardMask(t)
	if g.avx512() {
		all := hard.k[0]
		each = append(each, hard.k[0])
		for i := 1; i < g.u; i++ {
			each = append(each, hard.k[i])
			and := K()
			KANDW(hard.k[i], all, and)
			all = and
		}
		KORTEST(all, all)
		JCC(LabelRef(soft)) // CF = 0: a lane is not hard
		return each
	}
	r := GP32()
	VMOVMSKP(hard.v[0], r)
	each = append(each, r)
	all := r
	for i := 1; i < g.u; i++ {
		ri := GP32()
		VMOVMSKP(hard.v[i], ri)
		each = append(each, ri)
		and := GP32()
		MOVL(all, and)
		ANDL(ri, and)
		all = and
	}
	CMPL(all, U8(g.fullMask()))
	JNE(LabelRef(soft))
	return each
}

// allHard jumps to to where every lane of one vector is hard, from its hard
// lanes (one of hardTest's results).
func (g *gen) allHard(hard Op, to string) {
	if g.avx512() {
		KORTEST(hard, hard)
		JCS(LabelRef(to)) // CF = 1: every lane is hard
		return
	}
	CMPL(hard, U8(g.fullMask()))
	JEQ(LabelRef(to))
}

// addFlags ORs the lanes of m (if any) into the function's flags.
func (g *gen) addFlags(m masks) {
	if !g.flagged || (m.k == nil && m.v == nil) {
		return
	}
	for i := 0; i < g.u; i++ {
		if g.avx512() {
			KORW(m.k[i], g.flagK, g.flagK)
		} else {
			r := GP32()
			VMOVMSKP(m.v[i], r)
			ORL(r, g.flagGP)
		}
	}
}
