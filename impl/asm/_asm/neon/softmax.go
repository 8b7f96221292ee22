package neon

// The softmax form's lanes (impl/internal/model's softmax_lanes.go is the
// scalar model and the contract, operation for operation, at W = 2): a
// row's reduction, softmaxReduce32NEON and softmaxReduce64NEON, and the
// scaling of its stored exps into its gradient, softmaxScale32NEON and
// softmaxScale64NEON (the amd64 ones: _asm/softmax.go). The maximum is
// taken in the row's own lanes, then the exps in two float64 lanes (a
// float32 row's elements widened as they are loaded), the label's lane
// accumulated apart; a row of odd length ends with one element, loaded
// alone and masked. Every vector takes the one body, without amd64's plain
// and narrow steps.

import "fmt"

// smKernel is one softmax function to emit.
type smKernel struct {
	row64  bool // the row is float64 (else float32)
	reduce bool // the reduction (else the scaling)
}

func smKernels() []smKernel {
	var ks []smKernel
	for _, row64 := range []bool{false, true} {
		ks = append(ks, smKernel{row64, true}, smKernel{row64, false})
	}
	return ks
}

func (k smKernel) bits() string { return pick(shape{k.row64}, "32", "64") }

func (k smKernel) size() int { return pick(shape{k.row64}, 4, 8) }

func (k smKernel) name() string {
	if k.reduce {
		return "softmaxReduce" + k.bits() + "NEON"
	}
	return "softmaxScale" + k.bits() + "NEON"
}

func (k smKernel) doc() string {
	if k.reduce {
		return "// " + k.name() + " reduces one row: its maximum, the sum of its other classes' scaled exps and its label's\n" +
			"// (model.SoftmaxReduce" + k.bits() + " with 2 lanes), storing the exps into store unless it is nil.\n"
	}
	return "// " + k.name() + " scales a row's stored exps into its gradient (model.SoftmaxScale" + k.bits() + ").\n"
}

func (k smKernel) layout() layout {
	ft := "float" + k.bits()
	l := layout{off: map[string]int{"x": 0, "c": 24, "store": 32, "m": 56, "o": 64, "ec": 72,
		"ohi": 64, "olo": 72, "echi": 80, "eclo": 88, "g": 0, "f": 24}}
	switch {
	case !k.reduce:
		l.sig, l.size = "(g []"+ft+", f float64)", 32
	case k.row64:
		l.sig, l.size = "(x []float64, c int, store []float64) (m, ohi, olo, echi, eclo float64)", 96
	default:
		l.sig, l.size = "(x []float32, c int, store []float32) (m float32, o, ec float64)", 80
	}
	return l
}

// The softmax functions' general-purpose registers, besides regX, regN,
// regConsts and regTmp: the store's pointer (advanced) and its base (nil
// or not), and the maximum pass's pointer and count.
const (
	regSt, regStBase = "R1", "R4"
	regMx, regMn     = "R7", "R8"
)

// smRegs are the pinned registers a reduction's state takes (V31 down).
type smRegs struct {
	m, nm, cv, idx, two, hi, lo, hiC, loC V
}

// function emits the TEXT block.
func (k smKernel) function(t *table) (string, error) {
	f := newFn(d2, t)
	name := k.name()
	lay := k.layout()
	fmt.Fprintf(&f.out, "// func %s%s\nTEXT ·%s(SB), NOSPLIT, $FRAME-%d\n", name, lay.sig, name, lay.size)
	f.raw("MOVD\t$%s(SB), %s", symConsts, regConsts)
	if !k.reduce {
		return k.scaleFunc(f, lay)
	}
	f.raw("MOVD\tx_base+0(FP), %s", regX)
	f.raw("MOVD\tx_len+8(FP), %s", regN)
	f.raw("MOVD\tstore_base+32(FP), %s", regSt)
	f.raw("MOVD\t%s, %s", regSt, regStBase)
	next := Reg(31)
	pin := func() V {
		v := f.pin(next)
		next--
		return v
	}
	// resident: the loop's invariants and accumulators, then the constants
	// the exp takes (the coefficients beyond these are loaded where used)
	resident := func(key string, off int) {
		v := pin()
		f.raw("FMOVQ\t%d(%s), F%d", off, regConsts, f.pinned[v])
		f.res[key] = v
	}
	var r smRegs
	resident("one", t.row(d2, "one"))
	r.m = pin()
	if k.row64 {
		r.nm = pin()
	}
	r.cv, r.idx, r.two, r.hi = pin(), pin(), pin(), pin()
	if k.row64 {
		r.lo = pin()
	}
	r.hiC = pin()
	if k.row64 {
		r.loC = pin()
	}
	f.raw("MOVD\tc+24(FP), %s", regTmp)
	f.raw("VDUP\t%s, V%d.D2", regTmp, f.pinned[r.cv])
	f.raw("MOVD\t$2, %s", regTmp)
	f.raw("VDUP\t%s, V%d.D2", regTmp, f.pinned[r.two])
	f.raw("FMOVQ\t%d(%s), F%d", t.offset("diota"), regConsts, f.pinned[r.idx]) // lane j holds j
	if k.row64 {
		resident("sm:lo64", t.offset("sm:lo64"))
		resident("sm:ibias64", t.offset("sm:ibias64"))
		resident("i127sh", t.row(d2, "i127sh"))
	} else {
		resident("sm:lo32", t.offset("sm:lo32"))
		resident("sm:ebiasm32", t.offset("sm:ebiasm32"))
		resident("magic", t.row(d2, "magic"))
	}
	// the multipliers by element, two to a register; the polynomial's
	// addends are loaded where used, into the register FMLA overwrites
	for i, pk := range smPacks[k.row64] {
		v := pin()
		f.raw("FMOVQ\t%d(%s), F%d", t.offset(smPackRow(k.row64, i)), regConsts, f.pinned[v])
		for lane, n := range pk {
			if n != "" {
				f.packed[n] = elem{v, lane}
			}
		}
	}
	f.pool()
	if err := f.flush(); err != nil {
		return "", err
	}
	k.rowMax(f, r, lay)
	for _, v := range []V{r.hi, r.lo, r.hiC, r.loC} { // hi's register held the maximum pass's lanes
		if v != 0 {
			f.raw("VEOR\tV%d.B16, V%d.B16, V%d.B16", f.pinned[v], f.pinned[v], f.pinned[v])
		}
	}
	loop, tail, done := name+"_loop", name+"_tail", name+"_reduced"
	f.label(loop)
	f.raw("CMP\t$2, %s", regN)
	f.raw("BLT\t%s", tail)
	k.body(f, r, false)
	f.raw("ADD\t$%d, %s", 2*k.size(), regX)
	f.raw("ADD\t$%d, %s", 2*k.size(), regSt)
	f.raw("SUB\t$2, %s", regN)
	f.raw("B\t%s", loop)
	if err := f.flush(); err != nil {
		return "", err
	}
	f.label(tail)
	f.raw("CBZ\t%s, %s", regN, done)
	k.body(f, r, true)
	if err := f.flush(); err != nil {
		return "", err
	}
	return f.end(done, func() error { return k.sums(f, r, lay) })
}

// rowMax emits the maximum pass: each lane keeps the largest element it
// has seen (fcmgt then BIT: a NaN element is not greater, so it is skipped
// as the model's maxRow skips it, quiet or signaling), a float32 row in
// four float32 lanes, and the last elements, fewer than a vector's, one at a
// time, replicated into every lane; then the lanes' maximum (no NaN is
// left), + 0 (a zero maximum is +0), into r.m and r.nm = -m, and stored as
// the result m.
func (k smKernel) rowMax(f *fn, r smRegs, lay layout) {
	s := shape{k.row64}
	name := k.name()
	acc := f.pin(f.pinned[r.hi]) // hi's register, free until the exps
	minf := f.consts.offset(pick(s, "sm:minf32", "sm:minf64"))
	f.raw("FMOVQ\t%d(%s), F%d", minf, regConsts, f.pinned[acc])
	f.raw("MOVD\t%s, %s", regX, regMx)
	f.raw("MOVD\t%s, %s", regN, regMn)
	loop, tail, done := name+"_maxloop", name+"_maxtail", name+"_maxdone"
	f.label(loop)
	f.raw("CMP\t$%d, %s", s.lanes(), regMn)
	f.raw("BLT\t%s", tail)
	b := &stream{f: f, s: s}
	v := b.load(regMx, 0)
	b.bitInto(acc, v, b.cmgt(v, acc))
	f.direct(b)
	f.raw("ADD\t$16, %s", regMx)
	f.raw("SUB\t$%d, %s", s.lanes(), regMn)
	f.raw("B\t%s", loop)
	f.label(tail)
	f.raw("CBZ\t%s, %s", regMn, done)
	b = &stream{f: f, s: s}
	v = b.add(&ins{dst: f.newV(), emit: func(d Reg, _ []Reg) string {
		return fmt.Sprintf("VLD1R.P\t%d(%s), [V%d.%s]", k.size(), regMx, d, s.goArr())
	}})
	b.bitInto(acc, v, b.cmgt(v, acc))
	f.direct(b)
	f.raw("SUB\t$1, %s", regMn)
	f.raw("B\t%s", tail)
	f.label(done)
	b = &stream{f: f, s: s}
	mx := b.fmax(acc, b.ext(acc, 8))
	if !k.row64 {
		mx = b.fmax(mx, b.ext(mx, 4))
	}
	at := fmt.Sprintf("m+%d(FP)", lay.off["m"])
	if k.row64 {
		b.assign(r.m, b.add2(mx, b.zero()))
		b.storeLane0(r.m, at, 8)
		b.assign(r.nm, b.neg(r.m))
	} else {
		mx = b.add2(mx, b.zero())
		b.storeLane0(mx, at, 4)
		b.assign(r.m, b.widen(mx, false))
	}
	f.direct(b)
	if err := f.flush(); err != nil {
		panic(err)
	}
}

// body emits one vector of the exp pass at regX (tail: its one element,
// lane 1 masked off): the model's loop body for lanes j0 and j0+1.
func (k smKernel) body(f *fn, r smRegs, tail bool) {
	b := f.stream()
	x := b.loadRow(k.row64, tail)
	eq := b.cmeq(x, r.m) // d = 0 where x = m, ±Inf included
	var d, dl V
	if k.row64 {
		// TwoSum(x, -m): d + dl = x - m exactly, as dd.TwoSum
		d = b.add2(x, r.nm)
		bb := b.sub(d, x)
		dl = b.add2(b.sub(x, b.sub(d, bb)), b.sub(r.nm, bb))
		d, dl = b.bic(d, eq), b.bic(dl, eq)
		dl = b.and(dl, b.cmeq0(b.sub(d, d))) // dl = 0 where d is ±Inf or NaN
	} else {
		d = b.bic(b.sub(x, r.m), eq)
	}
	e, elo := b.smExp(d, dl, k.row64)
	// the store, skipped where it is nil
	skip := fmt.Sprintf("%s_nostore%d", k.name(), map[bool]int{false: 0, true: 1}[tail])
	b.raw(fmt.Sprintf("CBZ\t%s, %s", regStBase, skip))
	b.add(&ins{skipOn: true})
	sv := e
	if k.row64 {
		sv = b.add2(e, elo) // with d's error in it, as the model stores it
	} else {
		sv = b.two(fcvtn, e)
	}
	op := pick(shape{k.row64}, "FMOVD", "FMOVQ")
	if tail {
		op = pick(shape{k.row64}, "FMOVS", "FMOVD")
	}
	b.add(&ins{src: []V{sv}, emit: func(_ Reg, s []Reg) string { return fmt.Sprintf("%s\tF%d, (%s)", op, s[0], regSt) }})
	b.label(skip)
	// the label's lane apart, the others accumulated (a masked lane adds +0,
	// which leaves an accumulator as it is: none is ever -0)
	lab := b.native("VCMEQ", "D2", r.idx, r.cv)
	em := b.bic(e, lab)
	var valid V
	if tail {
		valid = b.kx("tail64_1")
		em = b.and(em, valid)
	}
	if !k.row64 {
		b.assign(r.hiC, b.add2(r.hiC, b.and(e, lab)))
		b.assign(r.hi, b.add2(r.hi, em))
	} else {
		elm := b.bic(elo, lab)
		if tail {
			elm = b.and(elm, valid)
		}
		// TwoSum(hi, e), its error added to lo + elo
		s := b.add2(r.hi, em)
		bb := b.sub(s, r.hi)
		er := b.add2(b.sub(r.hi, b.sub(s, bb)), b.sub(em, bb))
		b.assign(r.lo, b.add2(b.add2(r.lo, elm), er))
		b.assign(r.hi, b.mov(s))
		b.bitInto(r.hiC, e, lab)
		b.bitInto(r.loC, elo, lab)
	}
	if !tail {
		b.assign(r.idx, b.iadd(r.idx, r.two))
	}
	f.direct(b)
}

// sums emits the results: the accumulators added across (model's
// SoftmaxHsum, SoftmaxHsumDD: lane 0 and lane 1).
func (k smKernel) sums(f *fn, r smRegs, lay layout) error {
	b := f.stream()
	if !k.row64 {
		b.storeLane0(b.two(faddp, r.hi), fmt.Sprintf("o+%d(FP)", lay.off["o"]), 8)
		b.storeLane0(b.two(faddp, r.hiC), fmt.Sprintf("ec+%d(FP)", lay.off["ec"]), 8)
		f.direct(b)
		return nil
	}
	for _, p := range [][2]V{{r.hi, r.lo}, {r.hiC, r.loC}} {
		hi, lo := p[0], p[1]
		h2, l2 := b.ext(hi, 8), b.ext(lo, 8)
		s := b.add2(hi, h2)
		bb := b.sub(s, hi)
		er := b.add2(b.sub(hi, b.sub(s, bb)), b.sub(h2, bb))
		l := b.add2(b.add2(lo, l2), er)
		names := [2]string{"ohi", "olo"}
		if hi == r.hiC {
			names = [2]string{"echi", "eclo"}
		}
		b.storeLane0(s, fmt.Sprintf("%s+%d(FP)", names[0], lay.off[names[0]]), 8)
		b.storeLane0(l, fmt.Sprintf("%s+%d(FP)", names[1], lay.off[names[1]]), 8)
	}
	f.direct(b)
	return nil
}
