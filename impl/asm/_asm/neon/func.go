package neon

// One kernel function: its arguments, its loops over whole steps of
// vectors (a step whose targets are all hard takes the hard body; any soft
// target sends it to the soft body, which takes fewer vectors at a time),
// the tail of fewer than a vector's lanes (loaded and stored lane by lane:
// nothing outside the slices is read or written), Sum's accumulation
// (the lanes summed over blocks of blockVecs vectors, then float32's
// widened to float64 and float64's added by TwoSum, its error carried), and
// the flags of the lanes left to the scalar path.

import (
	"fmt"
	"strings"
)

type op int

const (
	opLoss op = iota
	opSum
	opLossGrad
)

func (o op) name() string { return [...]string{"loss", "sum", "lossGrad"}[o] }

// The general-purpose registers: the slices' pointers and length, the
// constants' address, scratch.
const (
	regX, regT, regN, regD, regG = "R0", "R1", "R2", "R3", "R4"
	regTmp, regCnt               = "R6", "R8"
	regLx, regLt                 = "R10", "R11" // the tail's lane pointers
)

// kernel is one function to emit.
type kernel struct {
	o    op
	mode int
	s    shape
}

func (k kernel) name() string {
	w := ""
	if k.s.f64 {
		w = "64"
	}
	return k.o.name() + w + "NEON" + modeNames[k.mode]
}

// flagged reports whether the function reports lanes left to the scalar path.
func (k kernel) flagged() bool { return k.o != opSum && (k.o == opLossGrad || k.mode != mode0) }

// unroll is the number of vectors of a hard step; softUnroll of a soft one.
// Two, as on the x86 levels: llvm-mca's figures for four were -10% to +9%
// (results/<machine>/neon.md); and one soft vector, whose body needs more
// registers: two took as many cycles per element there, with more spills.
func (k kernel) unroll() int { return Unroll }

// Unroll is the vectors per hard step (the generator's -neon-unroll).
var Unroll = 2

func (k kernel) softUnroll() int { return 1 }

// state is what the function keeps in pinned registers.
type state struct {
	flag        V   // the flagged lanes, ORed
	acc, acc64  V   // Sum: the block's lanes' sums and the float64 sums (float64: acc also carries the flushes' errors)
	acc64b, ovf V   // float32 Sum: the upper lanes' float64 sums, and the overflowed lanes
	step        int // Sum: the blocks' flush labels so far
}

// function emits the kernel's TEXT block.
func (k kernel) function(t *table) (string, error) {
	f := newFn(k.s, t)
	name := k.name()
	lay := k.layout()
	fmt.Fprintf(&f.out, "// func %s%s\nTEXT ·%s(SB), NOSPLIT, $FRAME-%d\n", name, lay.sig, name, lay.size)
	slices := map[op][]string{opLoss: {"dst", "x", "t"}, opSum: {"x", "t"}, opLossGrad: {"loss", "grad", "x", "t"}}[k.o]
	base := map[string]string{"dst": regD, "loss": regD, "grad": regG, "x": regX, "t": regT}
	for _, sl := range slices {
		f.raw("MOVD\t%s_base+%d(FP), %s", sl, lay.off[sl], base[sl])
	}
	f.raw("MOVD\tx_len+%d(FP), %s", lay.off["x"]+8, regN)
	f.raw("MOVD\t$%s(SB), %s", symConsts, regConsts)
	f.params(lay)
	one := f.pin(28)
	f.res["one"] = one
	f.raw("FMOVQ\t%d(%s), F28", t.row(k.s, "one"), regConsts)
	var st state
	zero := func(r Reg) V {
		v := f.pin(r)
		f.raw("VEOR\tV%d.B16, V%d.B16, V%d.B16", r, r, r)
		return v
	}
	if k.flagged() {
		st.flag = zero(27)
	}
	var twoD, twoDlo V // the two-valued body's slope, formed once (twoSlope)
	if k.mode == mode2 {
		twoD, twoDlo = f.pin(22), f.pin(21)
	}
	if k.o == opSum {
		st.acc, st.acc64 = zero(26), zero(25)
		if !k.s.f64 {
			st.acc64b, st.ovf = zero(24), zero(23)
		}
		f.raw("MOVD\t$%d, %s", blockVecs, regCnt)
	}
	f.pool()
	if k.mode == mode2 {
		f.twoSlope(twoD, twoDlo)
	}
	if err := f.flush(); err != nil {
		return "", err
	}
	W := k.s.lanes()
	loopU, loop1, tail, done := name+"_loopU", name+"_loop1", name+"_tail", name+"_done"

	f.label(loopU)
	f.raw("CMP\t$%d, %s", W*k.unroll(), regN)
	f.raw("BLT\t%s", loop1)
	if err := k.steps(f, &st, loopU, k.unroll()); err != nil {
		return "", err
	}
	f.label(loop1)
	f.raw("CMP\t$%d, %s", W, regN)
	f.raw("BLT\t%s", tail)
	if err := k.steps(f, &st, loop1, 1); err != nil {
		return "", err
	}
	f.label(tail)
	f.raw("CBZ\t%s, %s", regN, done)
	for _, soft := range []bool{false, true} {
		if soft {
			f.label(tail + "_soft")
		}
		if err := f.tryLags(func(lag int) { k.tailStep(f, &st, soft, tail) }); err != nil {
			return "", fmt.Errorf("%s tail: %w", name, err)
		}
		if !soft {
			f.raw("B\t%s", done)
		}
	}
	return f.end(done, func() error { return k.epilogue(f, &st, lay) })
}

// end emits label done, the epilogue and RET, and returns the TEXT block
// with its frame size.
func (f *fn) end(done string, epilogue func() error) (string, error) {
	f.label(done)
	if err := epilogue(); err != nil {
		return "", err
	}
	f.raw("RET")
	if err := f.flush(); err != nil {
		return "", err
	}
	return strings.Replace(f.out.String(), "$FRAME-", fmt.Sprintf("$%d-", frameSize(f.slots)), 1), nil
}

// steps emits the loop body of u vectors at label loop: the hard step, and
// the soft step it branches to.
func (k kernel) steps(f *fn, st *state, loop string, u int) error {
	soft := loop + "_soft"
	if err := f.tryLags(func(lag int) { k.step(f, st, u, false, soft, lag) }); err != nil {
		return fmt.Errorf("%s: %w", loop, err)
	}
	k.advance(f, st, u, loop)
	f.label(soft)
	su := min(u, k.softUnroll())
	if err := f.tryLags(func(lag int) { k.step(f, st, su, true, "", lag) }); err != nil {
		return fmt.Errorf("%s: %w", soft, err)
	}
	k.advance(f, st, su, loop)
	return nil
}

// tryLags builds the block (after what it holds already) with each of a
// few lags and keeps the one whose registers fit with the fewest spills
// (the smallest lag of those).
func (f *fn) tryLags(build func(lag int)) error {
	prefix := f.block
	var best []string
	bestSpills, bestSlots := -1, 0
	var err error
	for _, lag := range []int{0, 2, 4, 8, 16, 24, 32, 48, 64, 96, 128, 192, 256} {
		f.block = prefix[:len(prefix):len(prefix)]
		f.skip = false
		slots := f.slots
		build(lag)
		lines, e := f.allocate(f.block)
		if e != nil {
			err = e
			f.slots = slots
			continue
		}
		n := 0
		for _, l := range lines {
			if strings.Contains(l, "(SP)") {
				n++
			}
		}
		if bestSpills < 0 || n < bestSpills {
			best, bestSpills, bestSlots = lines, n, f.slots
		}
		f.slots = slots
		if n == 0 {
			break
		}
	}
	if bestSpills < 0 {
		return err
	}
	f.slots = bestSlots
	f.write(best)
	return nil
}

// step emits the loads of u vectors, for the hard step the test that sends
// it to softLabel, the bodies (interleaved with lag), and the stores or the
// sums.
func (k kernel) step(f *fn, st *state, u int, soft bool, softLabel string, lag int) {
	pre := f.stream()
	xs, ts := make([]V, u), make([]V, u)
	for i := range u {
		xs[i] = pre.load(regX, 16*i)
		ts[i] = pre.load(regT, 16*i)
	}
	if !soft {
		pre.hardTest(ts, softLabel)
	}
	f.direct(pre)
	ss := make([]*stream, u)
	outs := make([][3]V, u)
	for i := range u {
		ss[i] = f.stream()
		outs[i] = k.body(ss[i], xs[i], ts[i], soft)
	}
	f.interleave(ss, lag)
	post := f.stream()
	for i, o := range outs {
		k.finish(post, st, o, 16*i, 0)
	}
	f.direct(post)
}

// body returns the loss, gradient (or 0) and flags (or 0) of one vector.
func (k kernel) body(b *stream, x, t V, soft bool) [3]V {
	grad := k.o == opLossGrad
	if soft && k.mode == mode2 {
		l, g, fl := b.twoValue(x, t, b.cmgt(t, b.k("half")), grad, true)
		return [3]V{l, g, fl}
	}
	if soft {
		l, g, fl := b.soft(x, t, k.mode, grad)
		return [3]V{l, g, fl}
	}
	l, g := b.hard(x, t, k.mode, grad)
	return [3]V{l, g, 0}
}

// finish stores a vector's results at off (or, with lanes > 0, its first
// lanes), adds them into the sums (masked by mask, if not 0), and ORs its
// flags in.
func (k kernel) finish(b *stream, st *state, o [3]V, off int, mask V) {
	if k.flagged() && o[2] != 0 {
		b.assign(st.flag, b.orr(st.flag, o[2]))
	}
	switch k.o {
	case opLoss:
		b.store(o[0], regD, off)
	case opLossGrad:
		b.store(o[0], regD, off)
		b.store(o[1], regG, off)
	case opSum:
		loss := o[0]
		if mask != 0 {
			loss = b.and(loss, mask)
		}
		b.assign(st.acc, b.add2(st.acc, loss))
	}
}

// advance moves the pointers past u vectors, counts Sum's block, and jumps
// back to loop.
func (k kernel) advance(f *fn, st *state, u int, loop string) {
	n := 16 * u
	regs := []string{regX, regT}
	switch k.o {
	case opLoss:
		regs = append(regs, regD)
	case opLossGrad:
		regs = append(regs, regD, regG)
	}
	for _, r := range regs {
		f.raw("ADD\t$%d, %s", n, r)
	}
	f.raw("SUB\t$%d, %s", u*k.s.lanes(), regN)
	k.countBlock(f, st, loop, u)
	f.raw("B\t%s", loop)
	if err := f.flush(); err != nil {
		panic(err)
	}
}

// tailStep emits the tail: the first regN (< a vector) lanes loaded one by
// one (the others 0, a hard target whose results are neither stored nor
// summed), the hard or the soft body, and the lanes stored one by one or
// summed under a mask.
func (k kernel) tailStep(f *fn, st *state, soft bool, tail string) {
	pre := f.stream()
	sfx := "_h"
	if soft {
		sfx = "_s"
	}
	x, t := pre.loadLanes(tail + sfx + "_ld")
	if !soft {
		pre.hardTest([]V{t}, tail+"_soft")
	}
	f.direct(pre)
	b := f.stream()
	o := k.body(b, x, t, soft)
	f.direct(b)
	post := f.stream()
	switch k.o {
	case opSum:
		post.raw(fmt.Sprintf("ADD\t%s<<4, %s, %s", regN, regConsts, regTmp))
		mask := post.load(regTmp, f.consts.offset(fmt.Sprintf("tail%d_0", 8*k.s.bytes())))
		k.finish(post, st, o, 0, mask)
	case opLoss, opLossGrad:
		if k.flagged() && o[2] != 0 {
			post.assign(st.flag, post.orr(st.flag, o[2]))
		}
		f.direct(post)
		post = f.stream()
		post.storeLanes(o[0], regD, tail+sfx+"_st")
		if k.o == opLossGrad {
			post.storeLanes(o[1], regG, tail+sfx+"_stg")
		}
	}
	f.direct(post)
}

// epilogue emits the results: Sum's horizontal sum (and float32's ok), or
// ok = no lane flagged.
func (k kernel) epilogue(f *fn, st *state, lay layout) error {
	b := f.stream()
	switch {
	case k.o == opSum:
		b64 := &stream{f: f, s: d2}
		if !k.s.f64 {
			if err := f.flush(); err != nil {
				return err
			}
			k.flush32(f, st)
			b64.storeSum(b64.add2(st.acc64, st.acc64b), lay.off["sum"])
			b.okIfZero(st.ovf, lay.off["ok"])
		} else {
			if err := f.flush(); err != nil {
				return err
			}
			k.flush64(f, st)
			b64.storeSum(b64.add2(st.acc, st.acc64), lay.off["sum"])
		}
		f.direct(b64)
	case k.flagged():
		b.okIfZero(st.flag, lay.off["ok"])
	default:
		b.raw(fmt.Sprintf("MOVD\t$1, %s", regTmp))
		b.raw(fmt.Sprintf("MOVB\t%s, ok+%d(FP)", regTmp, lay.off["ok"]))
	}
	f.direct(b)
	return nil
}
