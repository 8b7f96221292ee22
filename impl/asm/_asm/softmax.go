package main

// The softmax form's lanes (impl/internal/model's softmax_lanes.go is the
// scalar model and the contract, operation for operation): a row's
// reduction, softmaxReduce32<ISA> and softmaxReduce64<ISA>, and the scaling
// of its stored exps into its gradient, softmaxScale32<ISA> and
// softmaxScale64<ISA>. One row per call: the Go side's row loop
// (model.SoftmaxLoss32, …) calls them around the epilogue (float32 rows'
// in lanes, eight rows a call: softmax_epi.go). The
// exp pass runs in float64 lanes for either width (a float32 row is
// converted as it is loaded); the max pass in the row's own lanes (and a
// float64 row's minimum beside). The last vector of a row is masked (K
// registers on AVX-512, VMASKMOV and blends on AVX2), and so is the label's
// lane, whose exp is accumulated apart; in a row whose maximum is finite
// the other whole vectors take plain steps without those masks, narrow
// ones in a float64 row that spans at most 1000 (reduce's body).

import (
	"fmt"
	"math"
	"path/filepath"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The softmax lanes' own constants, in their own data section (smconsts),
// which zsoftmaxconsts_test.go lists for the model's test to compare.
var smNames []string
var smVals []uint64

func sm(name string, v uint64) { smNames, smVals = append(smNames, name), append(smVals, v) }

func init() {
	ln2 := 0.6931471805599453
	sm("minf32", uint64(math.Float32bits(float32(math.Inf(-1))))|uint64(math.Float32bits(float32(math.Inf(-1))))<<32)
	sm("minf64", math.Float64bits(math.Inf(-1)))
	sm("lo32", math.Float64bits(-(1022+64)*ln2))
	sm("lo64", math.Float64bits(-(1076+512)*ln2))
	sm("bias32", math.Float64bits(64))
	sm("bias64", math.Float64bits(512))
	sm("ibias64", 512)
	// 2^(k+64)'s biased exponent less k, less dmagic's bits: added to the
	// bits of k + dmagic it gives the exponent field's value (mod 2^64)
	sm("ebiasm32", 64+1023-math.Float64bits(0x1.8p52))
	sm("ln2", math.Float64bits(ln2)) // a float32 row's reduction, in one FMA
	sm("pinf64", math.Float64bits(math.Inf(1)))
	// a float64 row is narrow where its maximum less its minimum is at most
	// narrow64: every k of its exps is then at least -1444 (above the clamp,
	// and 2^(k+512) normal), so one product scales them, as the two halves do
	sm("narrow64", math.Float64bits(1000))
	sm("nbias64", 512+1023-math.Float64bits(0x1.8p52)) // 2^(k+512)'s biased exponent less k, less dmagic's bits
	sm("epilimit", math.Float64bits(0x1p38))           // the epilogue's limit on weight·α·(1+γ)
	sm("two64", math.Float64bits(2))
	sm("onehalf64", math.Float64bits(1.5))
	sm("unscale32", math.Float64bits(0x1p-64))
	sm("unscale64", math.Float64bits(0x1p-512))
}

var smConsts Mem

// smc returns the 64-byte row (8 copies of 64 bits) of the softmax constant called name.
func smc(name string) Mem {
	return rowOf(smConsts, smNames, name, "softmax constant")
}

func emitSoftmaxConsts() {
	smConsts = GLOBL("smconsts", RODATA|NOPTR)
	for i, v := range smVals {
		for j := 0; j < 8; j++ {
			DATA(64*i+8*j, U64(v))
		}
	}
}

// writeSoftmaxConsts writes zsoftmaxconsts_test.go beside the kernels'
// constants file (package model): the softmax constants' bits.
func writeSoftmaxConsts(constsPath string) error {
	var rows []string
	for i, n := range smNames {
		rows = append(rows, fmt.Sprintf("{%q, %#016x},", n, smVals[i]))
	}
	return writeBitsTable(filepath.Join(filepath.Dir(constsPath), "zsoftmaxconsts_test.go"), "softmaxKernelConsts",
		"// softmaxKernelConsts are the constants of the softmax lanes' data section (_asm/softmax.go).\n", rows)
}

// softmaxFuncs emits the four softmax functions of isa s.
func softmaxFuncs(s isa) {
	for _, double := range []bool{false, true} {
		useWidth(true) // the exp pass is in float64 lanes either way
		(&smGen{gen: gen{isa: s, u: 1}, row64: double}).reduce()
		(&smGen{gen: gen{isa: s, u: 1}, row64: double}).scaleFunc()
	}
	useWidth(true)
	(&smGen{gen: gen{isa: s, u: 1}}).epiFunc()
}

// smGen emits one softmax function.
type smGen struct {
	gen
	row64 bool // the row is float64 (else float32)
	// AVX-512 (32 registers): loop invariants held in registers rather than
	// reloaded from memory in every step; nil on AVX2.
	loR reg.VecVirtual // the exp's clamp
}

func (g *smGen) bits() string {
	if g.row64 {
		return "64"
	}
	return "32"
}

// w64 is the number of float64 lanes of a vector.
func (g *smGen) w64() int { return g.w / 2 }

// rowSize is the row's element size in bytes.
func (g *smGen) rowSize() int {
	if g.row64 {
		return 8
	}
	return 4
}

// lanesMask returns the mask of the first rem lanes (rem < lanes, a GP
// register) of a vector of lanes of size bytes: a K register on AVX-512, a
// vector on AVX2 (of size-byte lanes).
func (g *smGen) lanesMask(rem reg.GPVirtual, lanes, size int) masks {
	if g.avx512() {
		k := K()
		ones, bits := GP32(), GP32()
		MOVL(U32(1<<lanes-1), ones)
		BZHIL(rem.As32(), ones, bits)
		KMOVW(bits, k)
		return masks{k: KS{k}}
	}
	nv, m := YMM(), YMM()
	vmovq(rem, nv)
	if size == 8 {
		VPBROADCASTQ(nv.AsX(), nv)
		VPCMPGTQ(c("iota"), nv, m) // c("iota") is "diota" (float64 width): lane j holds j
	} else {
		VPBROADCASTD(nv.AsX(), nv)
		useWidth(false)
		VPCMPGTD(c("iota"), nv, m)
		useWidth(true)
	}
	return masks{v: V{m}}
}

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

// exp returns 2^s·e^(h+dl) (dl nil: 0) and, if wantLo, its error terms, as
// smExp: h clamped at lim; e = p·2^(k+s) and elo = fma(e, dl, el + el2),
// s the constant called bias (ibias as an integer, for AVX2's scaling in
// halves; a float32 row's, without error terms, scales by one product).
// h is destroyed.
func (g *smGen) exp(h, dl V, lim, bias, ibias string, wantLo, narrow bool) (e, elo V) {
	switch {
	case narrow: // h above the clamp
	case g.loR != nil:
		g.each(VMAXP, h, g.loR, h) // Intel max(l, h): h where h is NaN
	default:
		l := g.newV()
		g.each(VMOVUP, smc(lim), l)
		g.each(VMAXP, h, l, h)
	}
	kf := g.newV()
	g.each(VMULP, c("log2e"), h, kf)
	var ki V
	if g.avx512() {
		g.each(VRNDSCALEP, U8(0), kf, kf)
	} else {
		ki = g.newV()
		g.each(VADDPD, c("magic"), kf, ki)
		g.each(VROUNDP, U8(0), kf, kf)
		if wantLo && !narrow { // a float32 or narrow row's takes dmagic's bits out with its bias
			g.each(VPSUBQ, c("magic"), ki, ki)
		}
	}
	r0, r := h, h
	if wantLo {
		g.each(VFNMADD231P, c("ln2hi"), kf, r0) // h - k·ln2hi, exact
		r = g.newV()
		g.each(VMOVAP, r0, r)
		g.each(VFNMADD231P, c("ln2lo"), kf, r)
	} else { // a float32 row's: by ln2 in one FMA (model.smLn2)
		g.each(VFNMADD231P, smc("ln2"), kf, r)
	}
	r2 := g.newV()
	g.each(VMULP, r, r, r2)
	cs := expCoeffs()
	if !wantLo { // a float32 row's: degree 7 (model's smQ32)
		cs = cs[6:]
	}
	pair := func(i int) V {
		v := g.load(cs[2*i])
		g.each(VFMADD213P, c(cs[2*i+1]), r, v)
		return v
	}
	q := pair(0) // Horner's scheme in r² on the pairs, as expPoly's longer ones
	for i := 1; i < len(cs)/2; i++ {
		g.each(VFMADD213P, pair(i), r2, q)
	}
	sv := r
	if wantLo {
		sv = g.newV()
		g.each(VMOVAP, r, sv)
	}
	g.each(VFMADD231P, r2, q, sv) // s = q·r2 + r
	p := sv
	if wantLo {
		p = g.newV()
	}
	g.each(VADDP, c("one"), sv, p)
	var plo, cr V
	if wantLo {
		rlo := r0
		g.each(VSUBP, r, r0, rlo)                // r0 - r, exact
		g.each(VFNMADD231P, c("ln2lo"), kf, rlo) // - k·ln2lo
		ds := r
		g.each(VSUBP, sv, r, ds) // r - s, exact
		g.each(VFMADD231P, r2, q, ds)
		t := r2
		g.each(VSUBP, c("one"), p, t) // p - 1
		plo = sv
		g.each(VSUBP, t, sv, plo) // s - (p - 1)
		cr = ds
		g.each(VFMADD231P, rlo, p, cr) // p·rlo + ds
	}
	if ki != nil && !wantLo {
		// a float32 row's: the clamp keeps 2^(k+64) normal (model.smLo32),
		// so one product scales, rounded as the model's two
		g.each(VPADDQ, smc("ebiasm32"), ki, ki)
		g.each(VPSLLQ, U8(52), ki, ki)
		g.each(VMULP, ki, p, p)
		return p, nil
	}
	vs := []V{p}
	if wantLo {
		vs = append(vs, plo, cr)
	}
	if ki != nil && narrow {
		// a narrow row's: 2^(k+512) is normal, so one product scales, rounded
		// as the two halves' second product (their first is exact)
		g.each(VPADDQ, smc("nbias64"), ki, ki)
		g.each(VPSLLQ, U8(52), ki, ki)
		for _, v := range vs {
			g.each(VMULP, ki, v, v)
		}
	} else {
		g.each(VADDP, smc(bias), kf, kf)
		if ki != nil {
			g.each(VPADDQ, smc(ibias), ki, ki)
		}
		g.fast = false
		g.scale(kf, ki, vs)
	}
	if !wantLo {
		return p, nil
	}
	g.each(VADDP, cr, plo, plo) // el + el2
	if dl != nil {
		g.each(VFMADD231P, dl, p, plo) // e·dl + (el + el2)
	}
	return p, plo
}

// reduce emits softmaxReduce<32|64><ISA>.
func (g *smGen) reduce() {
	b := g.bits()
	name := "softmaxReduce" + b + g.name
	ft := "float" + b
	ret := "(m float32, o, ec float64)"
	if g.row64 {
		ret = "(m, ohi, olo, echi, eclo float64)"
	}
	TEXT(name, NOSPLIT, "func(x []"+ft+", c int, store []"+ft+") "+ret)
	Pragma("noescape")
	Doc(name+" reduces one row: its maximum, the sum of its other classes' scaled exps and its label's",
		"(model.SoftmaxReduce"+b+" with "+fmt.Sprint(g.w64())+" lanes), storing the exps into store unless it is nil.")
	g.fname = name
	n, xp, sp := GP64(), GP64(), GP64()
	Load(Param("x").Len(), n)
	Load(Param("x").Base(), xp)
	Load(Param("store").Base(), sp)
	local := AllocLocal(4 * 64)
	mloc, nmloc, cloc, steploc := local.Offset(0), local.Offset(64), local.Offset(128), local.Offset(192)

	mx, mn := g.rowMax(xp, n, name)
	if g.row64 {
		storeX(mx, ReturnIndex(0))
	} else {
		m32 := XMM()
		VCVTSD2SS(mx, mx, m32)
		storeX(m32, ReturnIndex(0))
	}
	mv := g.vec()
	VBROADCASTSD(mx, mv)
	VMOVUPD(mv, mloc)
	nm := mv
	if g.avx512() {
		nm = g.vec()
	}
	VXORPD(c("sign"), mv, nm)
	VMOVUPD(nm, nmloc) // -m
	cg := GP64()
	Load(Param("c"), cg)
	cv, step, idx := g.vec(), g.vec(), g.vec()
	vmovq(cg, cv)
	VPBROADCASTQ(cv.AsX(), cv)
	VMOVUPD(cv, cloc)
	st := GP64()
	MOVQ(U32(g.w64()), st)
	vmovq(st, step)
	VPBROADCASTQ(step.AsX(), step)
	VMOVUPD(step, steploc)
	VMOVUPD(c("iota"), idx) // lane j holds j (64-bit)
	// the loop's invariants: in registers on AVX-512, on the stack on AVX2
	var mOp, nmOp, cOp, stepOp Op = mloc, nmloc, cloc, steploc
	if g.avx512() {
		mOp, nmOp, cOp, stepOp = mv, nm, cv, step
		g.loR = g.vec()
		if g.row64 {
			VMOVUPD(smc("lo64"), g.loR)
		} else {
			VMOVUPD(smc("lo32"), g.loR)
		}
	}

	hi, lo := g.vec(), g.vec()
	VXORPD(hi, hi, hi)
	VXORPD(lo, lo, lo)
	var hiC, loC reg.VecVirtual
	hiC = g.vec()
	VXORPD(hiC, hiC, hiC)
	if g.row64 {
		loC = g.vec()
		VXORPD(loC, loC, loC)
	}
	size := g.rowSize()
	j := GP64()
	XORQ(j, j)
	rem := GP64()

	// body computes the lanes at element j (valid: the tail's lanes, or nil).
	// A plain body is one for a whole vector without the label's lane in a
	// row whose maximum is finite: there x - m is 0 wherever x = m, and the
	// label's sum gains nothing, without a compare, so the plain body leaves
	// out the masks of the x = m lanes and of the label's lane, and gives the
	// bits the full body gives.
	//
	// A narrow body is a plain one in a float64 row whose maximum less its
	// minimum is at most narrow64 (so none of its logits is ±Inf): no d is
	// infinite, no clamp changes d and one product scales (exp's narrow).
	body := func(valid masks, label string, plain, narrow bool) {
		x := g.loadRow(Mem{Base: xp, Index: j, Scale: uint8(size)}, valid)
		d := g.vec()
		var dl reg.VecVirtual
		if g.row64 {
			// TwoSum(x, -m): d + dl = x - m exactly
			VADDPD(nmOp, x, d)
			bb, t := g.vec(), g.vec()
			VSUBPD(x, d, bb) // s - a
			VSUBPD(bb, d, t) // s - bb
			VSUBPD(t, x, t)  // a - (s - bb)
			dl = g.vec()
			VMOVUPD(nmOp, dl)
			VSUBPD(bb, dl, dl) // b - bb
			VADDPD(t, dl, dl)
		} else if !g.avx512() || plain {
			VSUBPD(mOp, x, d)
		}
		// d = 0 (and dl) where x = m, ±Inf included (a plain body's x - m is
		// 0 there already)
		switch {
		case plain:
		case g.avx512() && !g.row64:
			ne := K()
			VCMPPD(U8(4), mOp, x, ne) // x ≠ m, or x NaN: NEQ_UQ
			VSUBPD_Z(mOp, x, ne, d)
		case g.avx512():
			eq := K()
			VCMPPD(U8(0), mOp, x, eq)
			KNOTB(eq, eq)
			VMOVAPD_Z(d, eq, d)
			VMOVAPD_Z(dl, eq, dl)
		default:
			eq := g.vec()
			VCMPPD(U8(0), mOp, x, eq)
			VANDNPD(d, eq, d) // ~eq & d
			if g.row64 {
				VANDNPD(dl, eq, dl)
			}
		}
		// dl = 0 where d is not finite (no d of a narrow body is)
		switch {
		case !g.row64 || narrow:
		case g.avx512():
			t, nf := g.vec(), K()
			VSUBPD(d, d, t)
			VCMPPD(U8(3), t, t, nf) // unordered: d - d is NaN
			KNOTB(nf, nf)
			VMOVAPD_Z(dl, nf, dl)
		default:
			t := g.vec()
			VSUBPD(d, d, t)
			VCMPPD(U8(7), t, t, t) // ordered: d - d is not NaN
			VANDPD(t, dl, dl)
		}
		var e, elo V
		if g.row64 {
			e, elo = g.exp(V{d}, V{dl}, "lo64", "bias64", "ibias64", true, narrow)
		} else {
			e, _ = g.exp(V{d}, nil, "lo32", "bias32", "", false, false)
		}
		ev := e[0]
		// store
		skip := name + "_nostore" + label
		TESTQ(sp, sp)
		JZ(LabelRef(skip))
		sv := ev
		if g.row64 {
			sv = g.vec()
			VADDPD(elo[0], ev, sv) // with d's error in it, as the model stores it
		}
		g.storeRow(sv, Mem{Base: sp, Index: j, Scale: uint8(size)}, valid)
		Label(skip)
		if plain {
			if g.row64 {
				g.twoSumAcc(hi, lo, ev, elo[0])
			} else {
				VADDPD(ev, hi, hi)
			}
			return
		}
		// the label's lane apart, the others accumulated
		if g.avx512() {
			kl, ko := K(), K()
			VPCMPEQQ(cOp, idx, kl)
			if valid.k != nil {
				KANDNB(valid.k[0], kl, ko) // ~label & valid
			} else {
				KNOTB(kl, ko)
			}
			if g.row64 {
				em, elm := g.vec(), g.vec()
				VMOVAPD_Z(ev, ko, em)
				VMOVAPD_Z(elo[0], ko, elm)
				g.twoSumAcc(hi, lo, em, elm)
				VMOVAPD(ev, kl, hiC)
				VMOVAPD(elo[0], kl, loC)
			} else {
				VADDPD(ev, hi, ko, hi)
				VADDPD(ev, hiC, kl, hiC)
			}
		} else {
			lm := g.vec()
			VPCMPEQQ(cOp, idx, lm)
			em := g.vec()
			if valid.v != nil {
				vm := valid.v[0] // 64-bit lanes; a float32 row's mask widened
				if !g.row64 {
					vm = g.vec()
					VPMOVSXDQ(valid.v[0].AsX(), vm)
				}
				VANDPD(vm, ev, em)
				VANDNPD(em, lm, em) // ~label & (valid & e)
			} else {
				VANDNPD(ev, lm, em)
			}
			if g.row64 {
				elm := g.vec()
				if valid.v != nil {
					VANDPD(valid.v[0], elo[0], elm)
					VANDNPD(elm, lm, elm)
				} else {
					VANDNPD(elo[0], lm, elm)
				}
				g.twoSumAcc(hi, lo, em, elm)
				VBLENDVPD(lm, ev, hiC, hiC)
				VBLENDVPD(lm, elo[0], loC, loC)
			} else {
				VADDPD(em, hi, hi)
				ec := g.vec()
				VANDPD(lm, ev, ec)
				VADDPD(ec, hiC, hiC)
			}
		}
	}

	// a row whose maximum is ±Inf or NaN (every logit -Inf or NaN) takes the
	// full body throughout
	mb, inf := GP64(), GP64()
	VMOVQ(mx.AsX(), mb)
	SHLQ(U8(1), mb)
	MOVQ(U64(0xffe0000000000000), inf) // the exponent all ones: ±Inf or NaN
	CMPQ(mb, inf)
	JAE(LabelRef(name + "_safe"))
	if g.row64 {
		spread := XMM()
		VSUBSD(mn, mx, spread)
		VUCOMISD(smc("narrow64").Offset(0), spread)
		JA(LabelRef(name + "_wide"))
		g.labelLoop(name, "n", n, j, rem, cg, idx, body, true)
		Label(name + "_wide")
	}
	g.labelLoop(name, "", n, j, rem, cg, idx, body, false)
	Label(name + "_safe")
	g.rowLoop(name, n, j, rem, func(valid masks, part string) { body(valid, part, false, false) },
		func() { VPADDQ(stepOp, idx, idx) })
	Label(name + "_reduced")
	if g.row64 {
		oh, ol := g.hsumDD(hi, lo)
		storeX(oh, ReturnIndex(1))
		storeX(ol, ReturnIndex(2))
		ch, cl := g.hsumDD(hiC, loC)
		storeX(ch, ReturnIndex(3))
		storeX(cl, ReturnIndex(4))
	} else {
		storeX(g.hsum(hi), ReturnIndex(1))
		storeX(g.hsum(hiC), ReturnIndex(2))
	}
	VZEROUPPER()
	RET()
}

// labelLoop emits the reduction's loop for a row whose maximum is finite:
// plain bodies (see reduce; narrow ones if narrow) on the whole vectors
// before and after the one that holds the label's lane (cg), the full body
// on that one and on the tail, then a jump to name_reduced. part tells its
// labels from another instance's.
func (g *smGen) labelLoop(name, part string, n, j, rem, cg reg.GPVirtual, idx reg.VecVirtual, body func(valid masks, label string, plain, narrow bool), narrow bool) {
	W := g.w64()
	done := name + "_reduced"
	if part != "" {
		name += "_" + part
	}
	// idxAt sets idx to the class indices of the vector at j
	idxAt := func() {
		jv := g.vec()
		vmovq(j, jv)
		VPBROADCASTQ(jv.AsX(), jv)
		VPADDQ(c("iota"), jv, idx)
	}
	cs, last := GP64(), GP64()
	MOVQ(cg, cs)
	ANDQ(I32(int32(-W)), cs) // the label's vector
	MOVQ(n, last)
	SUBQ(U32(W), last)
	tail := name + "_labeltail"
	// plain emits plain steps at j while j ≤ last and, unless stop is nil, j < stop
	plain := func(step string, stop reg.GPVirtual) {
		top, check, out := name+"_"+step, name+"_"+step+"check", name+"_"+step+"out"
		JMP(LabelRef(check))
		Label(top)
		body(masks{}, part+step, true, narrow)
		ADDQ(U32(W), j)
		Label(check)
		if stop != nil {
			CMPQ(j, stop)
			JGE(LabelRef(out))
		}
		CMPQ(j, last)
		JLE(LabelRef(top))
		Label(out)
	}
	plain("before", cs)
	CMPQ(j, last)
	JG(LabelRef(tail))
	idxAt()
	body(masks{}, part+"C", false, false)
	ADDQ(U32(W), j)
	plain("after", nil)
	Label(tail)
	MOVQ(n, rem)
	SUBQ(j, rem)
	JZ(LabelRef(done))
	valid := g.tailMask(rem)
	idxAt()
	body(valid, part+"CT", false, false)
	JMP(LabelRef(done))
}

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
