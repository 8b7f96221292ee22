package main

// The softmax kernels' max pass (softmax.go has their layout).

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// rowMax returns the maximum of the row (xp, n elements) over its non-NaN
// elements, + 0, as a float64 in the low lane of an XMM register (a float32
// row's maximum converted, exactly).
func (g *smGen) rowMax(xp, n reg.GPVirtual, name string) (mx, mn reg.VecVirtual) {
	size := g.rowSize()
	lanes := g.w * 4 / size
	vmax, vmov, vbcast := VMAXPS, VMOVUPS, VBROADCASTSS
	if g.row64 {
		vmax, vmov, vbcast = VMAXPD, VMOVUPD, VBROADCASTSD
	}
	minf := smc("minf32")
	if g.row64 {
		minf = smc("minf64")
	}
	acc := g.vec()
	vbcast(minf.Offset(0), acc)
	var accMin reg.VecVirtual // a float64 row's minimum beside
	if g.row64 {
		accMin = g.vec()
		VBROADCASTSD(smc("pinf64").Offset(0), accMin)
	}
	i := GP64()
	XORQ(i, i)
	loop, tail, done := name+"_maxloop", name+"_maxtail", name+"_maxdone"
	rem := GP64()
	Label(loop)
	MOVQ(n, rem)
	SUBQ(i, rem)
	CMPQ(rem, U32(lanes))
	JB(LabelRef(tail))
	t := g.vec()
	vmov(Mem{Base: xp, Index: i, Scale: uint8(size)}, t)
	vmax(acc, t, acc) // Intel max(t, acc): acc where t is NaN
	if g.row64 {
		VMINPD(accMin, t, accMin)
	}
	ADDQ(U32(lanes), i)
	JMP(LabelRef(loop))
	Label(tail)
	TESTQ(rem, rem)
	JZ(LabelRef(done))
	mk := g.lanesMask(rem, lanes, size)
	t = g.vec()
	vbcast(minf.Offset(0), t)
	at := Mem{Base: xp, Index: i, Scale: uint8(size)}
	if g.avx512() {
		vmov(at, mk.k[0], t) // merge: the lanes past the end stay -Inf
		if g.row64 {
			VMINPD(accMin, t, mk.k[0], accMin) // merge: the lanes past the end keep accMin
		}
	} else {
		l := g.vec()
		if g.row64 {
			VMASKMOVPD(at, mk.v[0], l)
			VBLENDVPD(mk.v[0], l, t, t)
			tm := g.vec()
			VBROADCASTSD(smc("pinf64").Offset(0), tm)
			VBLENDVPD(mk.v[0], l, tm, tm)
			VMINPD(accMin, tm, accMin)
		} else {
			VMASKMOVPS(at, mk.v[0], l)
			VBLENDVPS(mk.v[0], l, t, t)
		}
	}
	vmax(acc, t, acc)
	Label(done)
	// across the lanes (no NaN is left, so the order does not matter)
	var x reg.VecVirtual
	if g.avx512() {
		y := YMM()
		if g.row64 {
			VEXTRACTF64X4(U8(1), acc, y)
			VMAXPD(acc.AsY(), y, y)
		} else {
			VEXTRACTF32X8(U8(1), acc, y)
			VMAXPS(acc.AsY(), y, y)
		}
		x = XMM()
		VEXTRACTF128(U8(1), y, x)
		vmax(y.AsX(), x, x)
	} else {
		x = XMM()
		VEXTRACTF128(U8(1), acc, x)
		vmax(acc.AsX(), x, x)
	}
	sh := XMM()
	if g.row64 {
		VPERMILPD(U8(1), x, sh)
		VMAXSD(x, sh, x)
		z := XMM()
		VXORPD(z, z, z)
		VADDSD(z, x, x) // + 0: a zero maximum is +0
		return x, g.hmin64(accMin)
	}
	VPERMILPS(U8(0x4e), x, sh)
	VMAXPS(x, sh, x)
	VPERMILPS(U8(0xb1), x, sh)
	VMAXPS(x, sh, x)
	z := XMM()
	VXORPS(z, z, z)
	VADDSS(z, x, x)
	VCVTSS2SD(x, x, x)
	return x, nil
}

// hmin64 returns the least of v's float64 lanes (no NaN among them) in the
// low lane of an XMM register.
func (g *smGen) hmin64(v reg.VecVirtual) reg.VecVirtual {
	var y reg.VecVirtual = v
	if g.avx512() {
		y = YMM()
		VEXTRACTF64X4(U8(1), v, y)
		VMINPD(v.AsY(), y, y)
	}
	x := XMM()
	VEXTRACTF128(U8(1), y, x)
	VMINPD(y.AsX(), x, x)
	sh := XMM()
	VPERMILPD(U8(1), x, sh)
	VMINSD(x, sh, x)
	return x
}
