package neon

// A rows kernel's loop (rows.go has the form's layout): its steps of u
// vectors, the advance past them, the tail and the epilogue.

import "fmt"

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
