package neon

// The sigmoid rows form's kernels (see rows.go in impl/asm/_asm for the
// form and the amd64 kernels; impl/internal/rows for the Go side that fills
// the tables and pads the last rows): N rows of C logits with one label per
// row, streamed in whole vectors whatever C is. A vector starting at row
// n0, class c0 holds in lane i the element (n0 + ro[c0+i], cls[c0+i]), so
//
//	idx  = 4·ro[c0:] + (0,1,2,3) per 32-bit lane    byte indices (MLA)
//	lab  = TBL(labels[n0 : n0+4], idx)              each lane's row label
//	pos  = lab == cls[c0:]                          the lane's class is its row's label
//	ign  = lab < 0                                  an ignored row
//	t    = pos ? t1 : t0                            1 and 0 without smoothing
//	α_t  = fma(t, a1[c0:], (1-t)·a0[c0:]), its low part likewise from a1lo, a0lo
//	w    = 1, TBL(weight[n0:], idx) (per row; float64 by ro2) or weight[j:] (per element)
//	loss = loss·w, grad = grad·w; 0 where ign or w = 0
//
// float64 vectors take lanes 0-1 of the 32-bit gathers, sign-extended to
// 64 bits (SXTL). (n0, c0) advances by W = q·C + r lanes: c0 += r, n0 += q,
// and one row more where c0 passes C. The bodies are the flat kernels'
// (hard.go, soft.go: the soft one for every vector of a smoothed call, as
// on amd64) and, for a smoothed call at γ = 2, the two-valued one (two.go),
// with α_t made before them (the two-valued body's chosen from the tables'
// T1 and T0 values). Each weight mode has its own loops
// (chosen once per call); a step whose lanes are all ignored branches to
// storing zeros (adding nothing) without its body. The labels' and per-row weights' loads read 16
// bytes from row n0 on: the Go side keeps MaxW of them readable past every
// row a vector starts in (impl/internal/rows's Pad); x, the per-element
// weights and the outputs of the tail are read and written lane by lane.

import "fmt"

// The tables' layout, impl/internal/rows's Tab (a test compares): rowsStride
// entries each of a1, a0, a1lo, a0lo (the element type), cls, ro (int32),
// ro2 (int32 pairs 2·ro, 2·ro+1).
const (
	rowsCap    = 1024
	rowsMaxW   = 16
	rowsStride = rowsCap + rowsMaxW
)

// tabOff returns the byte offset of table k (0-3: a1, a0, a1lo, a0lo; 4:
// cls; 5: ro; 6: ro2) for element shape s.
func tabOff(s shape, k int) int {
	if k < 4 {
		return k * rowsStride * s.bytes()
	}
	return 4*rowsStride*s.bytes() + (k-4)*rowsStride*4
}

// The rows kernels' general-purpose registers, besides func.go's regX, regN,
// regD, regG, regConsts, regTmp, regCnt, regLx and regLt.
const (
	regLab, regTab       = "R1", "R7"
	regN0, regC0         = "R9", "R12" // vector 0's row and class
	regN1, regC1         = "R19", "R20"
	regCC, regQ, regR    = "R13", "R14", "R15" // C and the vector stride q·C + r
	regWb, regWp         = "R16", "R17"        // the weights: base, and per element the step's
	regA1, regA2, regA3  = "R21", "R22", "R23" // addresses
	regWMode             = "R24"
	wNone, wRow, wElem   = 0, 1, 2
	rowsIdx, rowsMul4    = "rowsIdx", "rowsMul4"
	rowsIdxV, rowsMul4V  = 0x0302010003020100, 0x0404040404040404
	rowsWeightModeOffset = 40 // dims[5]
)

// rowsKernel is one rows function to emit.
type rowsKernel struct {
	o      op
	mode   int
	s      shape
	smooth bool
}

// rowsModes are the γ modes of the rows kernels (impl/internal/model's
// RowsMode: γ = 2, and the general mode for every other γ).
var rowsModes = []int{mode2, modeGen}

func rowsKernels() []rowsKernel {
	var ks []rowsKernel
	for _, s := range []shape{s4, d2} {
		for _, mode := range rowsModes {
			for _, smooth := range []bool{false, true} {
				for _, o := range []op{opLoss, opSum, opLossGrad} {
					ks = append(ks, rowsKernel{o: o, mode: mode, s: s, smooth: smooth})
				}
			}
		}
	}
	return ks
}

func (k rowsKernel) name() string {
	w := ""
	if k.s.f64 {
		w = "64"
	}
	n := "rows" + [...]string{"Loss", "Sum", "LossGrad"}[k.o] + w + "NEON" + modeNames[k.mode]
	if k.smooth {
		n += "Smooth"
	}
	return n
}

func (k rowsKernel) flat() kernel { return kernel{o: k.o, mode: k.mode, s: k.s} }

// two reports whether the kernel takes the two-valued body (two.go):
// smoothing at γ = 2.
func (k rowsKernel) two() bool { return k.smooth && k.mode == mode2 }

// flagged reports whether the function reports lanes left to the scalar
// path: the soft body's only.
func (k rowsKernel) flagged() bool { return k.smooth && !k.two() && k.flat().flagged() }

// body runs the kernel's body on x and the lanes in: the two-valued one,
// or the flat form's hard or general one.
func (k rowsKernel) body(b *stream, x V, in lanesIn) [3]V {
	if k.two() {
		l, g, _ := b.twoValue(x, in.t, in.pos, k.o == opLossGrad, false)
		return [3]V{l, g, 0}
	}
	return k.flat().body(b, x, in.t, k.smooth)
}

func (k rowsKernel) layout() layout {
	b := newLayout(k.s.f64)
	b.slices(b.ft(), map[op][]string{opLoss: {"dst", "x"}, opSum: {"x"}, opLossGrad: {"loss", "grad", "x"}}[k.o]...)
	b.slices("int32", "labels")
	b.slices(b.ft(), "w")
	b.arg("tab", "*"+b.ft(), 8)
	b.arg("dims", "*int", 8)
	b.floats("t1", "t0", "gm")
	if !k.s.f64 {
		b.floats("gmlo")
	}
	return b.end(k.o)
}

// function emits the rows kernel's TEXT block.
func (k rowsKernel) function(t *table) (string, error) {
	f := newFn(k.s, t)
	name := k.name()
	lay := k.layout()
	fk := k.flat()
	fmt.Fprintf(&f.out, "// func %s%s\nTEXT ·%s(SB), NOSPLIT, $FRAME-%d\n", name, lay.sig, name, lay.size)
	switch k.o {
	case opLoss:
		f.raw("MOVD\tdst_base+%d(FP), %s", lay.off["dst"], regD)
	case opLossGrad:
		f.raw("MOVD\tloss_base+%d(FP), %s", lay.off["loss"], regD)
		f.raw("MOVD\tgrad_base+%d(FP), %s", lay.off["grad"], regG)
	}
	f.raw("MOVD\tx_base+%d(FP), %s", lay.off["x"], regX)
	f.raw("MOVD\tx_len+%d(FP), %s", lay.off["x"]+8, regN)
	f.raw("MOVD\tlabels_base+%d(FP), %s", lay.off["labels"], regLab)
	f.raw("MOVD\tw_base+%d(FP), %s", lay.off["w"], regWb)
	f.raw("MOVD\t%s, %s", regWb, regWp)
	f.raw("MOVD\ttab+%d(FP), %s", lay.off["tab"], regTab)
	f.raw("MOVD\tdims+%d(FP), %s", lay.off["dims"], regTmp)
	f.raw("MOVD\t0(%s), %s", regTmp, regCC)
	f.raw("MOVD\t8(%s), %s", regTmp, regQ)
	f.raw("MOVD\t16(%s), %s", regTmp, regR)
	f.raw("MOVD\t%d(%s), %s", rowsWeightModeOffset, regTmp, regWMode)
	f.raw("MOVD\tZR, %s", regN0)
	f.raw("MOVD\tZR, %s", regC0)
	f.raw("MOVD\t$%s(SB), %s", symConsts, regConsts)
	// the parameters: float32 t1, t0, gm, gmlo in V31; float64 t1, t0 in
	// V31 and gm in V30
	f.packed = map[string]elem{}
	next := Reg(31)
	pin := func() (V, Reg) {
		r := next
		next--
		return f.pin(r), r
	}
	p31, r31 := pin()
	f.raw("MOVD\t$t1+%d(FP), %s", lay.off["t1"], regTmp)
	f.raw("FMOVQ\t(%s), F%d", regTmp, r31)
	f.packed["p:t1"], f.packed["p:t0"] = elem{p31, 0}, elem{p31, 1}
	if k.s.f64 {
		p30, r30 := pin()
		f.raw("FMOVD\tgm+%d(FP), F%d", lay.off["gm"], r30)
		f.packed["p:g"] = elem{p30, 0}
	} else {
		f.packed["p:g"], f.packed["p:glo"] = elem{p31, 2}, elem{p31, 3}
	}
	one, ro := pin()
	f.res["one"] = one
	f.raw("FMOVQ\t%d(%s), F%d", t.row(k.s, "one"), regConsts, ro)
	var st state
	zero := func() V {
		v, r := pin()
		f.raw("VEOR\tV%d.B16, V%d.B16, V%d.B16", r, r, r)
		return v
	}
	if k.flagged() {
		st.flag = zero()
	}
	if k.o == opSum {
		st.acc, st.acc64 = zero(), zero()
		if !k.s.f64 {
			st.acc64b, st.ovf = zero(), zero()
		}
		f.raw("MOVD\t$%d, %s", blockVecs, regCnt)
	}
	f.pool()
	done := name + "_done"
	wNames := []string{"_wnone", "_wrow", "_welem"}
	f.raw("CMP\t$%d, %s", wRow, regWMode)
	f.raw("BEQ\t%s", name+wNames[wRow])
	f.raw("BGT\t%s", name+wNames[wElem])
	if err := f.flush(); err != nil {
		return "", err
	}
	W := k.s.lanes()
	u := fk.unroll()
	if k.smooth {
		u = fk.softUnroll()
	}
	for wm, wn := range wNames {
		pre := name + wn
		loopU, loop1, tail := pre+"_loopU", pre+"_loop1", pre+"_tail"
		f.label(pre)
		if u > 1 {
			f.label(loopU)
			f.raw("CMP\t$%d, %s", W*u, regN)
			f.raw("BLT\t%s", loop1)
			if err := k.steps(f, &st, wm, u, loopU); err != nil {
				return "", err
			}
		}
		f.label(loop1)
		f.raw("CMP\t$%d, %s", W, regN)
		f.raw("BLT\t%s", tail)
		if err := k.steps(f, &st, wm, 1, loop1); err != nil {
			return "", err
		}
		f.label(tail)
		f.raw("CBZ\t%s, %s", regN, done)
		if err := f.tryLags(func(lag int) { k.tailStep(f, &st, wm, tail) }); err != nil {
			return "", fmt.Errorf("%s: %w", tail, err)
		}
		f.raw("B\t%s", done)
		if err := f.flush(); err != nil {
			return "", err
		}
	}
	return f.end(done, func() error { return k.epilogue(f, &st, lay) })
}
