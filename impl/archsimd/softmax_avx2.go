//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"math"
	"simd/archsimd"

	"github.com/focalkernels/focal/impl/internal/model"
)

// The softmax lanes of the AVX2 level: model.SoftmaxReduce32,
// SoftmaxReduce64, SoftmaxScale32, SoftmaxScale64 and SoftmaxEpiLanes32
// (impl/asm's _asm/softmax.go and softmax_epi.go in Go intrinsics) with
// lanes64AVX2 float64 lanes, the same operations in the same order, and
// impl/asm's plain and narrow steps. The last vector of a row loads and
// stores by masked moves (loadPart…, storePart…) and its lanes past the end
// are masked out of every sum. The AVX-512 lanes are this file with the
// level's name replaced (gen.go).

// rowMax32AVX2 returns the largest non-NaN element of x (-Inf if none), + 0.
func rowMax32AVX2(x []float32) float32 {
	var a [lanes32AVX2]float32 // zeroed while the upper halves are clean
	minf := splatF32AVX2(float32(math.Inf(-1)))
	acc := minf
	for i := 0; i < len(x); i += lanes32AVX2 {
		var t f32AVX2
		if j := i + lanes32AVX2; j <= len(x) {
			t = load32AVX2(x[i:j])
		} else {
			t = loadPart32AVX2(x[i:]).Merge(minf, first32AVX2(len(x)-i))
		}
		acc = acc.Max(t.Merge(minf, t.Equal(t))) // NaN left out
	}
	acc.Store(&a)
	archsimd.ClearAVXUpperBits() // before scalar code: see softmaxReduce32AVX2
	m := a[0]
	for _, v := range a[1:] {
		m = max(m, v)
	}
	return m + 0
}

// rowMax64AVX2 is rowMax32AVX2 for a float64 row; it also returns the row's
// least non-NaN element (+Inf if none), which tells a narrow row.
func rowMax64AVX2(x []float64) (mx, mn float64) {
	var a, b [lanes64AVX2]float64
	minf, pinf := splatF64AVX2(math.Inf(-1)), splatF64AVX2(math.Inf(1))
	acc, accMin := minf, pinf
	for i := 0; i < len(x); i += lanes64AVX2 {
		var t f64AVX2
		if j := i + lanes64AVX2; j <= len(x) {
			t = load64AVX2(x[i:j])
		} else {
			t = loadPart64AVX2(x[i:]).Merge(minf, first64AVX2(len(x)-i))
		}
		num := t.Equal(t) // NaN left out
		acc = acc.Max(t.Merge(minf, num))
		if j := i + lanes64AVX2; j > len(x) {
			num = num.And(first64AVX2(len(x) - i))
		}
		accMin = accMin.Min(t.Merge(pinf, num))
	}
	acc.Store(&a)
	accMin.Store(&b)
	archsimd.ClearAVXUpperBits()
	mx, mn = a[0], b[0]
	for i := 1; i < lanes64AVX2; i++ {
		mx, mn = max(mx, a[i]), min(mn, b[i])
	}
	return mx + 0, mn
}

// smExp32AVX2 is the float32 rows' exp (model's smExp without error terms):
// e^h·2^64 with h held at the clamp, the argument reduced by ln2 in one FMA,
// the polynomial of degree 7, and one product scaling, which the clamp
// keeps normal (so that it rounds as the model's two halves).
func smExp32AVX2(h f64AVX2) f64AVX2 {
	lim := c64AVX2(jSmLo32)
	h = lim.Merge(h, h.Less(lim)) // a NaN h stays NaN
	k := round64AVX2(h.Mul(c64AVX2(jLog2e)))
	r := k.MulAdd(c64AVX2(jSmNln2), h)
	r2 := r.Mul(r)
	q0 := jQ0 + len(model.ExpPoly64) - model.SoftmaxQ32Len // the polynomial's last coefficients
	q := c64AVX2(q0).MulAdd(r, c64AVX2(q0+1))
	for i := q0 + 2; i < jQ0+len(model.ExpPoly64); i += 2 {
		q = q.MulAdd(r2, c64AVX2(i).MulAdd(r, c64AVX2(i+1)))
	}
	p := q.MulAdd(r2, r).Add(c64AVX2(jOne))
	return scaleBy64AVX2(p, k, jSmBias32, jSmEb32)
}

// smExp64AVX2 is the float64 rows' exp (model's smExp with its error terms):
// e^(h+dl)·2^512 as e + elo, h held at the clamp. A narrow row's (model's
// SoftmaxNarrow64; h ≥ -SoftmaxNarrow64) skips the clamp and scales by one
// product, 2^(k+512) being normal there: the model's two halves give the
// same bits, their first product exact.
func smExp64AVX2(h, dl f64AVX2, narrow bool) (e, elo f64AVX2) {
	if !narrow {
		lim := c64AVX2(jSmLo64)
		h = lim.Merge(h, h.Less(lim)) // a NaN h stays NaN
	}
	k := round64AVX2(h.Mul(c64AVX2(jLog2e)))
	r0 := k.MulAdd(c64AVX2(jNln2hi), h)
	r := k.MulAdd(c64AVX2(jNln2lo), r0)
	r2 := r.Mul(r)
	q := c64AVX2(jQ0).MulAdd(r, c64AVX2(jQ0+1))
	for i := jQ0 + 2; i < jQ0+len(model.ExpPoly64); i += 2 {
		q = q.MulAdd(r2, c64AVX2(i).MulAdd(r, c64AVX2(i+1)))
	}
	sv := q.MulAdd(r2, r)
	one := c64AVX2(jOne)
	p := sv.Add(one)
	rlo := k.MulAdd(c64AVX2(jNln2lo), r0.Sub(r))
	ds := q.MulAdd(r2, r.Sub(sv))
	plo := sv.Sub(p.Sub(one))
	cr := p.MulAdd(rlo, ds)
	var el, el2 f64AVX2
	if narrow {
		e, el, el2 = scaleBy64AVX2(p, k, jSmBias64, jSmEb64), scaleBy64AVX2(plo, k, jSmBias64, jSmEb64), scaleBy64AVX2(cr, k, jSmBias64, jSmEb64)
	} else {
		var zero f64AVX2
		kb := k.Add(c64AVX2(jSmBias64))
		e, el = scale64AVX2(p, plo, kb)
		el2, _ = scale64AVX2(cr, zero, kb)
	}
	return e, e.MulAdd(dl, el.Add(el2))
}

// softmaxReduce32AVX2 is model.SoftmaxReduce32 with lanes64AVX2 lanes. In a
// row whose maximum is finite, a whole vector without the label's lane
// takes a plain step, without the x = m mask (x - m is +0 there already)
// and the label's sum (which would add +0): the model's bits, as impl/asm's.
func softmaxReduce32AVX2(x []float32, c int, store []float32) (m float32, o, ec float64) {
	n := len(x)
	var a, ac, ma [lanes64AVX2]float64 // zeroed here, while the upper halves are clean
	// The compiler's scalar float code is legacy SSE, which pays a
	// transition beside dirty upper halves on many x86 cores: so no float
	// scalar lives across the loop (m is taken back from mv after it, else a
	// MOVSS reloads it in every iteration), and the upper halves are cleared
	// before the scalar sums across lanes.
	mx := rowMax32AVX2(x)
	mv := splatF64AVX2(float64(mx))
	pe, cl := plainEnd(math.IsInf(float64(mx), 0), n, c, lanes64AVX2)
	cv := splatI64AVX2(int64(c))
	var acc, accC, zero f64AVX2
	for j := 0; j < n; j += lanes64AVX2 {
		// plain steps up to the label's vector or the last whole one
		for ; j < pe && j != cl; j += lanes64AVX2 {
			k := j + lanes64AVX2
			e := smExp32AVX2(loadH32AVX2(x[j:k]).ConvertToFloat64().Sub(mv))
			if store != nil {
				storeH32AVX2(e.ConvertToFloat32(), store[j:k])
			}
			acc = acc.Add(e)
		}
		if j >= n {
			break
		}
		k := j + lanes64AVX2
		var xh h32AVX2
		if k <= n {
			xh = loadH32AVX2(x[j:k])
		} else {
			xh = loadPartH32AVX2(x[j:])
		}
		xv := xh.ConvertToFloat64()
		e := smExp32AVX2(zero.Merge(xv.Sub(mv), xv.Equal(mv)))
		if store != nil {
			if k <= n {
				storeH32AVX2(e.ConvertToFloat32(), store[j:k])
			} else {
				storePartH32AVX2(e.ConvertToFloat32(), store[j:])
			}
		}
		idx := iotaI64AVX2().Add(splatI64AVX2(int64(j)))
		others := idx.NotEqual(cv)
		if k > n {
			others = others.And(first64AVX2(n - j))
		}
		acc = acc.Add(e.Masked(others))
		accC = accC.Add(e.Masked(idx.Equal(cv)))
	}
	acc.Store(&a)
	accC.Store(&ac)
	mv.Store(&ma)
	archsimd.ClearAVXUpperBits()
	return float32(ma[0]), model.SoftmaxHsum(a[:]), model.SoftmaxHsum(ac[:])
}

// softmaxReduce64AVX2 is model.SoftmaxReduce64 with lanes64AVX2 lanes, with
// softmaxReduce32AVX2's plain steps; in a narrow row (its logits span at
// most model.SoftmaxNarrow64) they also skip the clamp and the finiteness
// mask of dl (no d is infinite there) and scale by one product.
func softmaxReduce64AVX2(x []float64, c int, store []float64) (m, ohi, olo, echi, eclo float64) {
	n := len(x)
	var h, l, hc, lc, ma [lanes64AVX2]float64 // zeroed while the upper halves are clean
	mx, mn := rowMax64AVX2(x)
	pe, cl := plainEnd(math.IsInf(mx, 0), n, c, lanes64AVX2)
	// narrow: mx - mn ≤ SoftmaxNarrow64, compared as the bits of numbers ≥ 0
	// (a NaN's are larger) in an integer register: a float compare, which
	// the compiler would redo in the loop, is legacy SSE beside dirty upper
	// halves there
	narrow := math.Float64bits(mx-mn) <= math.Float64bits(model.SoftmaxNarrow64)
	mv := splatF64AVX2(mx) // m from mv after the loop, as in softmaxReduce32AVX2
	nm := mv.Mul(c64AVX2(jMone))
	cv := splatI64AVX2(int64(c))
	var hi, lo, hiC, loC, zero f64AVX2
	for j := 0; j < n; j += lanes64AVX2 {
		for ; j < pe && j != cl; j += lanes64AVX2 {
			xv := load64AVX2(x[j : j+lanes64AVX2])
			s := xv.Add(nm) // TwoSum(x, -m)
			bb := s.Sub(xv)
			dl := xv.Sub(s.Sub(bb)).Add(nm.Sub(bb))
			var e, elo f64AVX2
			if narrow {
				e, elo = smExp64AVX2(s, dl, true)
			} else { // dl = 0 where d is not finite
				e, elo = smExp64AVX2(s, zero.Merge(dl, s.Sub(s).IsNaN()), false)
			}
			if store != nil {
				store64AVX2(e.Add(elo), store[j:j+lanes64AVX2])
			}
			s2 := hi.Add(e)
			bb2 := s2.Sub(hi)
			err := hi.Sub(s2.Sub(bb2)).Add(e.Sub(bb2))
			hi, lo = s2, lo.Add(elo).Add(err)
		}
		if j >= n {
			break
		}
		k := j + lanes64AVX2
		var xv f64AVX2
		if k <= n {
			xv = load64AVX2(x[j:k])
		} else {
			xv = loadPart64AVX2(x[j:])
		}
		// TwoSum(x, -m), 0 where x = m, its error 0 where the difference is not finite
		s := xv.Add(nm)
		bb := s.Sub(xv)
		dl := xv.Sub(s.Sub(bb)).Add(nm.Sub(bb))
		eq := xv.Equal(mv)
		d := zero.Merge(s, eq)
		dl = zero.Merge(zero.Merge(dl, eq), d.Sub(d).IsNaN())
		e, elo := smExp64AVX2(d, dl, false)
		if store != nil {
			if k <= n {
				store64AVX2(e.Add(elo), store[j:k])
			} else {
				storePart64AVX2(e.Add(elo), store[j:])
			}
		}
		idx := iotaI64AVX2().Add(splatI64AVX2(int64(j)))
		others := idx.NotEqual(cv)
		if k > n {
			others = others.And(first64AVX2(n - j))
		}
		em, elm := e.Masked(others), elo.Masked(others)
		s2 := hi.Add(em)
		bb2 := s2.Sub(hi)
		err := hi.Sub(s2.Sub(bb2)).Add(em.Sub(bb2))
		hi, lo = s2, lo.Add(elm).Add(err)
		lab := idx.Equal(cv)
		hiC, loC = e.Merge(hiC, lab), elo.Merge(loC, lab)
	}
	hi.Store(&h)
	lo.Store(&l)
	hiC.Store(&hc)
	loC.Store(&lc)
	mv.Store(&ma)
	archsimd.ClearAVXUpperBits()
	ohi, olo = model.SoftmaxHsumDD(h[:], l[:])
	echi, eclo = model.SoftmaxHsumDD(hc[:], lc[:])
	return ma[0], ohi, olo, echi, eclo
}

// softmaxEpi32AVX2 is model.SoftmaxEpiLanes32 in lanes64AVX2 lanes
// (impl/asm's softmaxEpi32, its generator's _asm/softmax_epi.go).
func softmaxEpi32AVX2(in model.SoftmaxEpiIn, gamma float64) (out model.SoftmaxEpiOut, special uint) {
	gv := splatF64AVX2(gamma)
	one, sign := c64AVX2(jOne), bits64AVX2(c64AVX2(jSign))
	var zero f64AVX2
	for i := 0; i < model.SoftmaxEpiRows; i += lanes64AVX2 {
		ld := func(f int) f64AVX2 { return load64AVX2(in[f+i:][:lanes64AVX2]) }
		xc, m, o, ec, wa := ld(model.EpiXC), ld(model.EpiM), ld(model.EpiO), ld(model.EpiEC), ld(model.EpiWA)
		sp := o.IsNaN().Or(ec.IsNaN()).Or(xc.IsNaN()).Or(wa.Equal(zero)).
			Or(wa.Mul(one.Add(gv)).Greater(c64AVX2(jEpiLimit))).
			Or(m.Equal(c64AVX2(jPinf))).Or(xc.Equal(c64AVX2(jMinf)))
		special |= uint(sp.ToBits()) << i
		O, Ec := o.Mul(c64AVX2(jUnscale32)), ec.Mul(c64AVX2(jUnscale32))
		right := xc.Equal(m)
		a := O.Merge(O.Sub(one).Add(Ec), right)
		z := O.Add(one).Merge(O.Add(Ec), right)
		u := a.Add(one)
		c := a.Sub(u.Sub(one)).Div(u)
		hi, lo := logHL64AVX2(u)
		l := m.Sub(xc).Add(hi.Add(lo.Add(c)))
		invZ := one.Div(z)
		q := O.Mul(invZ)
		ratio := l.Merge(Ec.Mul(l), right).Div(O)
		ratio = one.Merge(ratio, O.Equal(zero).And(right))
		ratio = zero.Merge(ratio, Ec.Mul(invZ).Equal(zero).And(xc.NotEqual(m)))
		mod := q.Mul(q)
		mod = one.Merge(mod, gv.NotEqual(c64AVX2(jTwo)))
		mod = q.Merge(mod, gv.Equal(one))
		sq := q.Sqrt()
		mod = sq.Merge(mod, gv.Equal(c64AVX2(jHalf)))
		mod = q.Mul(sq).Merge(mod, gv.Equal(c64AVX2(jOneHalf)))
		store64AVX2(mod.Mul(wa).Mul(l), out[model.EpiLoss+i:][:lanes64AVX2])
		wb := ratio.Mul(gv).Add(one).Mul(mod).Mul(wa)
		store64AVX2(wb.Mul(invZ), out[model.EpiF+i:][:lanes64AVX2])
		store64AVX2(fromBits64AVX2(bits64AVX2(wb.Mul(q)).Xor(sign)), out[model.EpiGC+i:][:lanes64AVX2])
	}
	archsimd.ClearAVXUpperBits() // the row loop goes on in scalar code
	return out, special
}

// softmaxScale32AVX2 is model.SoftmaxScale32.
func softmaxScale32AVX2(g []float32, f float64) {
	fv, u := splatF64AVX2(f), splatF64AVX2(math.Ldexp(1, -model.SoftmaxScale32Exp))
	for j := 0; j < len(g); j += lanes64AVX2 {
		if k := j + lanes64AVX2; k <= len(g) {
			storeH32AVX2(loadH32AVX2(g[j:k]).ConvertToFloat64().Mul(fv).Mul(u).ConvertToFloat32(), g[j:k])
		} else {
			storePartH32AVX2(loadPartH32AVX2(g[j:]).ConvertToFloat64().Mul(fv).Mul(u).ConvertToFloat32(), g[j:])
		}
	}
	archsimd.ClearAVXUpperBits() // the row loop goes on in scalar code
}

// softmaxScale64AVX2 is model.SoftmaxScale64.
func softmaxScale64AVX2(g []float64, f float64) {
	fv, u := splatF64AVX2(f), splatF64AVX2(math.Ldexp(1, -model.SoftmaxScale64Exp))
	for j := 0; j < len(g); j += lanes64AVX2 {
		if k := j + lanes64AVX2; k <= len(g) {
			store64AVX2(load64AVX2(g[j:k]).Mul(fv).Mul(u), g[j:k])
		} else {
			storePart64AVX2(loadPart64AVX2(g[j:]).Mul(fv).Mul(u), g[j:])
		}
	}
	archsimd.ClearAVXUpperBits() // the row loop goes on in scalar code
}
