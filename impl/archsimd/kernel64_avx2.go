//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/rows"
)

// The float64 kernel of the AVX2 level: elemHard64 (model64.go) lane by lane,
// the same operations in the same order, written as kernel32_avx2.go's (see
// there for the negated fma operands, the selections and the NaN-keeping
// clamp). The AVX-512 kernel is this file with the level's name replaced
// (gen.go).

// kernel64AVX2 runs operation O at γ mode M over x and t, as kernel32AVX2;
// Sum adds each lane with TwoSum and carries the rounding errors in a second
// vector, so that its error does not grow with len(x).
func kernel64AVX2[O opKind, M modeKind, R formKind](loss, grad, x, t []float64, p *params64, rw *rowsIn[float64]) (sum float64, hard bool) {
	op, mode, form := opOf[O](), modeOf[M](), formOf[R]()
	var bp bcast64AVX2
	bp.set(p)
	n := len(x)
	var rp rowPos
	if form == formFlat {
		t = t[:n]
	}
	if op != opSum {
		loss = loss[:n]
	}
	if op == opLossGrad {
		grad = grad[:n]
	}
	var acc, accLo f64AVX2
	allHard := uint32(full64AVX2)
	for i := 0; i < n; i, rp = i+lanes64AVX2, rw.step(form, rp) {
		j := i + lanes64AVX2
		whole := j <= n
		var zero f64AVX2
		one := c64AVX2(jOne)
		var xv, tv, a1, a0, a1lo, a0lo, w f64AVX2
		var keep m64AVX2
		if whole {
			xv = load64AVX2(x[i:j])
		} else {
			xv = loadPart64AVX2(x[i:])
		}
		if form == formRows {
			// the targets (hard: the Go side leaves smoothed ones to the
			// model), class α, weights and kept lanes of the lanes' rows
			var pos m64AVX2
			pos, keep = rowLab64AVX2(rw.labels, rp.n, &rw.a.Tab, rp.c)
			if !whole {
				keep = keep.And(first64AVX2(n - i))
			}
			tv = one.Masked(pos)
			a1, a0 = rowTab64AVX2(&rw.a.Tab.A1, rp.c), rowTab64AVX2(&rw.a.Tab.A0, rp.c)
			a1lo, a0lo = rowTab64AVX2(&rw.a.Tab.A1lo, rp.c), rowTab64AVX2(&rw.a.Tab.A0lo, rp.c)
			w = one
			switch rw.a.Dims[5] {
			case rows.WeightRow:
				w = rowW64AVX2(rw.w, rp.n, &rw.a.Tab, rp.c)
			case rows.WeightElem:
				if whole {
					w = load64AVX2(rw.w[i:j])
				} else {
					w = loadPart64AVX2(rw.w[i:])
				}
			}
			keep = keep.And(w.NotEqual(zero))
		} else {
			if whole {
				tv = load64AVX2(t[i:j])
			} else {
				tv = loadPart64AVX2(t[i:])
			}
			a1, a0, a1lo, a0lo = bp.get(pA1), bp.get(pA0), bp.get(pA1lo), bp.get(pA0lo)
		}

		h1 := tv.Equal(one)
		hv := tv.Equal(zero).Or(h1)
		allHard &= uint32(hv.ToBits())
		sign := bits64AVX2(c64AVX2(jSign))
		sgn := sign.Masked(h1)
		z := fromBits64AVX2(bits64AVX2(xv).Xor(sgn))  // z = ±x
		na := fromBits64AVX2(bits64AVX2(xv).Or(sign)) // -|z|
		r, k := expArg64AVX2(na)
		ep, epLo := expPoly64AVX2(r)
		e, el := scale64AVX2(ep, epLo, k) // exp(-|z|) = e + el
		u := one.Add(e)
		rcp := one.Div(u)
		c := e.Sub(u.Sub(one)).Add(el).Mul(rcp)
		r1 := c64AVX2(jMone).Sub(e).MulAdd(rcp, one) // fma(-u, rcp, 1)
		rc := rcp.MulAdd(r1.Sub(c), rcp)
		sn := e.MulAdd(rc, el.Mul(rc))
		neg := bits64AVX2(z).Less(i64AVX2{})
		sz, snz := sn.Merge(rc, neg), rc.Merge(sn, neg) // σ(z), σ(-z)
		big := u.Greater(c64AVX2(jSqrt2))
		f := u.MulAdd(c64AVX2(jHalf), c64AVX2(jMone)).Merge(u.Sub(one), big)
		l, lLo := log64AVX2(f, one.Masked(big), c)
		ce := z.Max(zero).Add(l)

		var m, mLo f64AVX2
		switch mode {
		case mode1:
			m = sz
		case mode2:
			m = sz.Mul(sz)
			mLo = sz.MulAdd(sz, fromBits64AVX2(bits64AVX2(m).Xor(sign)))
		case modeGen:
			g, ng := bp.get(pG), bp.get(pNg)
			mz := z.Min(zero).Max(c64AVX2(jMzLo))
			nh1 := ng.Mul(mz)
			l1 := g.MulAdd(mz, nh1)
			nh2 := ng.Mul(l)
			l2 := g.MulAdd(l, nh2)
			h := nh2.Sub(nh1)
			bb := h.Add(nh1)
			er := nh2.Sub(bb).Sub(nh1.Add(h.Sub(bb)))
			lo := l1.Sub(l2).Add(er)
			lo = ng.MulAdd(lLo, lo) // γ·L's lower part
			r, k := expArg64AVX2(h)
			lo = lo.Max(c64AVX2(jLoMin)).Min(c64AVX2(jLoMax))
			mp, mpLo := expPoly64AVX2(r.Add(lo))
			m, _ = scale64AVX2(mp, mpLo, k)
		}
		at := a1.Merge(a0, h1)
		atLo := a1lo.Merge(a0lo, h1)
		maxf := c64AVX2(jMaxf)
		var lv, amh, aml f64AVX2
		switch mode {
		case mode0:
			lv = at.MulAdd(ce, atLo.Mul(ce.Min(maxf)))
		case modeGen:
			mc := m.Mul(ce)
			lv = at.MulAdd(mc, atLo.Mul(mc.Min(maxf)))
		default:
			amh = at.Mul(m)
			aml = at.MulAdd(m, fromBits64AVX2(bits64AVX2(amh).Xor(sign)))
			if mode == mode2 {
				aml = at.MulAdd(mLo, aml)
			}
			aml = atLo.MulAdd(m, aml)
			lv = amh.MulAdd(ce, aml.Mul(ce.Min(maxf)))
		}

		if form == formRows {
			lv = lv.Mul(w).Masked(keep) // weighed; 0 where not kept
		}
		switch op {
		case opSum:
			if !whole {
				hv = hv.And(first64AVX2(n - i))
			}
			v := lv.Masked(hv)
			s := acc.Add(v) // TwoSum
			bb := s.Sub(acc)
			accLo = accLo.Add(acc.Sub(s.Sub(bb)).Add(v.Sub(bb)))
			acc = s
			continue
		case opLoss:
			if whole {
				store64AVX2(lv, loss[i:j])
			} else {
				storePart64AVX2(lv, loss[i:])
			}
			continue
		}

		var gv f64AVX2
		if mode == mode0 {
			gv = at.MulAdd(sz, atLo.Mul(sz))
		} else {
			inner := bp.get(pG).Mul(snz).MulAdd(ce.Min(maxf), sz)
			if mode == modeGen {
				mi := m.Mul(inner)
				gv = at.MulAdd(mi, atLo.Mul(mi))
			} else {
				gv = amh.MulAdd(inner, aml.Mul(inner))
			}
		}
		gv = fromBits64AVX2(bits64AVX2(gv).Xor(sgn))
		if form == formRows {
			gv = gv.Mul(w).Masked(keep)
		}
		if whole {
			store64AVX2(lv, loss[i:j])
			store64AVX2(gv, grad[i:j])
		} else {
			storePart64AVX2(lv, loss[i:])
			storePart64AVX2(gv, grad[i:])
		}
	}
	if op == opSum {
		var s neumaier
		for _, v := range lanesOf64AVX2(acc) {
			s.add(v)
		}
		sum = s.s
		if !math.IsInf(sum, 0) && sum == sum {
			// finite lanes have finite errors (an infinite or NaN loss
			// makes its lane's error NaN, and the sum is that lane's)
			for _, v := range lanesOf64AVX2(accLo) {
				s.add(v)
			}
			sum = s.sum()
		}
	}
	return sum, allHard == full64AVX2
}

// expArg64AVX2 is expArg64 (a NaN h stays NaN).
func expArg64AVX2(h f64AVX2) (r, k f64AVX2) {
	lim := c64AVX2(jExpLo)
	h = lim.Merge(h, h.Less(lim))
	k = round64AVX2(h.Mul(c64AVX2(jLog2e)))
	r = k.MulAdd(c64AVX2(jNln2hi), h)
	return k.MulAdd(c64AVX2(jNln2lo), r), k
}

// expPoly64AVX2 is expPoly64.
func expPoly64AVX2(r f64AVX2) (p, pLo f64AVX2) {
	r2 := r.Mul(r)
	r4 := r2.Mul(r2)
	p01 := c64AVX2(jEq1).MulAdd(r, c64AVX2(jEq0))
	p23 := c64AVX2(jEq3).MulAdd(r, c64AVX2(jEq2))
	p45 := c64AVX2(jEq5).MulAdd(r, c64AVX2(jEq4))
	p67 := c64AVX2(jEq7).MulAdd(r, c64AVX2(jEq6))
	p89 := c64AVX2(jEq9).MulAdd(r, c64AVX2(jEq8))
	pab := c64AVX2(jEq11).MulAdd(r, c64AVX2(jEq10))
	q0 := p23.MulAdd(r2, p01)
	q1 := p67.MulAdd(r2, p45)
	q2 := pab.MulAdd(r2, p89)
	q := q2.MulAdd(r4, q1)
	q = q.MulAdd(r4, q0)
	s := q.MulAdd(r2, r)
	one := c64AVX2(jOne)
	p = s.Add(one)
	return p, s.Sub(p.Sub(one))
}

// log64AVX2 is log64: L + Llo = kf·ln2 + log(1+f) + c.
func log64AVX2(f, kf, c f64AVX2) (l, lLo f64AVX2) {
	s := f.Div(c64AVX2(jTwo).Add(f))
	z := s.Mul(s)
	w := z.Mul(z)
	t1 := c64AVX2(jLg7).MulAdd(w, c64AVX2(jLg5)).MulAdd(w, c64AVX2(jLg3)).MulAdd(w, c64AVX2(jLg1))
	t2 := c64AVX2(jLg6).MulAdd(w, c64AVX2(jLg4)).MulAdd(w, c64AVX2(jLg2))
	r := t1.MulAdd(z, t2.Mul(w))
	nh := f.Mul(f).Mul(c64AVX2(jMhalf))
	y := s.MulAdd(r.Sub(nh), nh)
	y = y.Add(kf.MulAdd(c64AVX2(jLn2lo), c))
	v := y.Add(f)
	vLo := y.Sub(v.Sub(f))
	a := kf.Mul(c64AVX2(jLn2hi))
	l = a.Add(v)
	return l, a.Sub(l).Add(v).Add(vLo)
}
