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
		l, g := b.twoValue(x, in.t, in.pos, k.o == opLossGrad)
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
			f.raw("MOVD\t$%d, %s", blockVecs, regCnt)
		}
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

// advanceRaw sets (dn, dc) to the position W lanes after (sn, sc).
func advanceRaw(b *stream, sn, sc, dn, dc string) {
	b.raw(fmt.Sprintf("ADD\t%s, %s, %s", regR, sc, dc))
	b.raw(fmt.Sprintf("ADD\t%s, %s, %s", regQ, sn, dn))
	b.raw(fmt.Sprintf("SUB\t%s, %s, %s", regCC, dc, regTmp))
	b.raw(fmt.Sprintf("CMP\t%s, %s", regCC, dc))
	b.raw(fmt.Sprintf("CSEL\tGE, %s, %s, %s", regTmp, dc, dc))
	b.raw(fmt.Sprintf("CINC\tGE, %s, %s", dn, dn))
}

// kx returns the constant row called name as it is (not by width).
func (b *stream) kx(name string) V {
	off := b.f.consts.offset(name)
	return b.add(&ins{dst: b.f.newV(),
		emit: func(d Reg, s []Reg) string { return fmt.Sprintf("FMOVQ\t%d(%s), F%d", off, regConsts, d) }})
}

// gatherIdx returns the byte indices of the 32-bit entries v (ro or ro2) of
// a 16-byte gather: 4·v + (0, 1, 2, 3) in each lane.
func (b *stream) gatherIdx(v V) V {
	k := b.kx(rowsMul4)
	return b.tied(func(d Reg, s []Reg) string { return mla32(d, s[1], s[2]).line() }, b.kx(rowsIdx), v, k)
}

func (b *stream) tbl(tab, idx V) V { return b.three(tbl, tab, idx) }

// lanesIn is what a vector's lanes take from the labels and tables.
type lanesIn struct {
	t, ign, at, atLo V
	pos              V // the lanes on their row's label (the two-valued body's)
}

// gather emits vector i's labels, targets and class α from its row nr and
// class cr.
func (k rowsKernel) gather(b *stream, nr, cr string) lanesIn {
	b.raw(fmt.Sprintf("ADD\t%s<<2, %s, %s", nr, regLab, regA1))
	labv := b.load(regA1, 0)
	b.raw(fmt.Sprintf("ADD\t%s<<2, %s, %s", cr, regTab, regA2))
	ro := b.load(regA2, tabOff(k.s, 5))
	cls := b.load(regA2, tabOff(k.s, 4))
	lab := b.tbl(labv, b.gatherIdx(ro))
	pos := b.three(cmeq32, lab, cls)
	var in lanesIn
	if k.s.f64 {
		pos = b.two(sxtl, pos)
		in.ign = b.signs(b.two(sxtl, lab))
	} else {
		in.ign = b.signs(lab)
	}
	one := b.k("one")
	if k.smooth {
		t1 := b.mulE(one, b.f.param("t1"))
		t0 := b.mulE(one, b.f.param("t0"))
		in.t = b.sel(pos, t1, t0)
	} else {
		in.t = b.and(pos, one)
	}
	ab := regA2
	if k.s.f64 {
		b.raw(fmt.Sprintf("ADD\t%s<<3, %s, %s", cr, regTab, regA3))
		ab = regA3
	}
	a := make([]V, 4)
	for j := range a {
		a[j] = b.load(ab, tabOff(k.s, j))
	}
	if k.two() {
		// the tables hold α_t itself, T1's and T0's (impl/internal/rows)
		in.pos = pos
		in.at, in.atLo = b.sel(pos, a[0], a[1]), b.sel(pos, a[2], a[3])
		return in
	}
	ut := b.sub(one, in.t)
	in.at = b.fma(in.t, a[0], b.mul(ut, a[1]))
	in.atLo = b.fma(in.t, a[2], b.mul(ut, a[3]))
	return in
}

// rowWeight returns vector i's per-row weights (wm = wRow) from its row nr
// and class cr.
func (k rowsKernel) rowWeight(b *stream, nr, cr string) V {
	if k.s.f64 {
		b.raw(fmt.Sprintf("ADD\t%s<<3, %s, %s", nr, regWb, regA1))
		b.raw(fmt.Sprintf("ADD\t%s<<3, %s, %s", cr, regTab, regA2))
		return b.tbl(b.load(regA1, 0), b.gatherIdx(b.load(regA2, tabOff(k.s, 6))))
	}
	b.raw(fmt.Sprintf("ADD\t%s<<2, %s, %s", nr, regWb, regA1))
	b.raw(fmt.Sprintf("ADD\t%s<<2, %s, %s", cr, regTab, regA2))
	return b.tbl(b.load(regA1, 0), b.gatherIdx(b.load(regA2, tabOff(k.s, 5))))
}

// weigh multiplies the body's results o by the weights w (0: none) and
// clears the lanes of ignored rows and of weight 0, flags included.
func (k rowsKernel) weigh(b *stream, o [3]V, ign, w V) [3]V {
	kill := ign
	if w != 0 {
		kill = b.orr(b.cmeq0(w), ign)
	}
	for j := range 2 {
		if o[j] == 0 {
			continue
		}
		if w != 0 {
			o[j] = b.mul(o[j], w)
		}
		o[j] = b.bic(o[j], kill)
	}
	if o[2] != 0 {
		o[2] = b.bic(o[2], kill)
	}
	return o
}

// positions returns the rows and classes of u vectors, emitting the second's.
func positions(b *stream, u int) (ns, cs []string) {
	ns, cs = []string{regN0}, []string{regC0}
	if u > 1 {
		advanceRaw(b, regN0, regC0, regN1, regC1)
		ns, cs = append(ns, regN1), append(cs, regC1)
	}
	return ns, cs
}

// steps emits the loop body of u vectors at label loop: the step, and the
// one it branches to where every lane is ignored (zeros stored, nothing
// summed, no body).
func (k rowsKernel) steps(f *fn, st *state, wm, u int, loop string) error {
	skip := loop + "_skip"
	if err := f.tryLags(func(lag int) { k.step(f, st, wm, u, lag, skip) }); err != nil {
		return fmt.Errorf("%s: %w", loop, err)
	}
	k.advance(f, st, wm, u, loop)
	f.label(skip)
	if k.o != opSum {
		b := f.stream()
		z := b.zero()
		for i := range u {
			b.store(z, regD, 16*i)
			if k.o == opLossGrad {
				b.store(z, regG, 16*i)
			}
		}
		f.direct(b)
	}
	k.advance(f, st, wm, u, loop)
	return nil
}

// step emits u whole vectors of weight mode wm: the gathers (and the branch
// to skip if every lane is ignored), the bodies (interleaved with lag), the
// weights, the stores or the sums.
func (k rowsKernel) step(f *fn, st *state, wm, u, lag int, skip string) {
	pre := f.stream()
	ns, cs := positions(pre, u)
	ins := make([]lanesIn, u)
	xs := make([]V, u)
	var all V
	for i := range u {
		ins[i] = k.gather(pre, ns[i], cs[i])
		if i == 0 {
			all = ins[i].ign
		} else {
			all = pre.and(all, ins[i].ign)
		}
	}
	// the lanes' minimum is all ones only if every lane is (a float64
	// lane's mask is two equal 32-bit halves)
	pre.gpr(pre.two(uminv, all), regTmp)
	pre.raw(fmt.Sprintf("CMNW\t$1, %s", regTmp))
	pre.raw("BEQ\t" + skip)
	for i := range u {
		xs[i] = pre.load(regX, 16*i)
	}
	f.direct(pre)
	ss := make([]*stream, u)
	outs := make([][3]V, u)
	for i := range u {
		ss[i] = f.stream()
		ss[i].alpha = [2]V{ins[i].at, ins[i].atLo}
		outs[i] = k.body(ss[i], xs[i], ins[i])
	}
	f.interleave(ss, lag)
	post := f.stream()
	for i, o := range outs {
		var w V
		switch wm {
		case wRow:
			w = k.rowWeight(post, ns[i], cs[i])
		case wElem:
			post.raw(fmt.Sprintf("ADD\t$%d, %s, %s", 16*i, regWp, regA1))
			w = post.load(regA1, 0)
		}
		k.flat().finish(post, st, k.weigh(post, o, ins[i].ign, w), 16*i, 0)
	}
	f.direct(post)
}

// advance moves past u vectors (pointers and position), counts Sum's
// block (as func.go's advance), and jumps back to loop.
func (k rowsKernel) advance(f *fn, st *state, wm, u int, loop string) {
	b := f.stream()
	if u > 1 {
		advanceRaw(b, regN1, regC1, regN0, regC0)
	} else {
		advanceRaw(b, regN0, regC0, regN0, regC0)
	}
	f.direct(b)
	regs := []string{regX}
	switch k.o {
	case opLoss:
		regs = append(regs, regD)
	case opLossGrad:
		regs = append(regs, regD, regG)
	}
	if wm == wElem {
		regs = append(regs, regWp)
	}
	for _, r := range regs {
		f.raw("ADD\t$%d, %s", 16*u, r)
	}
	f.raw("SUB\t$%d, %s", u*k.s.lanes(), regN)
	k.flat().countBlock(f, st, loop, u)
	f.raw("B\t%s", loop)
	if err := f.flush(); err != nil {
		panic(err)
	}
}

// tailStep emits the tail: fewer than a vector's lanes (regN), x and the
// per-element weights loaded and the results stored lane by lane (the lanes
// past the end: x = 0 and weight 0, neither stored, summed nor flagged).
func (k rowsKernel) tailStep(f *fn, st *state, wm int, tail string) {
	pre := f.stream()
	x := pre.zero()
	pre.raw(fmt.Sprintf("MOVD\t%s, %s", regX, regLx))
	pre.lanes(tail+"_ldx", func(i int) { x = pre.loadLane(x, regLx, i) })
	in := k.gather(pre, regN0, regC0)
	f.direct(pre)
	b := f.stream()
	b.alpha = [2]V{in.at, in.atLo}
	o := k.body(b, x, in)
	f.direct(b)
	post := f.stream()
	var w V
	switch wm {
	case wRow:
		w = k.rowWeight(post, regN0, regC0)
	case wElem:
		w = post.zero()
		post.raw(fmt.Sprintf("MOVD\t%s, %s", regWp, regLt))
		post.lanes(tail+"_ldw", func(i int) { w = post.loadLane(w, regLt, i) })
	}
	o = k.weigh(post, o, in.ign, w)
	var mask V
	if k.o == opSum || k.flagged() {
		post.raw(fmt.Sprintf("ADD\t%s<<4, %s, %s", regN, regConsts, regTmp))
		mask = post.load(regTmp, f.consts.offset(fmt.Sprintf("tail%d_0", 8*k.s.bytes())))
	}
	switch k.o {
	case opSum:
		k.flat().finish(post, st, o, 0, mask)
	case opLoss, opLossGrad:
		if k.flagged() && o[2] != 0 {
			post.assign(st.flag, post.orr(st.flag, post.and(o[2], mask)))
		}
		f.direct(post)
		post = f.stream()
		post.storeLanes(o[0], regD, tail+"_st")
		if k.o == opLossGrad {
			post.storeLanes(o[1], regG, tail+"_stg")
		}
	}
	f.direct(post)
}

// epilogue emits the results: Sum's (func.go's), or ok = no lane flagged.
func (k rowsKernel) epilogue(f *fn, st *state, lay layout) error {
	if k.o == opSum || k.flagged() {
		return k.flat().epilogue(f, st, lay)
	}
	b := f.stream()
	b.raw(fmt.Sprintf("MOVD\t$1, %s", regTmp))
	b.raw(fmt.Sprintf("MOVB\t%s, ok+%d(FP)", regTmp, lay.off["ok"]))
	f.direct(b)
	return nil
}
