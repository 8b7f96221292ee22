package neon

// The softmax lanes' exp (the model's smExp), the scaling function, and
// the few operations only they take: the constants they take by element,
// packed two to a register, a lane-0 store, an in-place select into an
// accumulator, and the rotation that adds lanes across.

import (
	"fmt"
	"strings"
)

// smPacks are the constants the reduction takes by element, in pairs (a
// row each: lane 0, lane 1), by float64-ness of the row.
var smPacks = map[bool][][2]string{
	true:  {{"log2e", "ln2hi"}, {"ln2lo", "q0"}, {"q2", "q4"}, {"q6", "q8"}, {"q10", ""}},
	false: {{"log2e", "sm:ln2"}, {"q6", "q8"}, {"q10", ""}},
}

func smPackRow(row64 bool, i int) string {
	return fmt.Sprintf("sm:pack%s_%d", pick(shape{row64}, "32", "64"), i)
}

// putSmPacks adds smPacks' rows to the table (after the softmax constants).
func putSmPacks(t *table) {
	bits := func(n string) uint64 {
		switch {
		case n == "":
			return 0
		case strings.HasPrefix(n, "sm:"):
			return t.lo[t.index[n]]
		}
		return t.lo[t.offset("d"+n)/16]
	}
	for _, row64 := range []bool{false, true} {
		for i, pk := range smPacks[row64] {
			t.put(smPackRow(row64, i), bits(pk[0]), bits(pk[1]))
		}
	}
}

// smExp returns 2^s·e^(h+dl) and, for a float64 row, its error terms (the
// model's smExp with its constants: s = 64 or 512, h held at lo).
func (b *stream) smExp(h, dl V, row64 bool) (e, elo V) {
	cs := b.expCoeffs()
	one := b.k("one")
	if !row64 {
		h = b.fmax(h, b.k("sm:lo32")) // a NaN h stays NaN
		t := b.mulE(h, b.ke("log2e"))
		kf := b.frintn(t)
		km := b.add2(t, b.k("magic")) // k in the low bits, rounded as kf
		r := b.fmsE(kf, b.ke("sm:ln2"), h)
		r2 := b.mul(r, r)
		p := b.add2(b.fma(b.horner2(cs[len(cs)-6:], r, r2), r2, r), one)
		// the clamp keeps 2^(k+64) normal: one product, rounded as the
		// model's two halves (their first product is exact)
		sc := b.shl(b.iadd(km, b.k("sm:ebiasm32")), 52)
		return b.mul(p, sc), 0
	}
	h = b.fmax(h, b.k("sm:lo64"))
	t := b.mulE(h, b.ke("log2e"))
	kf := b.frintn(t)
	ki := b.iadd(b.fcvtns(t), b.k("sm:ibias64")) // k + 512
	r0 := b.fmsE(kf, b.ke("ln2hi"), h)
	r := b.fmsE(kf, b.ke("ln2lo"), r0)
	r2 := b.mul(r, r)
	q := b.horner2(cs, r, r2)
	sv := b.fma(q, r2, r)
	p := b.add2(sv, one)
	rlo := b.fmsE(kf, b.ke("ln2lo"), b.sub(r0, r)) // r0 - r is exact
	ds := b.fma(q, r2, b.sub(r, sv))               // r - sv is exact
	plo := b.sub(sv, b.sub(p, one))
	cr := b.fma(p, rlo, ds)
	vs := b.scale(ki, p, plo, cr)
	return vs[0], b.fma(vs[0], dl, b.add2(vs[1], vs[2]))
}

// loadRow returns the vector at regX in float64 lanes (a float32 row's
// widened); tail: its first element, lane 1 zero.
func (b *stream) loadRow(row64, tail bool) V {
	op := pick(shape{row64}, "FMOVD", "FMOVQ")
	if tail {
		op = pick(shape{row64}, "FMOVS", "FMOVD")
	}
	x := b.add(&ins{dst: b.f.newV(), emit: func(d Reg, _ []Reg) string { return fmt.Sprintf("%s\t(%s), F%d", op, regX, d) }})
	if row64 {
		return x
	}
	return b.widen(x, false)
}

// bitInto sets the lanes of the pinned acc where mask is set to x's, in place (BIT).
func (b *stream) bitInto(acc, x, mask V) {
	b.add(&ins{src: []V{acc, x, mask}, emit: func(_ Reg, s []Reg) string {
		return fmt.Sprintf("VBIT\tV%d.B16, V%d.B16, V%d.B16", s[2], s[1], s[0])
	}})
}

// ext returns v rotated down by n bytes (EXT v, v, #n).
func (b *stream) ext(v V, n int) V {
	return b.add(&ins{dst: b.f.newV(), src: []V{v}, emit: func(d Reg, s []Reg) string {
		return fmt.Sprintf("VEXT\t$%d, V%d.B16, V%d.B16, V%d.B16", n, s[0], s[0], d)
	}})
}

// storeLane0 stores v's lane 0 (size bytes) at the operand at.
func (b *stream) storeLane0(v V, at string, size int) {
	op := map[int]string{4: "FMOVS", 8: "FMOVD"}[size]
	b.add(&ins{src: []V{v}, emit: func(_ Reg, s []Reg) string { return fmt.Sprintf("%s\tF%d, %s", op, s[0], at) }})
}

// scaleFunc emits the scaling: g_j = (g_j·f)·2^-s in float64 lanes, two
// elements at a time, the last one alone.
func (k smKernel) scaleFunc(f *fn, lay layout) (string, error) {
	name := k.name()
	f.raw("MOVD\tg_base+0(FP), %s", regX)
	f.raw("MOVD\tg_len+8(FP), %s", regN)
	fv, un := f.pin(31), f.pin(30)
	f.raw("FMOVD\tf+%d(FP), F31", lay.off["f"])
	f.raw("FMOVQ\t%d(%s), F30", f.consts.offset(pick(shape{k.row64}, "sm:unscale32", "sm:unscale64")), regConsts)
	f.pool()
	if err := f.flush(); err != nil {
		return "", err
	}
	loop, tail, done := name+"_loop", name+"_tail", name+"_done"
	step := func(tail bool) {
		b := f.stream()
		v := b.mul(b.mulE(b.loadRow(k.row64, tail), elem{fv, 0}), un)
		op := pick(shape{k.row64}, "FMOVD", "FMOVQ")
		if tail {
			op = pick(shape{k.row64}, "FMOVS", "FMOVD")
		}
		if !k.row64 {
			v = b.two(fcvtn, v)
		}
		b.add(&ins{src: []V{v}, emit: func(_ Reg, s []Reg) string { return fmt.Sprintf("%s\tF%d, (%s)", op, s[0], regX) }})
		f.direct(b)
	}
	f.label(loop)
	f.raw("CMP\t$2, %s", regN)
	f.raw("BLT\t%s", tail)
	step(false)
	f.raw("ADD\t$%d, %s", 2*k.size(), regX)
	f.raw("SUB\t$2, %s", regN)
	f.raw("B\t%s", loop)
	f.label(tail)
	f.raw("CBZ\t%s, %s", regN, done)
	step(true)
	return f.end(done, func() error { return nil })
}
