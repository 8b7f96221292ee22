package main

// The float32 rows' epilogue in lanes: model.SoftmaxEpiLanes32 (see
// impl/internal/model/softmax_epilanes.go), a block of 8 rows, one per
// float64 lane, operation for operation: AVX2 in two vectors of 4 lanes,
// one after the other (each alone fits the 16 registers), AVX-512 in one of
// 8. The block comes and goes by value, so that the Go side's row loop keeps
// it on its stack.

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/gotypes"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The block's layout (model's EpiXC, …, EpiGC): fields of epiRows float64s.
const (
	epiRows = 8
	epiXC   = 0 * epiRows
	epiM    = 1 * epiRows
	epiO    = 2 * epiRows
	epiEC   = 3 * epiRows
	epiWA   = 4 * epiRows
	epiIn   = 5 * epiRows
	epiLoss = 0 * epiRows
	epiF    = 1 * epiRows
	epiGC   = 2 * epiRows
	epiOut  = 3 * epiRows
)

// elemAddr returns the address of element i of the array argument p.
func elemAddr(p gotypes.Component, i int) Mem {
	b, err := p.Index(i).Resolve()
	if err != nil {
		panic(err)
	}
	return b.Addr
}

// epiFunc emits softmaxEpi32<ISA>.
func (g *smGen) epiFunc() {
	name := "softmaxEpi32" + g.name
	TEXT(name, NOSPLIT, fmt.Sprintf("func(in [%d]float64, gamma float64) (out [%d]float64, special uint)", epiIn, epiOut))
	Doc(name+" is the epilogue of a block of 8 float32 rows at γ ∈ {0, 0.5, 1, 1.5, 2} (model.SoftmaxEpiLanes32,",
		"in "+fmt.Sprint(g.w64())+" float64 lanes): the outputs, and the rows left to the scalar code as bits.")
	g.fname = name
	g.u = 1
	W := g.w64()
	special := GP64()
	XORQ(special, special)
	for i := 0; i < epiRows; i += W {
		bits := g.epiBody(i)
		if i > 0 {
			SHLQ(U8(i), bits)
		}
		ORQ(bits, special)
	}
	Store(special, ReturnIndex(1))
	VZEROUPPER()
	RET()
}

// epiBody emits the lanes of rows [i, i+W), and returns their special
// rows' bits. The order keeps AVX2's 16 registers enough: x_c and m leave
// as m - x_c (0 exactly where the row is right: its rows are finite where
// it counts) and 1/Z is formed before the logarithm; γ is loaded where used.
func (g *smGen) epiBody(i int) reg.GPVirtual {
	in := func(field int) Mem { return elemAddr(Param("in"), field+i) }
	out := func(field int) Mem { return elemAddr(ReturnIndex(0), field+i) }
	ld := func(field int) V {
		v := g.newV()
		g.each(VMOVUP, in(field), v)
		return v
	}
	gamma := func() V {
		b, err := Param("gamma").Resolve()
		if err != nil {
			panic(err)
		}
		v := g.newV()
		g.each(VBROADCASTSD, b.Addr, v)
		return v
	}
	xc, m, o, ec, wa := ld(epiXC), ld(epiM), ld(epiO), ld(epiEC), ld(epiWA)

	// the special rows: a NaN among o, E_c and x_c, wa = 0, wa·(1+γ) above
	// the limit, m = +Inf, x_c = -Inf
	sp := g.cmp(3, o, o) // unordered
	g.or(sp, g.cmp(3, ec, ec))
	g.or(sp, g.cmp(3, xc, xc))
	g.or(sp, g.cmp(0, c("zero"), wa))
	t := gamma()
	g.each(VADDP, c("one"), t, t)
	g.each(VMULP, wa, t, t)
	g.or(sp, g.cmp(0x1e, smc("epilimit"), t)) // > limit
	g.or(sp, g.cmp(0, smc("pinf64"), m))
	g.or(sp, g.cmp(0, smc("minf64"), xc))
	bits := GP64()
	if g.avx512() {
		KMOVB(sp.k[0], bits.As32())
	} else {
		VMOVMSKPD(sp.v[0], bits.As32())
	}

	O, Ec := o, ec
	g.each(VMULP, smc("unscale32"), o, O)
	g.each(VMULP, smc("unscale32"), ec, Ec)
	right := g.cmp(0, xc, m)
	a, z := g.newV(), g.newV()
	g.each(VSUBP, c("one"), O, a)
	g.each(VADDP, Ec, a, a) // (O - 1) + E_c
	g.each(VADDP, Ec, O, z) // O + E_c
	zr := g.newV()
	g.each(VADDP, c("one"), O, zr) // 1 + O
	g.sel(right, O, a, a)
	g.sel(right, zr, z, z)
	d := m
	g.each(VSUBP, xc, m, d) // m - x_c
	invZ := g.load("one")
	g.each(VDIVP, z, invZ, invZ) // 1/Z
	q := z
	g.each(VMULP, invZ, O, q)
	u := zr
	g.each(VADDP, c("one"), a, u) // 1 + a
	cc := g.newV()
	g.each(VSUBP, c("one"), u, cc)
	g.each(VSUBP, cc, a, cc) // a - (u - 1)
	g.each(VDIVP, u, cc, cc) // c
	hi, lo := g.logHL(u)
	g.each(VADDP, cc, lo, lo)
	g.each(VADDP, lo, hi, hi) // hi + (lo + c)
	l := hi
	g.each(VADDP, d, hi, l) // -log p_c
	right = g.cmp(0, c("zero"), d)
	num := g.newV()
	g.each(VMULP, l, Ec, num)
	g.sel(right, l, num, num)
	ratio := num
	g.each(VDIVP, O, num, ratio)
	// right and O = 0: 1; wrong and E_c/Z = 0: 0
	oz := g.cmp(0, c("zero"), O)
	g.and(oz, right)
	g.sel(oz, c("one"), ratio, ratio)
	pc := Ec
	g.each(VMULP, invZ, Ec, pc)
	pz := g.cmp(0, c("zero"), pc)
	g.andNot(pz, right)
	g.zeroWhere(pz, ratio)
	// q^γ: 1, √q, q, q·√q or q·q
	gv := gamma()
	mod, sq := g.newV(), g.newV()
	g.each(VMULP, q, q, mod)
	g.sel(g.cmp(4, smc("two64"), gv), c("one"), mod, mod) // γ ≠ 2: 1
	g.sel(g.cmp(0, c("one"), gv), q, mod, mod)            // γ = 1: q
	g.each(VSQRTPD, q, sq)
	g.sel(g.cmp(0, c("half"), gv), sq, mod, mod) // γ = 0.5: √q
	g.each(VMULP, q, sq, sq)
	g.sel(g.cmp(0, smc("onehalf64"), gv), sq, mod, mod) // γ = 1.5: q·√q
	lv := g.newV()
	g.each(VMULP, mod, wa, lv)
	g.each(VMULP, l, lv, lv)
	g.each(VMOVUP, lv, out(epiLoss))
	b := gv
	g.each(VMULP, ratio, gv, b)
	g.each(VADDP, c("one"), b, b)
	g.each(VMULP, mod, b, b) // mod·(1 + γ·ratio)
	g.each(VMULP, wa, b, b)  // wa·b
	f := ratio
	g.each(VMULP, invZ, b, f)
	g.each(VMOVUP, f, out(epiF))
	g.each(VMULP, q, b, b)
	g.each(VXORP, c("sign"), b, b)
	g.each(VMOVUP, b, out(epiGC))
	return bits
}
