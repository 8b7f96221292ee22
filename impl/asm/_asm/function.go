package main

// One assembly function: its loop, masked tails, the sum's block accumulation.

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

type op int

func (o op) name() string { return [...]string{"loss", "sum", "lossGrad"}[o] }

const (
	opLoss op = iota
	opSum
	opLossGrad
)

func (g *gen) function(o op) {
	var name, sig string
	lv := g.name
	// float32: γ as float32 hi+lo; float64: γ as given
	ft, params, sumRet := "float32", "a1, a0, a1lo, a0lo, gm, gmlo float32", "(sum float64, ok bool)"
	if f64 {
		lv = "64" + lv
		ft, params, sumRet = "float64", "a1, a0, a1lo, a0lo, gm float64", "(sum float64)"
	}
	switch o {
	case opLoss:
		name = "loss" + lv + modeNames[g.mode]
		sig = "func(dst, x, t []" + ft + ", " + params + ") (ok bool)"
	case opSum:
		name = "sum" + lv + modeNames[g.mode]
		sig = "func(x, t []" + ft + ", " + params + ") " + sumRet
	case opLossGrad:
		name = "lossGrad" + lv + modeNames[g.mode]
		sig = "func(loss, grad, x, t []" + ft + ", " + params + ") (ok bool)"
	}
	// AVX2's frame (8 + softSlots vectors: the parameters and the soft
	// body's slots) is more than a NOSPLIT function may take: its functions
	// check the stack
	flags := NOSPLIT
	if !g.avx512() {
		flags = 0
	}
	TEXT(name, flags, sig)
	Pragma("noescape")
	g.fname = name
	switch o {
	case opLoss:
		Doc(name+" writes the loss into dst; ok = false if a lane was left to float64 (its loss is NaN).",
			"len(dst) ≥ len(t) ≥ len(x).")
	case opSum:
		if f64 {
			Doc(name + " returns the sum of the loss (NaN if a lane was left to the scalar path).")
			break
		}
		Doc(name+" returns the sum of the loss, and ok = false if a float32 lane of the block sums overflowed",
			"while the losses were finite (the caller sums again, as it does if the sum is NaN).")
	case opLossGrad:
		Doc(name+" writes the loss and gradient; ok = false if a lane was left to float64 (its gradient is NaN).",
			"loss may be the same slice as grad (the loss is stored first).")
	}
	n, xp, tp := GP64(), GP64(), GP64()
	Load(Param("x").Len(), n)
	Load(Param("x").Base(), xp)
	Load(Param("t").Base(), tp)
	dp, gp := outputs(o)
	// AVX2 keeps the parameters on the stack, to leave the 16 YMM registers
	// to the two interleaved vectors.
	var local Mem
	if !g.avx512() {
		// 6 parameters, Sum's float64 accumulator, -2γ, the two-valued
		// body's slope, and the soft body's slots
		local = AllocLocal((paramSlots + softSlots) * 32)
		g.slots = nil
		for i := range softSlots {
			g.slots = append(g.slots, local.Offset(32*(paramSlots+i)))
		}
	}
	stack := func(i int) Mem { return local.Offset(32 * i) }
	// float64's LossGrad at γ = 2 on AVX-512 reads α's four values and γ
	// from the frame: the five registers go to its uniform step's closer
	// stagger (lagOf's Soft3). Elsewhere they stay in registers: reading
	// them so cost float64's hard Sum 2% (p = 0.008, stagger64-revs/).
	g.frameScalars = g.avx512() && f64 && o == opLossGrad && g.mode == mode2
	g.a1, g.a0 = g.scalar("a1", stack(0)), g.scalar("a0", stack(1))
	g.a1lo, g.a0lo = g.scalar("a1lo", stack(2)), g.scalar("a0lo", stack(3))
	if !g.avx512() {
		g.alphaTables()
	}
	g.gammaParams(o, stack)
	if o == opLossGrad && g.mode != mode0 && g.mode != mode2 {
		g.minusTwoGamma(stack(7))
	}
	if g.mode == mode2 {
		if g.avx512() {
			// the slope waits in memory: AVX-512's float64 LossGrad
			// needs every register
			slope := AllocLocal(2 * 64)
			g.twoSlope(slope.Offset(0), slope.Offset(64))
		} else {
			g.twoSlope(stack(8), stack(9))
		}
		g.uniSetup()
	}
	g.u = 1
	g.flagged = o != opSum && (o == opLossGrad || g.mode != mode0)
	if g.flagged {
		g.clearFlags()
	}
	var cnt reg.GPVirtual
	if o == opSum {
		cnt = g.clearSum(stack(6))
	}
	W, es, full := g.lanes(), esize(), g.fullMask()
	loopU, loop1, tail, done := name+"_loopU", name+"_loop1", name+"_tail", name+"_done"

	// step processes g.u whole vectors and advances the pointers: with test,
	// it tests whether every lane is hard and jumps to the soft step (the
	// general form, soft.go) if not; with fast (AVX2), a lane whose exp
	// cannot be scaled by an exponent add sends the step to its slow twin.
	var step func(next, prefix string, soft, fast, test bool)
	step = func(next, prefix string, soft, fast, test bool) {
		g.fast = fast && !g.avx512()
		if g.fast {
			g.okGP = GP32()
			MOVL(U32(full), g.okGP)
		}
		uniform := soft && g.uniform() && !g.lanesOnly
		// no misses left: straight to the lanes' step, past uniLanes'
		// learn, which reads the test's masks
		none, miss := prefix+"_lanes_body", prefix+"_lanes"
		if g.uniMiss != "" {
			none, miss = g.uniMiss, g.uniMiss+"_miss"
		}
		if uniform {
			g.uniLeftTest(none)
		}
		x, t := g.newV(), g.newV()
		g.loadStep(x, t, xp, tp)
		var hard []Op // each vector's hard lanes, where the step tests them
		var loss, grad V
		var flag masks
		var match KS // a uniform step's matched lanes (uniform.go)
		// A uniform step that matched goes on to the next at its own entry
		// (uniStick), past the main loop's hard test: AVX-512's of three
		// (the route's, uniUnroll), AVX2's of two (not its slow twin's).
		stick := uniform && g.uniMiss != "" && g.u == uniUnroll
		if !g.avx512() {
			stick = uniform && g.fast && g.u == softUnroll2
		}
		if uniform {
			g.uniPos, match = g.uniTest(t, miss, g.uniMiss == "", masks{})
			if stick {
				Label(prefix + "_body")
			}
			g.sides, g.xm = g.uniSides, g.stepMem(xp)
		}
		if soft {
			g.nextSlot = 0
			g.xs, g.ts = slot{v: x}, slot{v: t}
			if !g.avx512() { // read again from the input where needed
				g.xs, g.ts = slot{m: g.stepMem(xp)}, slot{m: g.stepMem(tp)}
			}
			g.staggered(g.softLag(), func() { loss, grad, flag = g.softStep(x, t, o) })
			g.sides, g.xm = nil, nil
		} else {
			if test {
				hard = g.hardTest(t, prefix+"_soft")
			}
			g.staggered(g.lag(false), func() { loss, grad = g.body(x, t, o == opLossGrad) })
		}
		slow := prefix + "_slow"
		if g.fast {
			CMPL(g.okGP, U8(full))
			JNE(LabelRef(slow))
		}
		g.addFlags(flag)
		g.storeStep(o, prefix, loss, grad, dp, gp, cnt)
		bytes := U32(es * W * g.u)
		ADDQ(bytes, xp)
		ADDQ(bytes, tp)
		if dp != nil {
			ADDQ(bytes, dp)
		}
		if gp != nil {
			ADDQ(bytes, gp)
		}
		SUBQ(U32(W*g.u), n)
		if stick {
			g.uniStick(prefix, next, loop1, n, x, t, xp, tp)
		} else {
			JMP(LabelRef(next))
		}
		g.uniPos = masks{}
		slowTwin := g.fast // the lanes' step below sets g.fast for itself
		if uniform && g.uniMiss == "" {
			g.uniLanes(prefix+"_lanes", match, tp, func() {
				g.lanesOnly = true
				step(next, prefix+"_lanes", soft, fast, false)
				g.lanesOnly = false
			})
		}
		if slowTwin {
			// a uniform step's slow twin is its lanes' step: the same
			// bits, and no second test and learn in the code
			Label(slow)
			lanesOnly := g.lanesOnly
			g.lanesOnly = lanesOnly || uniform
			step(next, slow, soft, false, false)
			g.lanesOnly = lanesOnly
		}
		if test {
			// The soft step, of as many vectors as the soft body takes
			// (softUnroll), then back to the test.
			Label(prefix + "_soft")
			u := g.u
			if u == 3 {
				// A vector of the three has a soft lane. Where the first
				// is all hard it goes through the hard body, with the
				// second if that is all hard too (_lead), and the step
				// goes back to the test at the first vector with a soft
				// lane; so IoU-style targets, soft in few vectors, send
				// few hard ones through the soft body. Where the first is
				// soft, the first two take the two-vector routing below.
				if g.uniform() { // a uniform step of three first (uniUnroll)
					g.uniMiss = prefix + "_route"
					step(next, prefix+"_soft3", true, true, false)
					g.uniMiss = ""
					Label(prefix + "_route_miss")
					DECL(g.uniLeft)
					Label(prefix + "_route")
				}
				g.allHard(hard[0], prefix+"_lead")
			}
			g.u = min(g.u, g.softUnroll())
			if g.u == 2 && (!g.avx512() || o == opLossGrad) {
				// Where one vector of the two is all hard (soft targets
				// are few, as IoU scores are), only the first goes
				// through a body, its own, and the second goes back to
				// the test with the vector after it: two vectors through
				// the soft body cost more than one through each body.
				// So on AVX2, whose soft body spills, and in AVX-512's
				// LossGrad, whose soft body is nearly twice the hard one;
				// AVX-512's Sum and Loss soft bodies are short enough
				// that the tests cost what they save (measured: no
				// faster on IoU targets). The bits are the same either
				// way: each vector gets its body's operations. Where
				// both vectors have a soft lane (every step, with label
				// smoothing) the two-vector step follows the tests
				// without a jump (and count.go counts the tests with it).
				if u == 2 { // with three, the first is soft (above)
					g.allHard(hard[0], prefix+"_hard1")
				}
				g.allHard(hard[1], prefix+"_soft1")
				step(next, prefix+"_soft2", true, true, false)
				g.u = 1
				if u == 2 {
					Label(prefix + "_hard1")
					step(next, prefix+"_hard1", false, true, false)
				}
				Label(prefix + "_soft1")
				step(next, prefix+"_soft1", true, true, false)
			} else {
				step(next, prefix+"_soft", true, true, false)
			}
			if u == 3 {
				Label(prefix + "_lead")
				g.allHard(hard[1], prefix+"_lead2")
				g.u = 1
				step(next, prefix+"_lead1", false, true, false)
				Label(prefix + "_lead2")
				g.u = 2
				step(next, prefix+"_lead2", false, true, false)
			}
			g.u = u
		}
	}

	Label(loopU)
	CMPQ(n, U32(W*g.unroll()))
	JB(LabelRef(loop1))
	g.u = g.unroll()
	step(loopU, loopU, false, true, true)
	g.u = 1

	Label(loop1)
	CMPQ(n, U32(W))
	JB(LabelRef(tail))
	step(loop1, loop1, false, true, true)

	Label(tail)
	g.fast = false
	TESTQ(n, n)
	JZ(LabelRef(done))
	for _, soft := range []bool{false, true} {
		if soft {
			Label(tail + "_soft")
		}
		valid := g.tailMask(n)
		x, t := g.maskedLoad(Mem{Base: xp}, valid), g.maskedLoad(Mem{Base: tp}, valid)
		// Lanes past the end load as x = 0, t = 0: a hard target, never
		// flagged, and their results are never stored or summed.
		var loss, grad V
		var flag masks
		if soft {
			g.nextSlot = 0
			g.xs, g.ts = g.spill(x), g.spill(t)
			if g.avx512() {
				g.xs, g.ts = slot{v: x}, slot{v: t}
			}
			sv := g.spill(valid.v) // AVX2: the store mask waits on the stack
			loss, grad, flag = g.softStep(x, t, o)
			if !g.avx512() {
				valid.v = g.reload(sv)
			}
		} else {
			g.hardTest(t, tail+"_soft")
			loss, grad = g.body(x, t, o == opLossGrad)
		}
		g.addFlags(flag)
		g.storeTail(o, loss, grad, valid, dp, gp)
		if !soft {
			JMP(LabelRef(done))
		}
	}

	Label(done)
	g.finish(o)
	VZEROUPPER()
	RET()
}

// finish ends a function: Sum's horizontal sum of acc64 and its ok, or the
// lanes' flags as ok.
func (g *gen) finish(o op) {
	if o == opSum {
		if f64 {
			g.flush64()
			if g.avx512() {
				VADDPD(g.acc64, g.acc, g.acc)
			} else {
				VADDPD(g.acc64mem, g.acc, g.acc)
			}
			g.acc64 = g.acc
		} else {
			g.flush()
		}
		// horizontal sum of acc64
		var lo reg.VecVirtual
		if g.avx512() {
			hi := YMM()
			VEXTRACTF64X4(U8(1), g.acc64, hi)
			lo = YMM()
			VADDPD(hi, g.acc64.AsY(), lo)
		} else if f64 {
			lo = g.acc
		} else {
			lo = YMM()
			VMOVUPD(g.acc64mem, lo)
		}
		hx := XMM()
		VEXTRACTF128(U8(1), lo, hx)
		sx := XMM()
		VADDPD(hx, lo.AsX(), sx)
		hy := XMM()
		VPERMILPD(U8(1), sx, hy)
		VADDSD(hy, sx, sx)
		storeX(sx, ReturnIndex(0))
	}
	switch {
	case o == opSum && f64:
	case o == opSum:
		ok := GP8()
		TESTL(g.ovf, g.ovf)
		SETEQ(ok)
		Store(ok, ReturnIndex(1))
	case g.flagged:
		r := GP8()
		if g.avx512() {
			KORTESTW(g.flagK, g.flagK)
			SETEQ(r) // ZF: no flag set
		} else {
			TESTL(g.flagGP, g.flagGP)
			SETEQ(r)
		}
		Store(r, ReturnIndex(0))
	default:
		r := GP8()
		MOVB(U8(1), r)
		Store(r, ReturnIndex(0))
	}
}

// softSlots is the number of stack slots of the AVX2 soft body (see spill):
// its two vectors' spills.
const softSlots = 28

// blockVecs vectors are summed in the element's lanes before the lanes are
// added to the float64 accumulator (flush): float32's widened, float64's by
// TwoSum. The flush follows the step that reaches blockVecs, so a block
// holds up to unroll-1 vectors more (10 with AVX-512's three).
const blockVecs = 8

// outputs loads the output slices' pointers: dst for Loss, loss and grad
// for LossGrad (Sum has none).
func outputs(o op) (dp, gp reg.GPVirtual) {
	switch o {
	case opLoss:
		dp = GP64()
		Load(Param("dst").Base(), dp)
	case opLossGrad:
		dp, gp = GP64(), GP64()
		Load(Param("loss").Base(), dp)
		Load(Param("grad").Base(), gp)
	}
	return dp, gp
}

// stepMem returns the memory of a step's g.u vectors from p on.
func (g *gen) stepMem(p reg.GPVirtual) MS {
	m := make(MS, g.u)
	for i := range m {
		m[i] = Mem{Base: p, Disp: esize() * g.lanes() * i}
	}
	return m
}

// loadStep loads a step's vectors of x and t from xp and tp, a vector of
// each in turn.
func (g *gen) loadStep(x, t V, xp, tp reg.GPVirtual) {
	xm, tm := g.stepMem(xp), g.stepMem(tp)
	for i := range g.u {
		VMOVUP(xm[i], x[i])
		VMOVUP(tm[i], t[i])
	}
}

// param broadcasts the scalar parameter name into a register; AVX2 keeps
// it in stack slot instead, to leave the 16 YMM registers to the body.
func (g *gen) param(name string, slot Mem) Op {
	v := g.vec()
	VBROADCASTS(paramAddr(name), v)
	if g.avx512() {
		return v
	}
	VMOVUP(v, slot)
	return slot
}

// scalar returns where the bodies read the scalar parameter name: where
// g.frameScalars is set, a copy in the frame, one element, which they read
// by embedded broadcast (bcst.go), so that it does not hold one of the 32
// registers for the whole function; elsewhere what param returns. (The
// copy, not the argument: go vet takes an FMA's broadcast operand for a
// wider read.)
func (g *gen) scalar(name string, slot Mem) Op {
	if !g.frameScalars {
		return g.param(name, slot)
	}
	x, m := XMM(), AllocLocal(8)
	if f64 {
		VMOVSD(paramAddr(name), x)
		VMOVSD(x, m)
	} else {
		VMOVSS(paramAddr(name), x)
		VMOVSS(x, m)
	}
	g.scalars = append(g.scalars, m)
	return m
}

// gammaParams loads γ where the bodies read it (a general γ's power, and
// the gradient's γ-term; γ = 1 and 2 are constants of the loss) and float32's
// general γ's low part, in slots 4 and 5 on AVX2.
func (g *gen) gammaParams(o op, slot func(int) Mem) {
	if g.mode == modeGen || o == opLossGrad && g.mode != mode0 {
		g.g = g.scalar("gm", slot(4))
	}
	if g.mode == modeGen && !f64 {
		g.glo = g.scalar("gmlo", slot(5))
	}
}

// minusTwoGamma sets g2 to -2γ (exact), for the soft body's
// γ(1-2t) = fma(t, -2γ, γ); AVX2 keeps it in slot.
func (g *gen) minusTwoGamma(slot Mem) {
	g2 := g.vec()
	VBROADCASTS(paramAddr("gm"), g2)
	VMULP(c("mtwo"), g2, g2)
	g.g2 = g2
	if !g.avx512() {
		VMOVUP(g2, slot)
		g.g2 = slot
	}
}

// clearFlags clears the flagged lanes' mask (AVX512) or bits (AVX2).
func (g *gen) clearFlags() {
	if g.avx512() {
		g.flagK = K()
		KXORW(g.flagK, g.flagK, g.flagK)
	} else {
		g.flagGP = GP32()
		XORL(g.flagGP, g.flagGP)
	}
}
