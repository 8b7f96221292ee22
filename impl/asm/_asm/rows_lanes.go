package main

// A rows kernel's step (rows.go has the form's layout): the row and class
// it advances, each lane's label, target, class α and weight, and the body
// between them.

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// advance adds the vector stride (q, r of dims) to the row n and class c:
// c += r, n += q, and where c reaches C, c -= C and n++ (branch-free).
func (g *gen) advance(rs *rowsState, n, c reg.GPVirtual, dq, dr int) {
	ADDQ(g.dim(rs, dq), n)
	ADDQ(g.dim(rs, dr), c)
	t, b := GP64(), GP64()
	MOVQ(c, t)
	SUBQ(g.dim(rs, dimC), t) // CF: c < C
	SBBQ(b, b)               // -CF; CF kept
	CMOVQCC(t, c)
	LEAQ(Mem{Base: n, Index: b, Scale: 1, Disp: 1}, n)
}

// tabAt returns table k's entries from vector i's class on.
func (g *gen) tabAt(rs *rowsState, k, i int) Mem {
	scale := uint8(esize())
	if k >= 4 {
		scale = 4
		if k == 6 {
			scale = 8
		}
	}
	return Mem{Base: rs.tab, Index: rs.cr[i], Scale: scale, Disp: tabOff(k)}
}

// rowLabels returns each vector's lanes' row labels (32-bit integers in the
// vector's low half for float64), kept in registers on AVX-512 and stored to
// slots on AVX2.
func (g *gen) rowLabels(rs *rowsState, slots []Mem) []slot {
	out := make([]slot, g.u)
	for i := 0; i < g.u; i++ {
		lb := GP64()
		MOVQ(sliceBase("labels"), lb)
		src := Mem{Base: lb, Index: rs.nr[i], Scale: 4}
		idx, lab := g.vec(), g.vec()
		switch {
		case !f64 && g.avx512():
			VMOVDQU32(g.tabAt(rs, 5, i), idx)
			VPERMD(src, idx, lab)
		case !f64:
			VMOVDQU(g.tabAt(rs, 5, i), idx)
			VPERMD(src, idx, lab)
		case g.avx512():
			VMOVDQU32(g.tabAt(rs, 5, i), idx.AsY())
			VPERMD(src, idx.AsY(), lab.AsY())
		default:
			// 8 labels (the Go side keeps rowsMaxW readable) and 8
			// indices, of which the low 4 serve: a 128-bit load would leave
			// the register's upper half live from the entry (avo's liveness)
			VMOVDQU(g.tabAt(rs, 5, i), idx)
			VPERMD(src, idx, lab)
		}
		if g.avx512() {
			out[i] = slot{v: V{lab}}
		} else {
			VMOVDQU(lab, slots[i])
			out[i] = slot{m: MS{slots[i]}}
		}
	}
	return out
}

// labOf returns vector i's labels in a register.
func (g *gen) labOf(lab []slot, i int) reg.VecVirtual {
	if lab[i].m == nil {
		return lab[i].v[0]
	}
	v := g.vec()
	VMOVDQU(lab[i].m[0], v)
	return v
}

// ignMask returns vector i's ignored lanes: a K register (AVX-512) or a
// vector of all-ones lanes at the element width (AVX2).
func (g *gen) ignMask(lab []slot, i int) masks {
	l := g.labOf(lab, i)
	if g.avx512() {
		k := K()
		if f64 {
			VPMOVD2M(l.AsY(), k)
		} else {
			VPMOVD2M(l, k)
		}
		return masks{k: KS{k}}
	}
	m := g.vec()
	if f64 {
		VPSRAD(U8(31), l.AsX(), m.AsX())
		VPMOVSXDQ(m.AsX(), m)
	} else {
		VPSRAD(U8(31), l, m)
	}
	return masks{v: V{m}}
}

// allIgnored jumps to skip if every lane of the step's vectors is ignored.
func (g *gen) allIgnored(lab []slot, skip string) {
	if g.avx512() {
		var acc reg.OpmaskVirtual
		for i := 0; i < g.u; i++ {
			k := g.ignMask(lab, i).k[0]
			if acc == nil {
				acc = k
			} else {
				KANDW(k, acc, acc)
			}
		}
		KORTEST(acc, acc)
		JCS(LabelRef(skip)) // CF: every lane set
		return
	}
	r := GP32()
	for i := 0; i < g.u; i++ {
		l := g.labOf(lab, i)
		ri := r
		if i > 0 {
			ri = GP32()
		}
		if f64 {
			m := g.vec()
			VPMOVSXDQ(l.AsX(), m)
			VMOVMSKPD(m, ri)
		} else {
			VMOVMSKPS(l, ri)
		}
		if i > 0 {
			ANDL(ri, r)
		}
	}
	CMPL(r, U8(g.fullMask()))
	JE(LabelRef(skip))
}

// anyLabeled jumps to labeled if a lane of the step's vectors is on its
// row's label (the compare rowTargets makes).
func (g *gen) anyLabeled(rs *rowsState, lab []slot, labeled string) {
	if g.avx512() {
		var acc reg.OpmaskVirtual
		for i := 0; i < g.u; i++ {
			k := g.onLabel(rs, lab, i).(reg.OpmaskVirtual)
			if acc == nil {
				acc = k
			} else {
				KORW(k, acc, acc)
			}
		}
		KORTEST(acc, acc)
		JNE(LabelRef(labeled)) // ZF = 0: a lane set
		return
	}
	var acc reg.VecVirtual
	for i := 0; i < g.u; i++ {
		pos := g.onLabel(rs, lab, i).(reg.VecVirtual)
		switch {
		case acc == nil:
			acc = pos
		case f64: // the low half alone: avo takes a read of the upper one for a live value
			VPOR(pos.AsX(), acc.AsX(), acc.AsX())
		default:
			VPOR(pos, acc, acc)
		}
	}
	if f64 {
		VPTEST(acc.AsX(), acc.AsX())
	} else {
		VPTEST(acc, acc)
	}
	JNE(LabelRef(labeled)) // ZF = 0: a lane set
}

// onLabel returns vector i's lanes on their row's label, its labels
// compared with the class table: a K register on AVX-512, on AVX2 a vector
// of 32-bit lanes (float64's four in its low half).
func (g *gen) onLabel(rs *rowsState, lab []slot, i int) Op {
	l := g.labOf(lab, i)
	switch {
	case g.avx512() && f64:
		k := K()
		VPCMPEQD(g.tabAt(rs, 4, i), l.AsY(), k)
		return k
	case g.avx512():
		k := K()
		VPCMPEQD(g.tabAt(rs, 4, i), l, k)
		return k
	}
	pos := g.vec()
	if f64 {
		VPCMPEQD(g.tabAt(rs, 4, i), l.AsX(), pos.AsX())
	} else {
		VPCMPEQD(g.tabAt(rs, 4, i), l, pos)
	}
	return pos
}

// rowTargets returns each vector's targets: t1 where the lane's class is its
// row's label, t0 elsewhere (1 and 0 without smoothing).
func (g *gen) rowTargets(rs *rowsState, lab []slot) V {
	t := g.newV()
	for i := 0; i < g.u; i++ {
		if g.avx512() {
			k := g.onLabel(rs, lab, i).(reg.OpmaskVirtual)
			if rs.smooth {
				VBLENDMP(rs.t1, rs.t0, k, t[i])
			} else {
				VBROADCASTS_Z(c("one"), k, t[i])
			}
			continue
		}
		pos := g.onLabel(rs, lab, i).(reg.VecVirtual)
		if f64 {
			VPMOVSXDQ(pos.AsX(), pos)
		}
		if rs.smooth {
			t0 := g.vec()
			VMOVUP(rs.t0, t0)
			VBLENDVP(pos, rs.t1, t0, t[i])
		} else {
			VANDP(c("one"), pos, t[i])
		}
	}
	return t
}

// rowBody runs the hard or the general body on x and t with the class α
// read from the tables, and returns the loss, the gradient (LossGrad) and
// the flagged lanes (the general body's).
func (g *gen) rowBody(rs *rowsState, o op, x, t V, xp reg.GPVirtual, tail bool) (loss, grad V, flag masks) {
	a := func(k int) MS {
		m := make(MS, g.u)
		for i := range m {
			m[i] = g.tabAt(rs, k, i)
		}
		return m
	}
	g.a1, g.a0, g.a1lo, g.a0lo = a(0), a(1), a(2), a(3)
	if !rs.smooth {
		g.staggered(g.lag(false), func() { loss, grad = g.body(x, t, o == opLossGrad) })
		return loss, grad, masks{}
	}
	g.nextSlot = 0
	g.xs, g.ts = slot{v: x}, slot{v: t}
	if !g.avx512() {
		// x is read again from the input, but in the tail, where a whole
		// vector of it would reach past the end: there from the stack
		g.xs = slot{m: make(MS, g.u)}
		for i := 0; i < g.u; i++ {
			g.xs.m[i] = Mem{Base: xp, Disp: esize() * g.lanes() * i}
		}
		if tail {
			g.xs = g.spill(x)
		}
		if t != nil {
			g.ts = g.spill(t)
		}
	}
	if rs.two {
		g.two = true
		g.staggered(g.lag(true), func() {
			var pos masks
			if !g.noLabel {
				pos = g.cmp(0, rs.t1, t)
			}
			loss, grad, _ = g.twoBody(x, t, pos, o == opLossGrad, false)
		})
		g.two = false
		return loss, grad, masks{}
	}
	g.staggered(g.lag(true), func() { loss, grad, flag = g.softBody(x, t, o) })
	return loss, grad, flag
}

// rowWeights multiplies loss and grad by each lane's weight (by the weight
// mode, a branch per step) and clears the lanes of ignored rows, of weight 0
// and (with valid) past the end. It returns the lanes kept.
func (g *gen) rowWeights(rs *rowsState, prefix string, o op, loss, grad V, lab []slot, xp reg.GPVirtual, valid masks) masks {
	none, row, apply := prefix+"_wnone", prefix+"_wrow", prefix+"_wapply"
	w := g.newV()
	CMPQ(g.dim(rs, dimWMode), U8(wRow))
	JB(LabelRef(none))
	JE(LabelRef(row))
	d := GP64()
	MOVQ(g.wDelta(rs), d)
	for i := 0; i < g.u; i++ {
		src := Mem{Base: xp, Index: d, Scale: 1, Disp: esize() * g.lanes() * i}
		if valid.k != nil {
			VMOVUP_Z(src, valid.k[i], w[i])
		} else if valid.v != nil {
			VMASKMOVP(src, valid.v[i], w[i])
		} else {
			VMOVUP(src, w[i])
		}
	}
	JMP(LabelRef(apply))
	Label(row)
	for i := 0; i < g.u; i++ {
		wb := GP64()
		MOVQ(sliceBase("w"), wb)
		src := Mem{Base: wb, Index: rs.nr[i], Scale: uint8(esize())}
		idx := g.vec()
		switch {
		case !f64 && g.avx512():
			VMOVDQU32(g.tabAt(rs, 5, i), idx)
			VPERMPS(src, idx, w[i])
		case !f64:
			VMOVDQU(g.tabAt(rs, 5, i), idx)
			VPERMPS(src, idx, w[i])
		case g.avx512():
			VMOVDQU32(g.tabAt(rs, 6, i), idx)
			VPERMD(src, idx, w[i])
		default:
			VMOVDQU(g.tabAt(rs, 6, i), idx)
			VPERMD(src, idx, w[i])
		}
	}
	JMP(LabelRef(apply))
	// no weights: only the ignored lanes (and those past the end) cleared
	Label(none)
	keep := g.keepLanes(lab, nil, valid)
	g.eachOutput(loss, grad, func(v V, i int) {
		if g.avx512() {
			VMOVAP_Z(v[i], keep.k[i], v[i])
		} else {
			VANDP(keep.v[i], v[i], v[i])
		}
	})
	end := prefix + "_wend"
	JMP(LabelRef(end))
	Label(apply)
	keepW := g.keepLanes(lab, w, valid)
	g.eachOutput(loss, grad, func(v V, i int) {
		switch {
		case g.avx512() && f64:
			VMULPD_Z(w[i], v[i], keepW.k[i], v[i])
		case g.avx512():
			VMULPS_Z(w[i], v[i], keepW.k[i], v[i])
		default:
			VMULP(w[i], v[i], v[i])
			VANDP(keepW.v[i], v[i], v[i])
		}
	})
	// the kept lanes of either branch, in one set of registers
	if g.avx512() {
		for i := 0; i < g.u; i++ {
			KMOVW(keepW.k[i], keep.k[i])
		}
	} else {
		for i := 0; i < g.u; i++ {
			VMOVDQU(keepW.v[i], keep.v[i])
		}
	}
	Label(end)
	return keep
}

// eachOutput calls f on each of the step's g.u vectors i of loss and then
// of grad, where it is set.
func (g *gen) eachOutput(loss, grad V, f func(v V, i int)) {
	for _, v := range []V{loss, grad} {
		if v == nil {
			continue
		}
		for i := 0; i < g.u; i++ {
			f(v, i)
		}
	}
}

// keepLanes returns the lanes that are not ignored, whose weight (if w is
// set) is not 0, and (with valid) that are before the end.
func (g *gen) keepLanes(lab []slot, w V, valid masks) masks {
	var out masks
	for i := 0; i < g.u; i++ {
		ign := g.ignMask(lab, i)
		if g.avx512() {
			k := K()
			KNOTW(ign.k[0], k)
			if valid.k != nil {
				KANDW(valid.k[i], k, k)
			}
			if w != nil {
				VCMPP(U8(4), c("zero"), w[i], k, k) // w ≠ 0, within k
			}
			out.k = append(out.k, k)
			continue
		}
		m := g.vec()
		if w != nil {
			VCMPP(U8(4), c("zero"), w[i], m) // w ≠ 0
			VANDNP(m, ign.v[0], m)           // and not ignored
		} else {
			VPCMPEQD(m, m, m)
			VXORP(ign.v[0], m, m)
		}
		if valid.v != nil {
			VANDP(valid.v[i], m, m)
		}
		out.v = append(out.v, m)
	}
	return out
}

// addRowFlags adds the flagged lanes that are kept to the function's flags.
func (g *gen) addRowFlags(flag, keep masks) {
	if !g.flagged || (flag.k == nil && flag.v == nil) {
		return
	}
	for i := 0; i < g.u; i++ {
		if g.avx512() {
			k := K()
			KANDW(keep.k[i], g.kOf(masks{k: KS{flag.k[i]}})[0], k)
			KORW(k, g.flagK, g.flagK)
		} else {
			m := g.vec()
			VANDP(keep.v[i], flag.v[i], m)
			r := GP32()
			VMOVMSKP(m, r)
			ORL(r, g.flagGP)
		}
	}
}
