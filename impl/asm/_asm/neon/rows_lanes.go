package neon

// A rows vector's lanes (rows.go has the form's layout): its position,
// labels, targets, class α and weights, and the weights' multiply.

import "fmt"

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
