// Command _asm generates focal_amd64.s and focal_amd64.go, the AVX2+FMA and
// AVX-512 sigmoid focal loss kernels of package asm. Run it with go generate
// in impl/asm (or make generate). It is its own module so that avo never
// enters the project's go.mod.
//
// Every kernel computes, lane by lane, exactly the operations of elemHard in
// ../generic.go, in the same order (see the comments there); a change to one
// is a change to both, and the tests compare them for every length.
package main

import (
	"math"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// Constants of generic.go, one 64-byte row each (16 copies of a float32).
var constNames = []string{}
var constVals = []uint32{}

func cf(name string, v float32) {
	constNames = append(constNames, name)
	constVals = append(constVals, math.Float32bits(v))
}
func ci(name string, v uint32) {
	constNames = append(constNames, name)
	constVals = append(constVals, v)
}

func init() {
	cf("zero", 0)
	cf("one", 1)
	cf("mtwo", -2)
	cf("half", 0.5)
	cf("mhalf", -0.5)
	ci("sign", 0x80000000)
	cf("expLo", -104)
	cf("log2e", 1.44269504088896341)
	cf("ln2hi", 0.693359375)
	cf("ln2lo", -2.12194440e-4)
	cf("sqrt2", 1.41421356237)
	cf("mzLo", -256)
	cf("ep0", 1.9875691500e-4)
	cf("ep1", 1.3981999507e-3)
	cf("ep2", 8.3334519073e-3)
	cf("ep3", 4.1665795894e-2)
	cf("ep4", 1.6666665459e-1)
	cf("ep5", 5.0000001201e-1)
	cf("lp0", 7.0376836292e-2)
	cf("lp1", -1.1514610310e-1)
	cf("lp2", 1.1676998740e-1)
	cf("lp3", -1.2420140846e-1)
	cf("lp4", 1.4249322787e-1)
	cf("lp5", -1.6668057665e-1)
	cf("lp6", 2.0000714765e-1)
	cf("lp7", -2.4999993993e-1)
	cf("lp8", 3.3333331174e-1)
	ci("i127", 127)
	// iota for AVX2 tail masks: lane i holds i
	ci("iota", 0) // lane j holds j: see emitConsts
}

var consts Mem

func c(name string) Mem {
	for i, n := range constNames {
		if n == name {
			return consts.Offset(64 * i)
		}
	}
	panic("no constant " + name)
}

func emitConsts() {
	consts = GLOBL("focalconsts", RODATA|NOPTR)
	for i, v := range constVals {
		for j := 0; j < 16; j++ {
			w := v
			if constNames[i] == "iota" {
				w = uint32(j)
			}
			DATA(64*i+4*j, U32(w))
		}
	}
}

// isa is one SIMD level.
type isa struct {
	name string // "AVX2", "AVX512"
	w    int    // lanes
}

func (s isa) vec() reg.VecVirtual {
	if s.w == 16 {
		return ZMM()
	}
	return YMM()
}

func (s isa) avx512() bool { return s.w == 16 }

// mask is a lane mask: a vector (AVX2) or a K register (AVX-512).
type mask struct {
	v reg.VecVirtual
	k reg.OpmaskVirtual
}

// Modes, as in generic.go.
const (
	mode0 = iota
	mode1
	mode2
	modeGen
)

var modeNames = []string{"M0", "M1", "M2", "MGen"}

// kernel state shared while emitting one function.
type gen struct {
	isa
	mode       int
	a1, a0, g  reg.VecVirtual
	allHard    mask
	acc, acc64 reg.VecVirtual
}

func (g *gen) load(name string) reg.VecVirtual {
	v := g.vec()
	VMOVUPS(c(name), v)
	return v
}

// expo returns exp(h+lo) (lo may be nil) into h's register (h is destroyed).
func (g *gen) expo(h, lo reg.VecVirtual) reg.VecVirtual {
	lim := g.load("expLo")
	VMAXPS(h, lim, h) // NaN h stays NaN: MAXPS returns its second source on NaN
	kf := g.vec()
	VMULPS(c("log2e"), h, kf)
	var ki reg.VecVirtual
	if g.avx512() {
		VRNDSCALEPS(U8(0), kf, kf)
	} else {
		ki = g.vec()
		VCVTPS2DQ(kf, ki)
		VCVTDQ2PS(ki, kf)
	}
	r := h
	VFNMADD231PS(c("ln2hi"), kf, r)
	VFNMADD231PS(c("ln2lo"), kf, r)
	if lo != nil {
		VADDPS(lo, r, r)
	}
	r2 := g.vec()
	VMULPS(r, r, r2)
	p := g.load("ep0")
	for _, n := range []string{"ep1", "ep2", "ep3", "ep4", "ep5"} {
		VFMADD213PS(c(n), r, p)
	}
	VFMADD213PS(r, r2, p)
	VADDPS(c("one"), p, p)
	if g.avx512() {
		VSCALEFPS(kf, p, p)
		return p
	}
	k1 := g.vec()
	VPSRAD(U8(1), ki, k1)
	VPSUBD(k1, ki, ki)
	VPADDD(c("i127"), k1, k1)
	VPSLLD(U8(23), k1, k1)
	VPADDD(c("i127"), ki, ki)
	VPSLLD(U8(23), ki, ki)
	VMULPS(k1, p, p)
	VMULPS(ki, p, p)
	return p
}

// body computes the loss (and the gradient if wantGrad) of the lanes of x and t.
// x is destroyed. It returns loss, grad (nil unless wantGrad) and the hard mask.
func (g *gen) body(x, t reg.VecVirtual, wantGrad bool) (loss, grad reg.VecVirtual, hard mask) {
	// hard = (t == 0) | (t == 1)
	if g.avx512() {
		k0, k1 := K(), K()
		VCMPPS(U8(0), c("zero"), t, k0)
		VCMPPS(U8(0), c("one"), t, k1)
		KORW(k1, k0, k0)
		hard.k = k0
	} else {
		h0, h1 := g.vec(), g.vec()
		VCMPPS(U8(0), c("zero"), t, h0)
		VCMPPS(U8(0), c("one"), t, h1)
		VORPS(h1, h0, h0)
		hard.v = h0
	}
	s := g.load("mtwo")
	VFMADD213PS(c("one"), t, s) // s = 1-2t
	z := x
	VMULPS(s, x, z) // z = x·s
	if !wantGrad {
		s = nil
	}
	e := g.vec()
	VORPS(c("sign"), z, e) // -|z|
	e = g.expo(e, nil)
	u := g.vec()
	VADDPS(c("one"), e, u)
	rcp := g.load("one")
	VDIVPS(u, rcp, rcp)
	cc := g.vec()
	VSUBPS(c("one"), u, cc)
	VSUBPS(cc, e, cc)
	VMULPS(rcp, cc, cc)        // c = (e-(u-1))·rcp
	VFNMADD132PS(cc, rcp, rcp) // rc = -(rcp·c) + rcp
	sn := g.vec()
	VMULPS(rcp, e, sn) // σ(-|z|); e dead
	needSz := g.mode == mode1 || g.mode == mode2 || wantGrad
	needSnz := wantGrad && g.mode != mode0
	var sz, snz reg.VecVirtual
	if needSz || needSnz {
		sz, snz = g.vec(), g.vec()
		if g.avx512() {
			kn := K()
			VPMOVD2M(z, kn)
			VBLENDMPS(sn, rcp, kn, sz)
			if needSnz {
				VBLENDMPS(rcp, sn, kn, snz)
			}
		} else {
			VBLENDVPS(z, sn, rcp, sz)
			if needSnz {
				VBLENDVPS(z, rcp, sn, snz)
			}
		}
		if !needSnz {
			snz = nil
		}
	}
	// L = log1p(e) from u and c
	f := g.vec()
	kf := g.vec()
	if g.avx512() {
		km := K()
		VCMPPS(U8(0x1e), c("sqrt2"), u, km) // u > √2
		VMOVAPS(u, f)
		VMULPS(c("half"), u, km, f)
		VBROADCASTSS_Z(c("one").Offset(0), km, kf)
	} else {
		VCMPPS(U8(0x1e), c("sqrt2"), u, kf)
		VMULPS(c("half"), u, f)
		VANDPS(kf, f, f)
		VSUBPS(f, u, f)
		VANDPS(c("one"), kf, kf)
	}
	VSUBPS(c("one"), f, f) // f = m-1
	zz := u                // u dead
	VMULPS(f, f, zz)
	p := g.load("lp0")
	for _, n := range []string{"lp1", "lp2", "lp3", "lp4", "lp5", "lp6", "lp7", "lp8"} {
		VFMADD213PS(c(n), f, p)
	}
	VMULPS(zz, p, p)
	VMULPS(f, p, p)
	VFMADD231PS(c("mhalf"), zz, p)
	VADDPS(cc, p, p)
	VFMADD231PS(c("ln2lo"), kf, p)
	VADDPS(f, p, p)
	VFMADD231PS(c("ln2hi"), kf, p)
	l := p
	// CE = max(z,0) + L
	ce := g.vec()
	VMAXPS(c("zero"), z, ce)
	VADDPS(l, ce, ce)
	// m
	var m reg.VecVirtual
	switch g.mode {
	case mode1:
		m = sz
	case mode2:
		m = g.vec()
		VMULPS(sz, sz, m)
	case modeGen:
		mz := z
		VMINPS(c("zero"), z, mz)
		VMAXPS(c("mzLo"), mz, mz)
		h1 := g.vec()
		VMULPS(g.g, mz, h1)
		VFMSUB213PS(h1, g.g, mz) // l1 = g·mz - h1
		l1 := mz
		h2 := g.vec()
		VMULPS(g.g, l, h2)
		VFMSUB213PS(h2, g.g, l) // l2 = g·L - h2
		l2 := l
		h := g.vec()
		VSUBPS(h2, h1, h)
		bb := g.vec()
		VSUBPS(h1, h, bb)
		ta := f // f dead
		VSUBPS(bb, h, ta)
		VSUBPS(ta, h1, ta)
		VADDPS(bb, h2, h2)
		VSUBPS(h2, ta, ta) // er
		VSUBPS(l2, l1, l1)
		VADDPS(ta, l1, l1) // lo
		m = g.expo(h, l1)
	}
	// α_t = fma(t, a1, (1-t)·a0)
	at := g.vec()
	VXORPS(c("sign"), t, at)
	VADDPS(c("one"), at, at)
	VMULPS(g.a0, at, at)
	VFMADD231PS(g.a1, t, at)
	loss = g.vec()
	if m != nil {
		VMULPS(ce, m, loss)
		VMULPS(loss, at, loss)
	} else {
		VMULPS(ce, at, loss)
	}
	if !wantGrad {
		return loss, nil, hard
	}
	inner := sz
	if g.mode != mode0 {
		inner = snz
		VMULPS(g.g, snz, inner)
		VFMADD213PS(sz, ce, inner)
	}
	if m != nil {
		VMULPS(m, inner, inner)
	}
	VMULPS(at, inner, inner)
	VMULPS(s, inner, inner)
	return loss, inner, hard
}

type op int

const (
	opLoss op = iota
	opSum
	opLossGrad
)

func (g *gen) function(o op) {
	var name, sig string
	lv := g.name
	switch o {
	case opLoss:
		name = "loss" + lv + modeNames[g.mode]
		sig = "func(dst, x, t []float32, a1, a0, gm float32) (hard bool)"
	case opSum:
		name = "sum" + lv + modeNames[g.mode]
		sig = "func(x, t []float32, a1, a0, gm float32) (sum float64, hard bool)"
	case opLossGrad:
		name = "lossGrad" + lv + modeNames[g.mode]
		sig = "func(loss, grad, x, t []float32, a1, a0, gm float32) (hard bool)"
	}
	TEXT(name, NOSPLIT, sig)
	switch o {
	case opLoss:
		Doc(name+" writes the loss of the hard-target lanes into dst and reports whether all targets were hard.",
			"len(dst) ≥ len(t) ≥ len(x); soft-target lanes of dst are left for the caller to overwrite.")
	case opSum:
		Doc(name + " returns the sum of the loss over the hard-target lanes and whether all targets were hard.")
	case opLossGrad:
		Doc(name+" writes the loss and gradient of the hard-target lanes and reports whether all targets were hard.",
			"loss may be the same slice as grad (the loss is stored first).")
	}
	n, xp, tp := GP64(), GP64(), GP64()
	Load(Param("x").Len(), n)
	Load(Param("x").Base(), xp)
	Load(Param("t").Base(), tp)
	var dp, gp reg.GPVirtual
	switch o {
	case opLoss:
		dp = GP64()
		Load(Param("dst").Base(), dp)
	case opLossGrad:
		dp, gp = GP64(), GP64()
		Load(Param("loss").Base(), dp)
		Load(Param("grad").Base(), gp)
	}
	g.a1, g.a0 = g.vec(), g.vec()
	VBROADCASTSS(paramAddr("a1"), g.a1)
	VBROADCASTSS(paramAddr("a0"), g.a0)
	if g.mode != mode0 {
		g.g = g.vec()
		VBROADCASTSS(paramAddr("gm"), g.g)
	}
	if g.avx512() {
		g.allHard.k = K()
		KXNORW(g.allHard.k, g.allHard.k, g.allHard.k)
	} else {
		g.allHard.v = g.vec()
		VPCMPEQD(g.allHard.v, g.allHard.v, g.allHard.v)
	}
	var cnt reg.GPVirtual
	if o == opSum {
		g.acc, g.acc64 = g.vec(), g.vec()
		VXORPS(g.acc, g.acc, g.acc)
		VXORPD(g.acc64, g.acc64, g.acc64)
		cnt = GP64()
		MOVQ(U32(blockVecs), cnt)
	}
	W := g.w
	loop, tail, done := name+"_loop", name+"_tail", name+"_done"

	Label(loop)
	CMPQ(n, U32(W))
	JB(LabelRef(tail))
	{
		x, t := g.vec(), g.vec()
		VMOVUPS(Mem{Base: xp}, x)
		VMOVUPS(Mem{Base: tp}, t)
		loss, grad, hard := g.body(x, t, o == opLossGrad)
		g.andHard(hard)
		switch o {
		case opLoss:
			VMOVUPS(loss, Mem{Base: dp})
		case opLossGrad:
			VMOVUPS(loss, Mem{Base: dp})
			VMOVUPS(grad, Mem{Base: gp})
		case opSum:
			g.accumulate(loss, hard)
			skip := name + "_noflush"
			DECQ(cnt)
			JNZ(LabelRef(skip))
			g.flush()
			MOVQ(U32(blockVecs), cnt)
			Label(skip)
		}
		ADDQ(U8(4*W), xp)
		ADDQ(U8(4*W), tp)
		if dp != nil {
			ADDQ(U8(4*W), dp)
		}
		if gp != nil {
			ADDQ(U8(4*W), gp)
		}
		SUBQ(U8(W), n)
		JMP(LabelRef(loop))
	}

	Label(tail)
	TESTQ(n, n)
	JZ(LabelRef(done))
	{
		var valid mask
		x, t := g.vec(), g.vec()
		if g.avx512() {
			valid.k = K()
			ones, bits := GP32(), GP32()
			MOVL(U32(0xffff), ones)
			BZHIL(n.As32(), ones, bits)
			KMOVW(bits, valid.k)
			VMOVUPS_Z(Mem{Base: xp}, valid.k, x)
			VMOVUPS_Z(Mem{Base: tp}, valid.k, t)
		} else {
			valid.v = g.vec()
			nv := g.vec()
			MOVQ(n, nv.AsX())
			VPBROADCASTD(nv.AsX(), nv)
			VPCMPGTD(c("iota"), nv, valid.v)
			VMASKMOVPS(Mem{Base: xp}, valid.v, x)
			VMASKMOVPS(Mem{Base: tp}, valid.v, t)
		}
		// Lanes past the end load as x = 0, t = 0: a hard target, so allHard is
		// not disturbed, and their results are never stored or summed.
		loss, grad, hard := g.body(x, t, o == opLossGrad)
		g.andHard(hard)
		switch o {
		case opLoss:
			g.maskedStore(loss, valid, dp)
		case opLossGrad:
			g.maskedStore(loss, valid, dp)
			g.maskedStore(grad, valid, gp)
		case opSum:
			if g.avx512() {
				KANDW(valid.k, hard.k, hard.k)
			} else {
				VANDPS(valid.v, hard.v, hard.v)
			}
			g.accumulate(loss, hard)
		}
	}

	Label(done)
	if o == opSum {
		g.flush()
		// horizontal sum of acc64
		var lo reg.VecVirtual
		if g.avx512() {
			hi := YMM()
			VEXTRACTF64X4(U8(1), g.acc64, hi)
			lo = YMM()
			VADDPD(hi, g.acc64.AsY(), lo)
		} else {
			lo = g.acc64
		}
		hx := XMM()
		VEXTRACTF128(U8(1), lo, hx)
		sx := XMM()
		VADDPD(hx, lo.AsX(), sx)
		hy := XMM()
		VPERMILPD(U8(1), sx, hy)
		VADDSD(hy, sx, sx)
		Store(sx, ReturnIndex(0))
	}
	r := GP8()
	if g.avx512() {
		KORTESTW(g.allHard.k, g.allHard.k)
		SETCS(r)
	} else {
		m := GP32()
		VMOVMSKPS(g.allHard.v, m)
		CMPL(m, U8(0xff))
		SETEQ(r)
	}
	if o == opSum {
		Store(r, ReturnIndex(1))
	} else {
		Store(r, ReturnIndex(0))
	}
	VZEROUPPER()
	RET()
}

// blockVecs vectors are summed in float32 lanes before they are added to the
// float64 accumulator.
const blockVecs = 8

func (g *gen) andHard(h mask) {
	if g.avx512() {
		KANDW(h.k, g.allHard.k, g.allHard.k)
	} else {
		VANDPS(h.v, g.allHard.v, g.allHard.v)
	}
}

// accumulate adds the lanes of loss selected by m into acc.
func (g *gen) accumulate(loss reg.VecVirtual, m mask) {
	if g.avx512() {
		VADDPS(loss, g.acc, m.k, g.acc)
	} else {
		VANDPS(m.v, loss, loss)
		VADDPS(loss, g.acc, g.acc)
	}
}

// flush adds acc, widened to float64, into acc64 and clears acc.
func (g *gen) flush() {
	if g.avx512() {
		lo, hi := ZMM(), ZMM()
		VCVTPS2PD(g.acc.AsY(), lo)
		h := YMM()
		VEXTRACTF32X8(U8(1), g.acc, h)
		VCVTPS2PD(h, hi)
		VADDPD(lo, g.acc64, g.acc64)
		VADDPD(hi, g.acc64, g.acc64)
	} else {
		lo, hi := YMM(), YMM()
		VCVTPS2PD(g.acc.AsX(), lo)
		h := XMM()
		VEXTRACTF128(U8(1), g.acc, h)
		VCVTPS2PD(h, hi)
		VADDPD(lo, g.acc64, g.acc64)
		VADDPD(hi, g.acc64, g.acc64)
	}
	VXORPS(g.acc, g.acc, g.acc)
}

func (g *gen) maskedStore(v reg.VecVirtual, m mask, p reg.GPVirtual) {
	if g.avx512() {
		VMOVUPS(v, m.k, Mem{Base: p})
	} else {
		VMASKMOVPS(v, m.v, Mem{Base: p})
	}
}

func main() {
	ConstraintExpr("!purego")
	emitConsts()
	for _, s := range []isa{{"AVX2", 8}, {"AVX512", 16}} {
		for mode := range modeNames {
			for _, o := range []op{opLoss, opSum, opLossGrad} {
				g := &gen{isa: s, mode: mode}
				g.function(o)
			}
		}
	}
	Generate()
}

func paramAddr(name string) Mem {
	b, err := Param(name).Resolve()
	if err != nil {
		panic(err)
	}
	return b.Addr
}
