package neon

// Whole-vector bookkeeping: the hard-target test, lane-by-lane loads and
// stores for the tail, moves into pinned registers, the reductions that
// end a function.

import "fmt"

// raw appends a line with no values.
func (b *stream) raw(text string) { b.add(&ins{text: text}) }

// fresh returns the constant called name loaded anew (a register the caller
// may overwrite: an accumulator's start).
func (b *stream) fresh(name string) V {
	off := b.f.consts.row(b.s, name)
	return b.add(&ins{dst: b.f.newV(),
		emit: func(d Reg, s []Reg) string { return fmt.Sprintf("FMOVQ\t%d(%s), F%d", off, regConsts, d) }})
}

// mov returns a copy of v.
func (b *stream) mov(v V) V {
	return b.add(&ins{dst: b.f.newV(), src: []V{v},
		emit: func(d Reg, s []Reg) string { return fmt.Sprintf("VMOV\tV%d.B16, V%d.B16", s[0], d) }})
}

// assign makes the instruction that produced v (the stream's last, untied)
// write the pinned register dst instead.
func (b *stream) assign(dst, v V) {
	last := b.ins[len(b.ins)-1]
	if last.dst != v || last.alts != nil {
		panic("assign: not the last instruction's value")
	}
	if _, ok := b.f.pinned[dst]; !ok {
		panic("assign: not a pinned register")
	}
	last.dst = dst
}

// widen returns v's float32 lanes 0-1 (hi: 2-3) as float64.
func (b *stream) widen(v V, hi bool) V {
	return b.two(func(d, n Reg) word { return fcvtl(d, n, hi) }, v)
}

// gpr moves lane 0 of v (32 bits) to the general register r.
func (b *stream) gpr(v V, r string) {
	b.add(&ins{src: []V{v}, emit: func(d Reg, s []Reg) string { return fmt.Sprintf("FMOVS\tF%d, %s", s[0], r) }})
}

// hardTest jumps to soft unless every lane of every t is 0 or 1.
func (b *stream) hardTest(ts []V, soft string) {
	one := b.k("one")
	var all V
	for _, t := range ts {
		h := b.orr(b.cmeq0(t), b.cmeq(t, one))
		if all == 0 {
			all = h
		} else {
			all = b.and(all, h)
		}
	}
	// the lanes' minimum is all ones only if every lane is (a float64
	// lane's mask is two equal 32-bit halves)
	b.gpr(b.two(uminv, all), regTmp)
	b.raw(fmt.Sprintf("CMNW\t$1, %s", regTmp))
	b.raw("BNE\t" + soft)
}

// okIfZero stores ok = (no lane of v is set) at off(FP).
func (b *stream) okIfZero(v V, off int) {
	b.gpr(b.two(umaxv, v), regTmp)
	b.raw(fmt.Sprintf("CMPW\t$0, %s", regTmp))
	b.raw(fmt.Sprintf("CSET\tEQ, %s", regTmp))
	b.raw(fmt.Sprintf("MOVB\t%s, ok+%d(FP)", regTmp, off))
}

// storeSum stores the sum of v's two float64 lanes at sum+off(FP).
func (b *stream) storeSum(v V, off int) {
	s := b.two(faddp, v)
	b.add(&ins{src: []V{s}, emit: func(d Reg, r []Reg) string { return fmt.Sprintf("FMOVD\tF%d, sum+%d(FP)", r[0], off) }})
}

// loadLane loads lane i of v through the pointer p, post-incremented by a
// lane (VLD1.P, tied: the other lanes are v's); storeLane stores it (VST1.P).
func (b *stream) loadLane(v V, p string, i int) V {
	e, n := b.s.goElem(), b.s.bytes()
	return b.tied(func(d Reg, s []Reg) string {
		return fmt.Sprintf("VLD1.P\t%d(%s), V%d.%s[%d]", n, p, d, e, i)
	}, v)
}

func (b *stream) storeLane(v V, p string, i int) {
	e, n := b.s.goElem(), b.s.bytes()
	b.add(&ins{src: []V{v}, emit: func(d Reg, s []Reg) string {
		return fmt.Sprintf("VST1.P\tV%d.%s[%d], %d(%s)", s[0], e, i, n, p)
	}})
}

// loadLanes returns x and t with their first regN lanes loaded (0 < regN <
// a vector's lanes) and the others 0; skip labels the end of the loads.
func (b *stream) loadLanes(skip string) (x, t V) {
	x, t = b.zero(), b.zero()
	b.raw(fmt.Sprintf("MOVD\t%s, %s", regX, regLx))
	b.raw(fmt.Sprintf("MOVD\t%s, %s", regT, regLt))
	b.lanes(skip, func(i int) {
		x = b.loadLane(x, regLx, i)
		t = b.loadLane(t, regLt, i)
	})
	return x, t
}

// storeLanes stores v's first regN lanes through base.
func (b *stream) storeLanes(v V, base, skip string) {
	b.raw(fmt.Sprintf("MOVD\t%s, %s", base, regLx))
	b.lanes(skip, func(i int) { b.storeLane(v, regLx, i) })
}

// lanes emits each(i) for lane 0 and, while i < regN, the lanes after it:
// the instructions past the first branch are skipped for a short tail, so
// they must not need a register copy (see fn.noCopy).
func (b *stream) lanes(skip string, each func(i int)) {
	each(0)
	w := b.s.lanes()
	if w == 2 {
		return
	}
	for i := 1; i < w-1; i++ {
		b.raw(fmt.Sprintf("CMP\t$%d, %s", i+1, regN))
		b.skip("BLT", skip)
		each(i)
	}
	b.label(skip)
}

// skip emits a conditional branch forward to label, which label places:
// the instructions between them are marked as skippable (fn.noCopy) once
// the stream is placed in its block.
func (b *stream) skip(cond, label string) {
	b.raw(fmt.Sprintf("%s\t%s", cond, label))
	b.add(&ins{skipOn: true})
}

func (b *stream) label(name string) {
	b.add(&ins{skipOff: true})
	b.raw(name + ":")
}
