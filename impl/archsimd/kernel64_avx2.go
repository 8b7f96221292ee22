//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/csum"
	"github.com/focalkernels/focal/impl/internal/model"
	"github.com/focalkernels/focal/impl/internal/rows"
)

// The AVX2 level's float64 kernel: kernel64AVX2, the hard form
// (model.ElemHard64) over a call's vectors, in the flat and the rows forms,
// with Sum's TwoSum and a vector with a soft target flagged for the caller,
// and its exp and log pieces (expArg64AVX2, expPoly64AVX2, poly4x64AVX2).

// kernel64AVX2 runs operation O at γ mode M in form F over x and t, as
// kernel32AVX2; Sum adds each lane with TwoSum and carries the rounding
// errors in a second vector, so that its error does not grow with len(x).
// With F = kRows (hard targets only: the caller leaves smoothing to the
// model) every lane is hard and hard is true.
func kernel64AVX2[O opKind, M modeKind, F formKind](loss, grad, x, t []float64, p *model.Params64, rk *rowsCall[float64]) (sum float64, hard bool) {
	op, mode, inRows := opOf[O](), modeOf[M](), formOf[F]() == formRows
	var bp bcast64AVX2
	bp.set(p)
	n := len(x)
	var next rowWalk // the rows' next vector (row n0, class c0)
	if !inRows {
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
	for i := 0; i < n; i += lanes64AVX2 {
		j := i + lanes64AVX2
		whole := j <= n
		var zero f64AVX2
		one := c64AVX2(jOne)
		var xv f64AVX2
		var h1, hv, ign m64AVX2
		rw := next
		if inRows {
			next = rk.next(rw)
			h1, ign = rowLabels64AVX2(rk, rw)
			if live := liveBits(n-i, full64AVX2); uint32(ign.ToBits())&live == live {
				rowSkip64AVX2[O](loss, grad, i, min(j, n))
				continue
			}
			if whole {
				xv = load64AVX2(x[i:j])
			} else {
				xv = loadPart64AVX2(x[i:])
			}
		} else {
			var tv f64AVX2
			if whole {
				xv, tv = load64AVX2(x[i:j]), load64AVX2(t[i:j])
			} else {
				xv, tv = loadPart64AVX2(x[i:]), loadPart64AVX2(t[i:])
			}
			h1 = tv.Equal(one)
			hv = tv.Equal(zero).Or(h1)
			allHard &= uint32(hv.ToBits())
		}
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
		// L = kf·ln2 + log(1+f) + c (model.Log1pE64): f - f²/2 + f³·P(f), P by
		// Estrin's scheme on its first 16 coefficients (in f, f², f⁴, f⁸) and
		// on its last 4, joined by f⁴, here rather than in a function: it would
		// pass the inliner's budget, and a call would spill the step's vectors.
		kf := one.Masked(big)
		f2 := f.Mul(f)
		f4 := f2.Mul(f2)
		pa := poly4x64AVX2(jP0, f, f2).MulAdd(f4, poly4x64AVX2(jP0+4, f, f2))
		pb := poly4x64AVX2(jP0+8, f, f2).MulAdd(f4, poly4x64AVX2(jP0+12, f, f2))
		pf := pa.MulAdd(f4.Mul(f4), pb)
		pf = pf.MulAdd(f4, poly4x64AVX2(jP0+16, f, f2))
		y := pf.MulAdd(f2.Mul(f), f2.Mul(c64AVX2(jMhalf))).Add(kf.MulAdd(c64AVX2(jLn2lo), c))
		l := kf.MulAdd(c64AVX2(jLn2hi), y.Add(f))
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
		var at, atLo f64AVX2
		if inRows {
			a1, a0, a1lo, a0lo := rowAlpha64AVX2(&rk.a.Tab, rw)
			at, atLo = a1.Merge(a0, h1), a1lo.Merge(a0lo, h1)
		} else {
			at = bp.get(pA1).Merge(bp.get(pA0), h1)
			atLo = bp.get(pA1lo).Merge(bp.get(pA0lo), h1)
		}
		maxf := c64AVX2(jMaxf)
		lv, amh, aml := loss64AVX2(mode, mode == model.Mode2, at, atLo, m, mLo, ce)

		var wv f64AVX2
		if inRows {
			if !whole && rk.wmode == rows.WeightElem {
				wv = loadPart64AVX2(rk.w[i:])
			} else {
				wv = rowWeights64AVX2(rk, rw, i)
			}
			lv = weigh64AVX2(lv, wv, ign)
		}
		switch op {
		case opSum:
			v := lv
			switch {
			case !inRows && !whole:
				v = lv.Masked(hv.And(first64AVX2(n - i)))
			case !inRows:
				v = lv.Masked(hv)
			case !whole:
				v = lv.Masked(first64AVX2(n - i))
			}
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
		if inRows {
			gv = weigh64AVX2(gv, wv, ign)
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
