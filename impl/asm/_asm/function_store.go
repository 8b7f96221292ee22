package main

// A function's outputs: the stores of its steps and its tail, and Sum's
// accumulation in float32 blocks and float64 lanes.

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// clearSum clears Sum's accumulators: acc in the element's lanes and acc64,
// float64 (AVX2: in slot acc64mem, waiting on the stack between flushes,
// one YMM register fewer for the loop). acc adds blockVecs vectors at a
// time, which the returned register counts, before flush adds it to acc64:
// float32's widened, float64's by TwoSum, whose error starts the next block.
func (g *gen) clearSum(acc64mem Mem) (cnt reg.GPVirtual) {
	g.acc = g.vec()
	VXORP(g.acc, g.acc, g.acc)
	if g.avx512() {
		g.acc64 = g.vec()
		VXORPD(g.acc64, g.acc64, g.acc64)
	} else {
		g.acc64mem = acc64mem
		VMOVUP(g.acc, g.acc64mem)
	}
	cnt = GP64()
	MOVQ(U32(blockVecs), cnt)
	if !f64 {
		g.ovf = GP32()
		XORL(g.ovf, g.ovf)
	}
	return cnt
}

// widen returns v's float32 lanes as float64: the lower half's in lo, the
// upper half's in hi.
func (g *gen) widen(v reg.VecVirtual) (lo, hi reg.VecVirtual) {
	lo, hi = g.vec(), g.vec()
	var h reg.VecVirtual
	if g.avx512() {
		VCVTPS2PD(v.AsY(), lo)
		h = YMM()
		VEXTRACTF32X8(U8(1), v, h)
	} else {
		VCVTPS2PD(v.AsX(), lo)
		h = XMM()
		VEXTRACTF128(U8(1), v, h)
	}
	VCVTPS2PD(h, hi)
	return lo, hi
}

// storeStep ends a full step of g.u vectors: it stores loss (and grad) at
// dp (and gp), or sums loss into acc, flushing float32's acc every blockVecs
// vectors (cnt counts them down).
func (g *gen) storeStep(o op, prefix string, loss, grad V, dp, gp, cnt reg.GPVirtual) {
	W, es := g.lanes(), esize()
	switch o {
	case opLoss:
		for i := 0; i < g.u; i++ {
			VMOVUP(loss[i], Mem{Base: dp, Disp: es * W * i})
		}
	case opLossGrad:
		for i := 0; i < g.u; i++ {
			VMOVUP(loss[i], Mem{Base: dp, Disp: es * W * i})
			VMOVUP(grad[i], Mem{Base: gp, Disp: es * W * i})
		}
	case opSum:
		g.accumulate(loss, masks{})
		skip := prefix + "_noflush"
		SUBQ(U8(g.u), cnt)
		JG(LabelRef(skip))
		g.flush()
		MOVQ(U32(blockVecs), cnt)
		Label(skip)
	}
}

// storeTail ends the tail's step of one vector: it stores the valid lanes
// of loss (and grad) at dp (and gp), or sums them into acc.
func (g *gen) storeTail(o op, loss, grad V, valid masks, dp, gp reg.GPVirtual) {
	if o == opSum {
		g.accumulate(loss, valid)
		return
	}
	g.maskedStore(loss[0], valid, dp)
	if o == opLossGrad {
		g.maskedStore(grad[0], valid, gp)
	}
}

// accumulate adds the lanes of loss (those selected by m, if m is set) into acc.
func (g *gen) accumulate(loss V, m masks) {
	for i := 0; i < g.u; i++ {
		switch {
		case m.k != nil:
			VADDP(loss[i], g.acc, m.k[i], g.acc)
		case m.v != nil:
			VANDP(m.v[i], loss[i], loss[i])
			VADDP(loss[i], g.acc, g.acc)
		default:
			VADDP(loss[i], g.acc, g.acc)
		}
	}
}

// flush adds the block's sums to acc64 and starts the next block: see
// flush32 and flush64.
func (g *gen) flush() {
	if f64 {
		g.flush64()
		return
	}
	g.flush32()
}

// flush64 adds acc to acc64 by TwoSum and leaves the addition's rounding
// error in acc, so that acc64 + acc is the lane's sum so far but for the
// roundings of the blocks' own additions: at most blockVecs+2 of them per
// lane and block (the carried error, and a step of three past blockVecs),
// each of at most 2^-53 of a partial sum of losses, which are not negative
// and so at most the block's sum, so that a lane is within about
// (blockVecs+2)·2^-53 of its exact sum, relative. The lanes' addition
// at the end rounds a few times more (kerneltest.SumRel asks 1e-14).
func (g *gen) flush64() {
	hi := g.acc64
	if !g.avx512() {
		hi = g.vec()
		VMOVUPD(g.acc64mem, hi)
	}
	s, bb, t := g.vec(), g.vec(), g.vec()
	VADDPD(g.acc, hi, s)
	VSUBPD(hi, s, bb) // s - hi
	VSUBPD(bb, s, t)
	VSUBPD(t, hi, t)      // hi - (s - bb)
	VSUBPD(bb, g.acc, bb) // acc - bb
	VADDPD(bb, t, g.acc)  // the error of s
	if g.avx512() {
		VMOVAPD(s, g.acc64)
	} else {
		VMOVUPD(s, g.acc64mem)
	}
}

// flush32 adds acc, widened to float64, into acc64 and clears acc. A lane that
// is +Inf sets ovf: two finite losses near MaxFloat32 in one lane overflow
// float32 (the caller then sums again in float64; a loss that is itself +Inf
// gives +Inf either way).
func (g *gen) flush32() {
	inf := g.vec()
	VMOVUPS(c("inf"), inf)
	r := GP32()
	if g.avx512() {
		k := K()
		VCMPPS(U8(0), inf, g.acc, k)
		KMOVW(k, r)
	} else {
		VCMPPS(U8(0), inf, g.acc, inf)
		VMOVMSKPS(inf, r)
	}
	lo, hi := g.widen(g.acc)
	if g.avx512() {
		VADDPD(lo, g.acc64, g.acc64)
		VADDPD(hi, g.acc64, g.acc64)
	} else {
		VADDPD(g.acc64mem, lo, lo)
		VADDPD(hi, lo, lo)
		VMOVUPD(lo, g.acc64mem)
	}
	ORL(r, g.ovf)
	VXORPS(g.acc, g.acc, g.acc)
}

func (g *gen) maskedStore(v reg.VecVirtual, m masks, p reg.GPVirtual) {
	if g.avx512() {
		VMOVUP(v, m.k[0], Mem{Base: p})
	} else {
		VMASKMOVP(v, m.v[0], Mem{Base: p})
	}
}
