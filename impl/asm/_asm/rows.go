package main

// The sigmoid rows form's kernels: N rows of C logits with a label per row
// (impl/internal/model's rows.go is their model). They stream the N·C
// logits as the flat kernels do, in whole vectors whatever C is, and make
// each lane's target, class α and weight from the labels and per-call
// tables inside the kernel; the hard body (body.go), or under label
// smoothing the two-valued body at γ = 2 (two.go) and the general body at
// other γ (soft.go), computes the element, and the weight multiplies the
// results. Under smoothing at γ = 2 the tables hold α_t for T1 and T0
// (impl/internal/rows's TwoAlpha) where they hold α's pairs otherwise.
//
// Per vector of W lanes starting at row n0, class c0 (the element n0·C+c0):
// lane i is element (n0 + ro[c0+i], cls[c0+i]), where the tables (filled by
// the Go side for k < C + W) hold ro[k] = k / C and cls[k] = k mod C. So
//
//	lab  = permute(labels[n0 : n0+W], ro[c0:])    each lane's row label (VPERMD)
//	pos  = lab == cls[c0:]                        the lane's class is its row's label
//	ign  = lab < 0                                an ignored row
//	t    = pos ? t1 : t0                          1 and 0, or smoothing's 1-ε/2 and ε/2
//	α_t  from a1[c0:], a0[c0:], a1lo[c0:], a0lo[c0:] (class α as float32 hi+lo pairs, as
//	                                              Params32's; the bodies read them from memory)
//	w    = 1, permute(weight[n0 : n0+W], ro[c0:]) (per row) or weight[j:] (per element)
//	loss = loss·w, grad = grad·w; 0 where ign or w = 0
//
// and (n0, c0) advances by W = q·C + r: c0 += r, n0 += q, and one row more
// where c0 passes C. A step whose lanes are all ignored stores zeros (adds
// nothing) without computing its body. A step with no lane on its row's
// label (pos empty: a row has one label lane, a background row none, so at
// C = 80 most steps of a labelled row, four in five of AVX2's float32 steps
// of 16 lanes, and every step of a background one) takes the body with t = t0 in every lane (noLabel): z = x,
// α from a0, T0's side values formed once per call, no gradient sign; the
// same bits with fewer operations. The hard kernels take it at both levels
// (3-13% faster on the Intel Xeon in results/, nolabel-hard-revs), the
// smoothed ones at γ = 2 too (AVX2's 8-14% faster, nolabel2-revs; AVX-512's
// float64 6-10%, nolabel512-revs), of AVX-512's float32 LossGradRows alone:
// the body of its three vectors fits 32 registers so only at staggers of 50
// and up (noLabelLag512), where LossGradRows ran 1.2-2.6% faster, LossRows
// 2.6-3.3% slower and SumRows as fast (two runs). No target is stored anywhere: the
// tables are C + W entries, and the labels' loads read W labels from n0
// (8 for float64 on AVX2), which the Go side keeps within the slice: it
// keeps rowsMaxW labels readable past every row the kernel starts a vector
// in, running the last rows on a padded copy of their labels.

import (
	"strings"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The tables' layout, shared with the Go side (writeRowsGo): rowsStride
// entries each (the largest C the Go side passes in one call plus the
// widest vector's lanes): a1, a0, a1lo, a0lo (of the element type), cls, ro
// (32-bit integers), ro2 (pairs 2·ro, 2·ro+1: float64 weights' permutation
// as 32-bit lanes; float32 kernels do not read it).
const (
	rowsCap    = 1024
	rowsMaxW   = 16
	rowsStride = rowsCap + rowsMaxW
)

// The dims the Go side passes (a *int to 6 words), copied to the stack.
const (
	dimC = iota
	dimQ
	dimR
	dimQU
	dimRU
	dimWMode
	nDims
)

// rowsSoftSlots is the number of stack slots the AVX2 general body of a
// rows kernel spills to (t, x in the tail, and the body's own, for each
// of its two vectors).
const rowsSoftSlots = 30

// Weight modes (dims[dimWMode]).
const (
	wNone = iota
	wRow
	wElem
)

// tabOff returns the byte offset of table k (0-3: a1, a0, a1lo, a0lo; 4: cls; 5: ro; 6: ro2).
func tabOff(k int) int {
	if k < 4 {
		return k * rowsStride * esize()
	}
	return 4*rowsStride*esize() + (k-4)*rowsStride*4
}

// rowsModes are the γ modes the rows kernels specialise: γ = 2 (RetinaNet's)
// and the general one, which serves every other γ (γ = 0 with the bits of
// mode 0: impl/internal/model's RowsMode).
var rowsModes = []int{mode2, modeGen}

// rowsName is the kernel's name: rows<Op><64?><ISA><Mode><Smooth?>.
func rowsName(o op, lv string, mode int, smooth bool) string {
	n := "rows" + [...]string{"Loss", "Sum", "LossGrad"}[o] + lv + modeNames[mode]
	if smooth {
		n += "Smooth"
	}
	return n
}

// rowsUnrollOf is a rows kernel's vectors a step: the flat form's hard
// step's (unrollOf), but for a smoothed one the soft body's (softUnroll),
// or at γ = 2 with AVX-512 in float32 the flat uniform step's (uniUnroll):
// the two-valued body that selects its side values fits three vectors
// there (5-8% faster than two on the Intel Xeon in results/), and in
// float64 does not (33 registers at the flat step's stagger).
func rowsUnrollOf(avx512, double bool, mode int, smooth bool) int {
	u := unrollOf(avx512, double, mode)
	switch {
	case !smooth:
		return u
	case avx512 && mode == mode2 && !double:
		return min(u, uniUnroll)
	case avx512:
		return min(u, softUnroll512)
	}
	return min(u, softUnroll2)
}

// rowsState is what one rows function keeps besides gen's.
type rowsState struct {
	tab    reg.GPVirtual // the tables
	local  Mem           // the stack frame: dims, the weights' offset from x, AVX2's slots
	nr, cr []reg.GPVirtual
	smooth bool
	two    bool // smooth at γ = 2: the two-valued body (two.go)
	t1, t0 Op   // smoothing's targets (registers on AVX-512, stack on AVX2)
}

func (g *gen) dim(rs *rowsState, k int) Mem { return rs.local.Offset(8 * k) }

// wDelta is the stack slot of the per-element weights' offset from x.
func (g *gen) wDelta(rs *rowsState) Mem { return rs.local.Offset(8 * nDims) }

func (g *gen) rowsFunction(o op, smooth bool) {
	lv := g.name
	ft, tail := "float32", "t1, t0, gm, gmlo float32"
	sumRet := "(sum float64, ok bool)"
	if f64 {
		lv = "64" + lv
		ft, tail, sumRet = "float64", "t1, t0, gm float64", "(sum float64)"
	}
	name := rowsName(o, lv, g.mode, smooth)
	common := "x []" + ft + ", labels []int32, w []" + ft + ", tab *" + ft + ", dims *int, " + tail
	var sig string
	switch o {
	case opLoss:
		sig = "func(dst []" + ft + ", " + common + ") (ok bool)"
	case opSum:
		sig = "func(" + common + ") " + sumRet
	case opLossGrad:
		sig = "func(loss, grad []" + ft + ", " + common + ") (ok bool)"
	}
	// AVX2's smoothed frame (the soft body's slots for two vectors) is more
	// than a NOSPLIT function may take: those functions check the stack
	flags := NOSPLIT
	if !g.avx512() && smooth {
		flags = 0
	}
	TEXT(name, flags, sig)
	Pragma("noescape")
	g.fname = name
	g.tune = [...]string{"loss", "sum", "lossGrad"}[o] + lv + modeNames[g.mode]
	Doc(name+" is the rows form's "+[...]string{"Loss", "Sum", "LossGrad"}[o]+" (see rows.go in impl/asm/_asm): x holds whole rows,",
		"labels at least W more than x's rows reach into, tab the class tables, dims C, q, r, qu, ru and the weight mode.")

	rs := &rowsState{smooth: smooth, two: smooth && g.mode == mode2}
	// the stack: dims, the weights' offset, and on AVX2 vector slots
	// (0 t1, 1 t0, 2-3 the labels, 4-5 γ, 6 Sum's accumulator or LossGrad's
	// -2γ, 7 the tail's mask, and from 8 the general body's spills)
	nSlots, validSlot := 0, 7
	if !g.avx512() {
		nSlots = 8
		if smooth {
			nSlots += rowsSoftSlots + 4 // and T0's side values (sideZeros)
		}
	}
	rs.local = AllocLocal(8*(nDims+1) + 32*nSlots)
	vslot := func(i int) Mem { return rs.local.Offset(8*(nDims+1) + 32*i) }
	dp := GP64()
	Load(Param("dims"), dp)
	for k := 0; k < nDims; k++ {
		t := GP64()
		MOVQ(Mem{Base: dp, Disp: 8 * k}, t)
		MOVQ(t, g.dim(rs, k))
	}
	n, xp := GP64(), GP64()
	Load(Param("x").Len(), n)
	Load(Param("x").Base(), xp)
	{
		wd := GP64()
		Load(Param("w").Base(), wd)
		SUBQ(xp, wd)
		MOVQ(wd, g.wDelta(rs))
	}
	rs.tab = GP64()
	Load(Param("tab"), rs.tab)
	op1, op2 := outputs(o)
	g.slots = nil
	if !g.avx512() && smooth {
		for i := range rowsSoftSlots {
			g.slots = append(g.slots, vslot(8+i))
		}
	}
	g.gammaParams(o, vslot)
	if smooth {
		rs.t1, rs.t0 = g.param("t1", vslot(0)), g.param("t0", vslot(1))
	}
	g.sides, g.side0 = nil, nil
	if rs.two {
		g.twoSides(rs.t1, rs.t0)
	}
	if rs.two && !g.avx512() {
		var slots []Mem
		for i := range 4 {
			slots = append(slots, vslot(8+rowsSoftSlots+i))
		}
		g.sideZeros(rs.t0, slots)
	}
	if smooth && !rs.two && o == opLossGrad && g.mode != mode0 {
		// on AVX2 in slot 6, Sum's (LossGrad has no accumulator)
		g.minusTwoGamma(vslot(6))
	}
	g.flagged = o != opSum && (o == opLossGrad || g.mode != mode0) && smooth && !rs.two
	if g.flagged {
		g.clearFlags()
	}
	var cnt reg.GPVirtual
	if o == opSum {
		cnt = g.clearSum(vslot(6))
	}
	n0, c0 := GP64(), GP64()
	XORQ(n0, n0)
	XORQ(c0, c0)

	W, es := g.lanes(), esize()
	loopU, loop1, tailL, done := name+"_loopU", name+"_loop1", name+"_tail", name+"_done"
	unroll := rowsUnrollOf(g.avx512(), f64, g.mode, smooth)
	labSlots := func(u int) []Mem {
		var ms []Mem
		for i := 0; i < u; i++ {
			ms = append(ms, vslot(2+i))
		}
		return ms
	}

	// position sets rs.nr, rs.cr to each vector's row and class: vector 0
	// at (n0, c0), each next one W further.
	position := func() {
		rs.nr, rs.cr = []reg.GPVirtual{n0}, []reg.GPVirtual{c0}
		for i := 1; i < g.u; i++ {
			ni, ci := GP64(), GP64()
			MOVQ(rs.nr[i-1], ni)
			MOVQ(rs.cr[i-1], ci)
			g.advance(rs, ni, ci, dimQ, dimR)
			rs.nr, rs.cr = append(rs.nr, ni), append(rs.cr, ci)
		}
	}

	// step processes g.u whole vectors (or, with valid, the tail's one) and
	// advances the pointers.
	var step func(next, prefix string, fast bool)
	step = func(next, prefix string, fast bool) {
		g.fast = fast && !g.avx512()
		if g.fast {
			g.okGP = GP32()
			MOVL(U32(g.fullMask()), g.okGP)
		}
		position()
		lab := g.rowLabels(rs, labSlots(g.u))
		skip, slow, adv := prefix+"_skip", prefix+"_slow", prefix+"_adv"
		g.allIgnored(lab, skip)
		// body emits the step's body, weights and stores under label
		// prefix pfx; with noLabel, for a step with no lane on its row's
		// label (a row's label is in one vector of C/W or so), whose
		// every lane is on T0's side: the two-valued body without z's
		// flip, the side's selects or the gradient's sign
		body := func(pfx string, noLabel bool) {
			var t V
			if !noLabel {
				t = g.rowTargets(rs, lab)
			}
			x := g.newV()
			g.each(VMOVUP, g.stepMem(xp), x)
			g.noLabel = noLabel
			loss, grad, flag := g.rowBody(rs, o, x, t, xp, false)
			g.noLabel = false
			if g.fast {
				CMPL(g.okGP, U8(g.fullMask()))
				JNE(LabelRef(slow))
			}
			keep := g.rowWeights(rs, pfx, o, loss, grad, lab, xp, masks{})
			g.addRowFlags(flag, keep)
			g.storeStep(o, pfx, loss, grad, op1, op2, cnt)
		}
		if !rs.smooth || rs.two && (!g.avx512() || f64 || o == opLossGrad) {
			labeled := prefix + "_labeled"
			g.anyLabeled(rs, lab, labeled)
			body(prefix+"_nolabel", true)
			JMP(LabelRef(adv))
			Label(labeled)
		}
		body(prefix, false)
		Label(adv)
		bytes := U32(es * W * g.u)
		ADDQ(bytes, xp)
		if op1 != nil {
			ADDQ(bytes, op1)
		}
		if op2 != nil {
			ADDQ(bytes, op2)
		}
		if g.u == 1 {
			g.advance(rs, n0, c0, dimQ, dimR)
		} else {
			g.advance(rs, n0, c0, dimQU, dimRU)
		}
		SUBQ(U32(W*g.u), n)
		JMP(LabelRef(next))
		// every lane ignored: zeros out, nothing summed
		Label(skip)
		if o != opSum {
			z := g.vec()
			VXORPS(z, z, z)
			for i := 0; i < g.u; i++ {
				VMOVUP(z, Mem{Base: op1, Disp: es * W * i})
				if op2 != nil {
					VMOVUP(z, Mem{Base: op2, Disp: es * W * i})
				}
			}
		}
		JMP(LabelRef(adv))
		if g.fast {
			Label(slow)
			step(next, slow, false)
		}
	}

	if unroll > 1 {
		Label(loopU)
		CMPQ(n, U32(W*unroll))
		JB(LabelRef(loop1))
		g.u = unroll
		step(loopU, loopU, true)
	}
	Label(loop1)
	g.u = 1
	CMPQ(n, U32(W))
	JB(LabelRef(tailL))
	step(loop1, loop1, true)

	// the tail: one vector of n < W lanes, x loaded masked (lanes past the
	// end as 0, their results neither stored nor summed)
	Label(tailL)
	g.fast = false
	TESTQ(n, n)
	JZ(LabelRef(done))
	valid := g.tailMask(n)
	x := g.maskedLoad(Mem{Base: xp}, valid)
	position()
	lab := g.rowLabels(rs, labSlots(1))
	t := g.rowTargets(rs, lab)
	var sv slot
	if !g.avx512() {
		sv = slot{m: MS{vslot(validSlot)}}
		VMOVUP(valid.v[0], vslot(validSlot))
	}
	loss, grad, flag := g.rowBody(rs, o, x, t, xp, true)
	if !g.avx512() {
		valid.v = g.reload(sv)
	}
	keep := g.rowWeights(rs, tailL, o, loss, grad, lab, xp, valid)
	g.addRowFlags(flag, keep)
	g.storeTail(o, loss, grad, valid, op1, op2)

	Label(done)
	g.finish(o)
	VZEROUPPER()
	RET()
	g.tune, g.sides, g.side0 = "", nil, nil
}

// rowsFunctions emits every rows kernel of the current width.
func rowsFunctions(only string) {
	width := ""
	if f64 {
		width = "64"
	}
	for _, s := range []isa{{"AVX2", 8}, {"AVX512", 16}} {
		for _, mode := range rowsModes {
			for _, smooth := range []bool{false, true} {
				for _, o := range []op{opLoss, opSum, opLossGrad} {
					if only != "" && !strings.Contains(rowsName(o, width+s.name, mode, smooth), only) {
						continue
					}
					g := &gen{isa: s, mode: mode}
					g.rowsFunction(o, smooth)
				}
			}
		}
	}
}

// sliceBase is the address of the slice parameter name's base pointer.
func sliceBase(name string) Mem {
	b, err := Param(name).Base().Resolve()
	if err != nil {
		panic(err)
	}
	return b.Addr
}
