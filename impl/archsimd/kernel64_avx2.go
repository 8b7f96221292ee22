//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/csum"
	"github.com/focalkernels/focal/impl/internal/model"
)

// The float64 kernel of the AVX2 level: model.ElemHard64 (impl/asm's float64
// lanes: exp of degree 13, log1p with a degree-19 polynomial) lane by lane,
// the same operations in the same order, written as kernel32_avx2.go's (see
// there for the negated fma operands, the selections and the NaN-keeping
// clamp). A vector with a soft target is left to the caller, which computes
// its soft elements with the model's scalar general form. The AVX-512 kernel
// is this file with the level's name replaced (gen.go).

// kernel64AVX2 runs operation O at γ mode M over x and t, as kernel32AVX2;
// Sum adds each lane with TwoSum and carries the rounding errors in a second
// vector, so that its error does not grow with len(x).
func kernel64AVX2[O opKind, M modeKind](loss, grad, x, t []float64, p *model.Params64) (sum float64, hard bool) {
	op, mode := opOf[O](), modeOf[M]()
	var bp bcast64AVX2
	bp.set(p)
	n := len(x)
	t = t[:n]
	if op != opSum {
		loss = loss[:n]
	}
	if op == opLossGrad {
		grad = grad[:n]
	}
	var acc, accLo f64AVX2
	allHard := uint32(full64AVX2)
	for i := 0; i < n; i += lanes64AVX2 {
		j := i + lanes64AVX2
		whole := j <= n
		var xv, tv f64AVX2
		if whole {
			xv, tv = load64AVX2(x[i:j]), load64AVX2(t[i:j])
		} else {
			xv, tv = loadPart64AVX2(x[i:]), loadPart64AVX2(t[i:])
		}

		var zero f64AVX2
		one := c64AVX2(jOne)
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
		big := u.Greater(c64AVX2(jSqrt2))               // log(u): u/2 where u > √2, exactly
		f := u.MulAdd(c64AVX2(jHalf), c64AVX2(jMone)).Merge(u.Sub(one), big)
		l := log1p64AVX2(f, one.Masked(big), c)
		ce := z.Max(zero).Add(l)

		var m, mLo f64AVX2
		switch mode {
		case model.Mode1:
			m = sz
		case model.Mode2:
			m = sz.Mul(sz)
			mLo = sz.MulAdd(sz, fromBits64AVX2(bits64AVX2(m).Xor(sign)))
		case model.ModeGen:
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
			r, k := expArg64AVX2(h)
			lo = lo.Max(c64AVX2(jLoMin)).Min(c64AVX2(jLoMax))
			mp, mpLo := expPoly64AVX2(r.Add(lo))
			m, _ = scale64AVX2(mp, mpLo, k)
		}
		at := bp.get(pA1).Merge(bp.get(pA0), h1)
		atLo := bp.get(pA1lo).Merge(bp.get(pA0lo), h1)
		maxf := c64AVX2(jMaxf)
		var lv, amh, aml f64AVX2
		switch mode {
		case model.Mode0:
			lv = at.MulAdd(ce, atLo.Mul(ce.Min(maxf)))
		case model.ModeGen:
			mc := m.Mul(ce)
			lv = at.MulAdd(mc, atLo.Mul(mc.Min(maxf)))
		default:
			amh = at.Mul(m)
			aml = at.MulAdd(m, fromBits64AVX2(bits64AVX2(amh).Xor(sign)))
			if mode == model.Mode2 {
				aml = at.MulAdd(mLo, aml)
			}
			aml = atLo.MulAdd(m, aml)
			lv = amh.MulAdd(ce, aml.Mul(ce.Min(maxf)))
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
		if mode == model.Mode0 {
			gv = at.MulAdd(sz, atLo.Mul(sz))
		} else {
			inner := bp.get(pG).Mul(snz).MulAdd(ce.Min(maxf), sz)
			if mode == model.ModeGen {
				mi := m.Mul(inner)
				gv = at.MulAdd(mi, atLo.Mul(mi))
			} else {
				gv = amh.MulAdd(inner, aml.Mul(inner))
			}
		}
		gv = fromBits64AVX2(bits64AVX2(gv).Xor(sgn))
		if whole {
			store64AVX2(lv, loss[i:j])
			store64AVX2(gv, grad[i:j])
		} else {
			storePart64AVX2(lv, loss[i:])
			storePart64AVX2(gv, grad[i:])
		}
	}
	if op == opSum {
		var s csum.Sum
		for _, v := range lanesOf64AVX2(acc) {
			s.Add(v)
		}
		sum = s.Value()
		if !math.IsInf(sum, 0) && sum == sum {
			// finite lanes have finite errors (an infinite or NaN loss
			// makes its lane's error NaN, and the sum is that lane's)
			for _, v := range lanesOf64AVX2(accLo) {
				s.Add(v)
			}
			sum = s.Value()
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

// expPoly64AVX2 returns exp(r) for |r| ≤ ln2/2 as p + pLo, pLo the exact
// error of p's last addition: 1 + r + r²·Q(r), Q as pairs c·r + c' in
// Horner's scheme in r² (model.ExpSplit64).
func expPoly64AVX2(r f64AVX2) (p, pLo f64AVX2) {
	r2 := r.Mul(r)
	q := c64AVX2(jQ0).MulAdd(r, c64AVX2(jQ0+1))
	q = q.MulAdd(r2, c64AVX2(jQ0+2).MulAdd(r, c64AVX2(jQ0+3)))
	q = q.MulAdd(r2, c64AVX2(jQ0+4).MulAdd(r, c64AVX2(jQ0+5)))
	q = q.MulAdd(r2, c64AVX2(jQ0+6).MulAdd(r, c64AVX2(jQ0+7)))
	q = q.MulAdd(r2, c64AVX2(jQ0+8).MulAdd(r, c64AVX2(jQ0+9)))
	q = q.MulAdd(r2, c64AVX2(jQ0+10).MulAdd(r, c64AVX2(jQ0+11)))
	s := q.MulAdd(r2, r)
	one := c64AVX2(jOne)
	p = s.Add(one)
	return p, s.Sub(p.Sub(one))
}

// log1p64AVX2 returns kf·ln2 + log(1+f) + c for f ∈ [√½-1, √2-1]
// (model.Log1pE64): f - f²/2 + f³·P(f), P by Estrin's scheme on its first
// 16 coefficients (in f, f², f⁴ and f⁸) and Horner's on the last 4.
func log1p64AVX2(f, kf, c f64AVX2) f64AVX2 {
	z := f.Mul(f)
	z4 := z.Mul(z)
	z8 := z4.Mul(z4)
	a := poly4x64AVX2(jP0, f, z).MulAdd(z4, poly4x64AVX2(jP0+4, f, z))
	b := poly4x64AVX2(jP0+8, f, z).MulAdd(z4, poly4x64AVX2(jP0+12, f, z))
	p := a.MulAdd(z8, b)
	p = p.MulAdd(f, c64AVX2(jP0+16))
	p = p.MulAdd(f, c64AVX2(jP0+17))
	p = p.MulAdd(f, c64AVX2(jP0+18))
	p = p.MulAdd(f, c64AVX2(jP0+19))
	f3 := z.Mul(f)
	hz := z.Mul(c64AVX2(jMhalf))
	cl := kf.MulAdd(c64AVX2(jLn2lo), c)
	y := p.MulAdd(f3, hz).Add(cl)
	w := y.Add(f)
	return kf.MulAdd(c64AVX2(jLn2hi), w)
}

// poly4x64AVX2 returns the four coefficients of P from i on at f by Estrin's
// scheme: (c0·f + c1)·f² + (c2·f + c3).
func poly4x64AVX2(i int, f, z f64AVX2) f64AVX2 {
	return c64AVX2(i).MulAdd(f, c64AVX2(i+1)).MulAdd(z, c64AVX2(i+2).MulAdd(f, c64AVX2(i+3)))
}
