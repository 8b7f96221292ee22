package main

// The softmax kernels' row loops, loads and stores, horizontal sums and the
// scale pass (softmax.go has their layout).

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// twoSumAcc sets hi, lo = TwoSum(hi, e) with lo = (lo + elo) + its error.
func (g *smGen) twoSumAcc(hi, lo, e, elo reg.VecVirtual) {
	s, bb, t, u := XMMorSame(hi), XMMorSame(hi), XMMorSame(hi), XMMorSame(hi)
	VADDPD(e, hi, s)
	VSUBPD(hi, s, bb) // s - a
	VSUBPD(bb, s, t)  // s - bb
	VSUBPD(t, hi, t)  // a - (s - bb)
	VSUBPD(bb, e, u)  // b - bb
	VADDPD(u, t, t)   // the error
	VADDPD(elo, lo, lo)
	VADDPD(t, lo, lo)
	VMOVAPD(s, hi)
}

// hsum adds the float64 lanes of v across, halves first, into the low lane
// of an XMM register.
func (g *smGen) hsum(v reg.VecVirtual) reg.VecVirtual {
	var y reg.VecVirtual = v
	if g.avx512() {
		y = YMM()
		VEXTRACTF64X4(U8(1), v, y)
		VADDPD(y, v.AsY(), y)
	}
	x := XMM()
	VEXTRACTF128(U8(1), y, x)
	VADDPD(x, y.AsX(), x)
	h := XMM()
	VPERMILPD(U8(1), x, h)
	VADDSD(h, x, x)
	return x
}

// hsumDD adds hi+lo lanes across, halves first: his by TwoSum, their
// errors added to the los, the los summed beside (model's hsumDD).
func (g *smGen) hsumDD(hi, lo reg.VecVirtual) (h, l reg.VecVirtual) {
	for hi.Size() > 16 {
		b, lb := upperHalf(hi), upperHalf(lo)
		hi, lo = lowerHalf(hi), lowerHalf(lo)
		g.twoSumAcc(hi, lo, b, lb)
	}
	b, lb := XMM(), XMM()
	VPERMILPD(U8(1), hi, b)
	VPERMILPD(U8(1), lo, lb)
	g.twoSumAcc(hi, lo, b, lb)
	return hi, lo
}

// upperHalf returns v's upper half in a new register of half v's size.
func upperHalf(v reg.VecVirtual) reg.VecVirtual {
	if v.Size() == 64 {
		h := YMM()
		VEXTRACTF64X4(U8(1), v, h)
		return h
	}
	h := XMM()
	VEXTRACTF128(U8(1), v, h)
	return h
}

// lowerHalf returns a copy of v's lower half in a new register of half v's
// size.
func lowerHalf(v reg.VecVirtual) reg.VecVirtual {
	if v.Size() == 64 {
		h := YMM()
		VMOVAPD(v.AsY(), h)
		return h
	}
	h := XMM()
	VMOVAPD(v.AsX(), h)
	return h
}

// XMMorSame returns a new register of v's size.
func XMMorSame(v reg.VecVirtual) reg.VecVirtual {
	switch v.Size() {
	case 32:
		return YMM()
	case 64:
		return ZMM()
	}
	return XMM()
}

// scaleFunc emits softmaxScale<32|64><ISA>: g_j = (g_j·f)·2^-s in float64 lanes.
func (g *smGen) scaleFunc() {
	b := g.bits()
	name := "softmaxScale" + b + g.name
	ft := "float" + b
	TEXT(name, NOSPLIT, "func(g []"+ft+", f float64)")
	Pragma("noescape")
	Doc(name + " scales a row's stored exps into its gradient (model.SoftmaxScale" + b + ").")
	n, gp := GP64(), GP64()
	Load(Param("g").Len(), n)
	Load(Param("g").Base(), gp)
	fv := g.vec()
	fx := XMM()
	loadX(Param("f"), fx)
	VBROADCASTSD(fx, fv)
	unscale := smc("unscale32")
	if g.row64 {
		unscale = smc("unscale64")
	}
	var unscaleOp Op = unscale
	if g.avx512() {
		u := g.vec()
		VMOVUPD(unscale, u)
		unscaleOp = u
	}
	size := g.rowSize()
	j, rem := GP64(), GP64()
	XORQ(j, j)
	body := func(valid masks, _ string) {
		at := Mem{Base: gp, Index: j, Scale: uint8(size)}
		v := g.loadRow(at, valid)
		VMULPD(fv, v, v)
		VMULPD(unscaleOp, v, v)
		g.storeRow(v, at, valid)
	}
	g.rowLoop(name, n, j, rem, body, func() {})
	VZEROUPPER()
	RET()
}

// rowLoop emits the loop over a row of n elements from j (cleared) on, in the
// float64 lanes: body on whole vectors while j ≤ n - W (signed: n may be
// below W), each followed by next, then on the rem lanes of the tail, by
// their mask; label done follows. body's part ("L" or "T") names the
// labels it makes in each.
func (g *smGen) rowLoop(name string, n, j, rem reg.GPVirtual, body func(valid masks, part string), next func()) {
	W := g.w64()
	loop, tail, done := name+"_loop", name+"_tail", name+"_done"
	last := GP64()
	MOVQ(n, last)
	SUBQ(U32(W), last)
	check := name + "_check"
	JMP(LabelRef(check))
	Label(loop)
	body(masks{}, "L")
	ADDQ(U32(W), j)
	next()
	Label(check)
	CMPQ(j, last)
	JLE(LabelRef(loop))
	Label(tail)
	MOVQ(n, rem)
	SUBQ(j, rem)
	JZ(LabelRef(done))
	body(g.tailMask(rem), "T")
	Label(done)
}

// tailMask returns the mask of a row's last rem elements, in float64 lanes
// (AVX2, a float32 row: 4 float32 lanes of an XMM register).
func (g *smGen) tailMask(rem reg.GPVirtual) masks {
	if !g.avx512() && !g.row64 {
		return g.lanesMask(rem, 4, 4)
	}
	return g.lanesMask(rem, g.w64(), 8)
}

// loadRow loads a vector of the row's elements at at into float64 lanes (a
// float32 row's converted), the tail's lanes by valid (the others 0).
func (g *smGen) loadRow(at Mem, valid masks) reg.VecVirtual {
	x := g.vec()
	switch {
	case g.row64 && valid.k != nil:
		VMOVUPD_Z(at, valid.k[0], x)
	case g.row64 && valid.v != nil:
		VMASKMOVPD(at, valid.v[0], x)
	case g.row64:
		VMOVUPD(at, x)
	case valid.k != nil:
		y := YMM()
		VMOVUPS_Z(at, valid.k[0], y)
		VCVTPS2PD(y, x)
	case valid.v != nil:
		xx := XMM()
		VMASKMOVPS(at, valid.v[0].AsX(), xx)
		VCVTPS2PD(xx, x)
	default:
		VCVTPS2PD(at, x)
	}
	return x
}

// storeRow stores float64 lanes v at at in the row's type (rounded, for a
// float32 row), the tail's lanes by valid.
func (g *smGen) storeRow(v reg.VecVirtual, at Mem, valid masks) {
	switch {
	case g.row64 && valid.k != nil:
		VMOVUPD(v, valid.k[0], at)
	case g.row64 && valid.v != nil:
		VMASKMOVPD(v, valid.v[0], at)
	case g.row64:
		VMOVUPD(v, at)
	case g.avx512():
		y := YMM()
		VCVTPD2PS(v, y)
		if valid.k != nil {
			VMOVUPS(y, valid.k[0], at)
		} else {
			VMOVUPS(y, at)
		}
	default:
		x := XMM()
		VCVTPD2PSY(v, x)
		if valid.v != nil {
			VMASKMOVPS(x, valid.v[0].AsX(), at)
		} else {
			VMOVUPS(x, at)
		}
	}
}
