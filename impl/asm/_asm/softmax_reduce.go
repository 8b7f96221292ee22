package main

// The softmax kernels' reduction: softmaxReduce<32|64><ISA> (softmax.go
// has their layout).

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

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
