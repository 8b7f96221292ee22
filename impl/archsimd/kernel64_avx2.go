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
// with Sum's blocks and TwoSum and a vector with a soft target flagged for the caller,
// and its exp and log pieces (expArg64AVX2, expPoly64AVX2, poly4x64AVX2).

// kernel64AVX2 runs operation O at γ mode M in form F over x and t, as
// kernel32AVX2; Sum adds blockVecs vectors in its lanes, then the block into
// the sums so far with TwoSum, carrying the rounding errors into the next
// block, so that its error does not grow with len(x).
// With F = kRows (hard targets only: the caller leaves smoothing to the
// model) every lane is hard and hard is true.
func kernel64AVX2[O opKind, M modeKind, F formKind](loss, grad, x, t []float64, p *model.Params64, rk *rowsCall[float64]) (sum float64, hard bool) {
	op, mode, inRows := opOf[O](), modeOf[M](), formOf[F]() == formRows
	var bp bcast64AVX2
	bp.set(p)
	n := len(x)
	var next rowWalk // the rows' next vector (row n0, class c0)
	loss, grad, t = cutTo(n, op, inRows, loss, grad, t)
	var acc, hi f64AVX2 // Sum: the block's lanes (and the flushes' errors), the sums so far
	blk := 0
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
			xv = get64AVX2(x, i, j, whole)
		} else {
			var tv f64AVX2
			xv, tv = get64AVX2(x, i, j, whole), get64AVX2(t, i, j, whole)
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

		m, mLo := pow64AVX2(mode, sz)
		if mode == model.ModeGen {
			h, lo := gammaLog64AVX2(&bp, z.Min(zero).Max(c64AVX2(jMzLo)), l)
			r, k := expArg64AVX2(h)
			lo = lo.Max(c64AVX2(jLoMin)).Min(c64AVX2(jLoMax))
			mp, mpLo := expPoly64AVX2(r.Add(lo))
			m, _ = scale64AVX2(mp, mpLo, k)
		}
		at, atLo := alpha64AVX2(inRows, rk, rw, &bp, h1)
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
			acc = acc.Add(v)
			if blk++; blk == blockVecs {
				hi, acc = flush64AVX2(acc, hi)
				blk = 0
			}
			continue
		case opLoss:
			put64AVX2(lv, loss, i, j, whole)
			continue
		}

		gv := grad64AVX2(mode, at, atLo, amh, aml, m, sz, snz, ce, bp.get(pG))
		gv = fromBits64AVX2(bits64AVX2(gv).Xor(sgn))
		if inRows {
			gv = weigh64AVX2(gv, wv, ign)
		}
		put64AVX2(lv, loss, i, j, whole)
		put64AVX2(gv, grad, i, j, whole)
	}
	if op == opSum {
		hi, acc = flush64AVX2(acc, hi)
		var s csum.Sum
		for _, v := range lanesOf64AVX2(hi) {
			s.Add(v)
		}
		sum = s.Value()
		if !math.IsInf(sum, 0) && sum == sum {
			// finite lanes have finite errors (an infinite or NaN loss
			// makes its lane's error NaN, and the sum is that lane's)
			for _, v := range lanesOf64AVX2(acc) {
				s.Add(v)
			}
			sum = s.Value()
		}
	}
	return sum, allHard == full64AVX2
}

// flush64AVX2 adds a block's lanes (acc) to the sums so far (hi) by TwoSum:
// it returns the new sums and the addition's errors, which start the next
// block, so that hi + acc is a lane's sum but for the roundings of the
// blocks' own additions (within about 7·2^-53 of it, relative, the losses
// being positive).
func flush64AVX2(acc, hi f64AVX2) (s, err f64AVX2) {
	s = hi.Add(acc)
	bb := s.Sub(hi)
	return s, hi.Sub(s.Sub(bb)).Add(acc.Sub(bb))
}
