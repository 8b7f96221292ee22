//go:build goexperiment.simd && amd64 && !purego

package archsimd

import "github.com/focalkernels/focal/impl/internal/model"

// The AVX2 level's pieces, float32 and float64 side by side, which the
// kernels inline (kernel32AVX2's and kernel64AVX2's hard bodies), the
// general form (general32_avx2.go) and the softmax lanes (softmax_avx2.go)
// call: exp's reduced argument and polynomial, the soft form's exp with its
// error terms, log(1+f)'s polynomial and core, log as hi+lo, the hard
// form's α_t, its loss α_t·m·CE rounded about once and its gradient.

// exp32AVX2's pieces are model.ExpSplit32's, each small enough for the compiler
// to inline (a call would spill every live vector around it): the reduced
// argument, the polynomial with its last addition's error, and the scaling
// (scale32AVX2).

// expArg32AVX2 returns r = h - k·ln2 and k = round(h·log2e) for h ≤ 0 held at
// expLo32 (a NaN h stays NaN).
func expArg32AVX2(h f32AVX2) (r, k f32AVX2) {
	lim := c32AVX2(kExpLo)
	h = lim.Merge(h, h.Less(lim))
	k = round32AVX2(h.Mul(c32AVX2(kLog2e)))
	r = k.MulAdd(c32AVX2(kNln2hi), h)
	return k.MulAdd(c32AVX2(kNln2lo), r), k
}

// expPoly32AVX2 returns p(r) = exp(r) for |r| ≤ ln2/2 as p + pLo, pLo the
// exact error of its last addition (Fast2Sum).
func expPoly32AVX2(r f32AVX2) (p, pLo f32AVX2) {
	r2 := r.Mul(r)
	q := expQ32AVX2(r, r2)
	s := q.MulAdd(r2, r)
	one := c32AVX2(kOne)
	p = s.Add(one)
	return p, s.Sub(p.Sub(one))
}

// expQ32AVX2 returns Q(r) of exp(r) = 1 + r + r²·Q(r), Estrin's scheme in r
// and r2 = r² (model.ExpSplit32's).
func expQ32AVX2(r, r2 f32AVX2) f32AVX2 {
	a := c32AVX2(kEp0).MulAdd(r, c32AVX2(kEp1))
	b := c32AVX2(kEp2).MulAdd(r, c32AVX2(kEp3))
	c := c32AVX2(kEp4).MulAdd(r, c32AVX2(kEp5))
	return a.MulAdd(r2, b).MulAdd(r2, c)
}

// logPoly32AVX2 returns P(f) of log(1+f) = f - f²/2 + f³·P(f), Estrin's
// scheme in f, z = f² and f⁴ (model.LogHL32's and its log1p's).
func logPoly32AVX2(f, z f32AVX2) f32AVX2 {
	a01 := c32AVX2(kLp0).MulAdd(f, c32AVX2(kLp1))
	a23 := c32AVX2(kLp2).MulAdd(f, c32AVX2(kLp3))
	a45 := c32AVX2(kLp4).MulAdd(f, c32AVX2(kLp5))
	a67 := c32AVX2(kLp6).MulAdd(f, c32AVX2(kLp7))
	z4 := z.Mul(z)
	return a01.MulAdd(z, a23).MulAdd(z4, a45.MulAdd(z, a67)).MulAdd(f, c32AVX2(kLp8))
}

// clampLo32AVX2 holds lo to ±1/64 (see model.ExpSplit32).
func clampLo32AVX2(lo f32AVX2) f32AVX2 {
	return lo.Max(c32AVX2(kLoMin)).Min(c32AVX2(kLoMax))
}

// logCore32AVX2 is logCore32: kf·ln2 + log(1+f) + c.
//
// It spells logPoly32AVX2 out: with the call it would pass the inliner's
// budget, and the hard body would call it on every step.
func logCore32AVX2(f, kf, c f32AVX2) f32AVX2 {
	z := f.Mul(f)
	a01 := c32AVX2(kLp0).MulAdd(f, c32AVX2(kLp1))
	a23 := c32AVX2(kLp2).MulAdd(f, c32AVX2(kLp3))
	a45 := c32AVX2(kLp4).MulAdd(f, c32AVX2(kLp5))
	a67 := c32AVX2(kLp6).MulAdd(f, c32AVX2(kLp7))
	z4 := z.Mul(z)
	p := a01.MulAdd(z, a23).MulAdd(z4, a45.MulAdd(z, a67)).MulAdd(f, c32AVX2(kLp8))
	f3 := z.Mul(f)
	hz := z.Mul(c32AVX2(kMhalf))
	cl := kf.MulAdd(c32AVX2(kLn2lo), c)
	y := p.MulAdd(f3, hz)
	y = y.Add(cl)
	w := y.Add(f)
	return kf.MulAdd(c32AVX2(kLn2hi), w)
}

// expSoft32AVX2 is expSoft32: exp(h) for h ≤ 0 as e + el, and el2, the
// rounding errors that el leaves out, scaled like e.
func expSoft32AVX2(h f32AVX2) (e, el, el2 f32AVX2) {
	lim := c32AVX2(kExpLo)
	h = lim.Merge(h, h.Less(lim))
	k := round32AVX2(h.Mul(c32AVX2(kLog2e)))
	r0 := k.MulAdd(c32AVX2(kNln2hi), h)
	r := k.MulAdd(c32AVX2(kNln2lo), r0)
	rlo := k.MulAdd(c32AVX2(kNln2lo), r0.Sub(r)) // fma(-k, ln2lo, r0-r)
	r2 := r.Mul(r)
	q := expQ32AVX2(r, r2)
	s := q.MulAdd(r2, r)
	ds := q.MulAdd(r2, r.Sub(s))
	one := c32AVX2(kOne)
	p := s.Add(one)
	pLo := s.Sub(p.Sub(one))
	cr := p.MulAdd(rlo, ds)
	e, el = scale32AVX2(p, pLo, k)
	return e, el, scaleOne32AVX2(cr, k)
}

// logHL32AVX2 is logHL32: log(ah) as hi+lo for ah in (0, 1] normal.
func logHL32AVX2(ah f32AVX2) (hi, lo f32AVX2) {
	one := c32AVX2(kOne)
	b := bits32AVX2(ah)
	kf := b.ShiftAllRight(23).Sub(bits32AVX2(c32AVX2(kBias))).ConvertToFloat32()
	m := fromBits32AVX2(b.And(bits32AVX2(c32AVX2(kMant))).Or(bits32AVX2(one))) // [1, 2)
	big := m.Greater(c32AVX2(kSqrt2))
	f := m.MulAdd(c32AVX2(kHalf), c32AVX2(kMone)).Merge(m.Sub(one), big)
	kf = kf.Add(one).Merge(kf, big)
	z := f.Mul(f)
	zlo := f.MulAdd(f, neg32AVX2(z))
	p := logPoly32AVX2(f, z)
	f3 := z.Mul(f)
	hz := z.Mul(c32AVX2(kMhalf))
	y := p.MulAdd(f3, hz)
	w := f.Add(y)
	wlo := y.Sub(w.Sub(f))
	kh := kf.Mul(c32AVX2(kLn2hi16))
	hi = kh.Add(w)
	lo = kf.MulAdd(c32AVX2(kLn2lo16), wlo)
	lo = zlo.MulAdd(c32AVX2(kMhalf), lo)
	lo = lo.Add(w.Sub(hi.Sub(kh)))
	return hi, lo
}

// log1pHL32AVX2 is log1pHL32: log1p(e') given u = 1+e and c, as l + lo.
func log1pHL32AVX2(u, c f32AVX2) (l, lo f32AVX2) {
	one := c32AVX2(kOne)
	big := u.Greater(c32AVX2(kSqrt2))
	m := u.Sub(u.Mul(c32AVX2(kHalf))).Merge(u, big)
	kf := one.Masked(big)
	f := m.Sub(one)
	z := f.Mul(f)
	p := logPoly32AVX2(f, z)
	f3 := z.Mul(f)
	hz := z.Mul(c32AVX2(kMhalf))
	cl := kf.MulAdd(c32AVX2(kLn2lo), c)
	y := p.MulAdd(f3, hz)
	y = y.Add(cl)
	w := y.Add(f)
	l = kf.MulAdd(c32AVX2(kLn2hi), w)
	kh := kf.Mul(c32AVX2(kLn2hi))
	return l, w.Sub(l.Sub(kh)).Add(y.Sub(w.Sub(f)))
}

func neg32AVX2(v f32AVX2) f32AVX2 {
	return fromBits32AVX2(bits32AVX2(v).Xor(bits32AVX2(c32AVX2(kSign))))
}

func abs32AVX2(v f32AVX2) f32AVX2 {
	return fromBits32AVX2(bits32AVX2(v).AndNot(bits32AVX2(c32AVX2(kSign))))
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
// error of p's last addition: 1 + r + r²·Q(r), Q as pairs c·r + c' joined
// two by two in r² and those by Horner's scheme in r⁴ (model.ExpSplit64).
func expPoly64AVX2(r f64AVX2) (p, pLo f64AVX2) {
	r2 := r.Mul(r)
	r4 := r2.Mul(r2)
	quad := func(i int) f64AVX2 {
		return c64AVX2(i).MulAdd(r, c64AVX2(i+1)).MulAdd(r2, c64AVX2(i+2).MulAdd(r, c64AVX2(i+3)))
	}
	q := quad(jQ0).MulAdd(r4, quad(jQ0+4)).MulAdd(r4, quad(jQ0+8))
	s := q.MulAdd(r2, r)
	one := c64AVX2(jOne)
	p = s.Add(one)
	return p, s.Sub(p.Sub(one))
}

// poly4x64AVX2 returns the four coefficients of P from i on at f by Estrin's
// scheme: (c0·f + c1)·f² + (c2·f + c3).
func poly4x64AVX2(i int, f, z f64AVX2) f64AVX2 {
	return c64AVX2(i).MulAdd(f, c64AVX2(i+1)).MulAdd(z, c64AVX2(i+2).MulAdd(f, c64AVX2(i+3)))
}

// logHL64AVX2 is the model's logHL64: log u as hi + lo for normal u > 0,
// from u's exponent and its mantissa in [√½, √2).
func logHL64AVX2(u f64AVX2) (hi, lo f64AVX2) {
	one := c64AVX2(jOne)
	b := bits64AVX2(u)
	kf := fromBits64AVX2(expBits64AVX2(b).Or(bits64AVX2(c64AVX2(jTwo52)))).Sub(c64AVX2(jTwo52bias))
	m := fromBits64AVX2(b.And(bits64AVX2(c64AVX2(jMantMask))).Or(bits64AVX2(one))) // [1, 2)
	big := m.Greater(c64AVX2(jSqrt2))
	f := m.MulAdd(c64AVX2(jHalf), c64AVX2(jMone)).Merge(m.Sub(one), big)
	kf = kf.Add(one.Masked(big))
	z := f.Mul(f)
	zlo := f.MulAdd(f, fromBits64AVX2(bits64AVX2(z).Xor(bits64AVX2(c64AVX2(jSign))))) // f·f - z
	z4 := z.Mul(z)
	pa := poly4x64AVX2(jP0, f, z).MulAdd(z4, poly4x64AVX2(jP0+4, f, z))
	pb := poly4x64AVX2(jP0+8, f, z).MulAdd(z4, poly4x64AVX2(jP0+12, f, z))
	p := pa.MulAdd(z4.Mul(z4), pb).MulAdd(z4, poly4x64AVX2(jP0+16, f, z))
	y := p.MulAdd(z.Mul(f), z.Mul(c64AVX2(jMhalf)))
	w := f.Add(y)
	wlo := y.Sub(w.Sub(f))
	kh := kf.Mul(c64AVX2(jLn2hi))
	hi = kh.Add(w)
	lo = kf.MulAdd(c64AVX2(jLn2lo), wlo)
	lo = zlo.MulAdd(c64AVX2(jMhalf), lo)
	return hi, lo.Add(w.Sub(hi.Sub(kh)))
}

// loss32AVX2 is the model's lossOf32, the loss α_t·m·CE by γ mode from
// α_t = at + atLo and m (+ mLo if withLo), rounded about once; for γ ∈ {1, 2}
// it also returns α_t·m as amh + aml, which the gradient reuses. Where α_t = 0
// and CE = +Inf (x = ±Inf) it gives 0·Inf = NaN, which the caller redoes
// (model.FixZeroWeight32) where the model gives 0.
func loss32AVX2(mode int, withLo bool, at, atLo, m, mLo, ce f32AVX2) (lv, amh, aml f32AVX2) {
	maxf := c32AVX2(kMaxf)
	switch mode {
	case model.Mode0:
		return at.MulAdd(ce, atLo.Mul(ce.Min(maxf))), amh, aml
	case model.ModeGen:
		mc := m.Mul(ce)
		return at.MulAdd(mc, atLo.Mul(mc.Min(maxf))), amh, aml
	}
	amh = at.Mul(m)
	aml = at.MulAdd(m, neg32AVX2(amh))
	if withLo {
		aml = at.MulAdd(mLo, aml)
	}
	aml = atLo.MulAdd(m, aml)
	return amh.MulAdd(ce, aml.Mul(ce.Min(maxf))), amh, aml
}

// loss64AVX2 is loss32AVX2 in float64 (the model's ElemHard64).
func loss64AVX2(mode int, withLo bool, at, atLo, m, mLo, ce f64AVX2) (lv, amh, aml f64AVX2) {
	maxf := c64AVX2(jMaxf)
	switch mode {
	case model.Mode0:
		return at.MulAdd(ce, atLo.Mul(ce.Min(maxf))), amh, aml
	case model.ModeGen:
		mc := m.Mul(ce)
		return at.MulAdd(mc, atLo.Mul(mc.Min(maxf))), amh, aml
	}
	amh = at.Mul(m)
	aml = at.MulAdd(m, fromBits64AVX2(bits64AVX2(amh).Xor(bits64AVX2(c64AVX2(jSign)))))
	if withLo {
		aml = at.MulAdd(mLo, aml)
	}
	aml = atLo.MulAdd(m, aml)
	return amh.MulAdd(ce, aml.Mul(ce.Min(maxf))), amh, aml
}

// alpha32AVX2 returns the hard form's α_t (model.ElemHard32's at + atLo):
// class α's where h1 (t = 1), 1-α's elsewhere, from the row's class tables
// in the rows form or from the call's parameters.
func alpha32AVX2(inRows bool, rk *rowsCall[float32], rw rowWalk, bp *bcast32AVX2, h1 m32AVX2) (at, atLo f32AVX2) {
	a1, a0, a1lo, a0lo := bp.get(bA1), bp.get(bA0), bp.get(bA1lo), bp.get(bA0lo)
	if inRows {
		a1, a0, a1lo, a0lo = rowAlpha32AVX2(&rk.a.Tab, rw)
	}
	return a1.Merge(a0, h1), a1lo.Merge(a0lo, h1)
}

// alpha64AVX2 is alpha32AVX2 in float64.
func alpha64AVX2(inRows bool, rk *rowsCall[float64], rw rowWalk, bp *bcast64AVX2, h1 m64AVX2) (at, atLo f64AVX2) {
	a1, a0, a1lo, a0lo := bp.get(pA1), bp.get(pA0), bp.get(pA1lo), bp.get(pA0lo)
	if inRows {
		a1, a0, a1lo, a0lo = rowAlpha64AVX2(&rk.a.Tab, rw)
	}
	return a1.Merge(a0, h1), a1lo.Merge(a0lo, h1)
}

// grad32AVX2 is the hard form's gradient before its sign 1-2t:
// α_t·m·(γ·σ(-z)·CE + σ(z)), compensated like the loss (from amh + aml =
// α_t·m for γ ∈ {1, 2}); α_t·σ(z) at γ = 0.
func grad32AVX2(mode int, at, atLo, amh, aml, m, sz, snz, ce, g f32AVX2) f32AVX2 {
	if mode == model.Mode0 {
		return at.MulAdd(sz, atLo.Mul(sz))
	}
	inner := g.Mul(snz).MulAdd(ce.Min(c32AVX2(kMaxf)), sz)
	if mode == model.ModeGen {
		mi := m.Mul(inner)
		return at.MulAdd(mi, atLo.Mul(mi))
	}
	return amh.MulAdd(inner, aml.Mul(inner))
}

// grad64AVX2 is grad32AVX2 in float64.
func grad64AVX2(mode int, at, atLo, amh, aml, m, sz, snz, ce, g f64AVX2) f64AVX2 {
	if mode == model.Mode0 {
		return at.MulAdd(sz, atLo.Mul(sz))
	}
	inner := g.Mul(snz).MulAdd(ce.Min(c64AVX2(jMaxf)), sz)
	if mode == model.ModeGen {
		mi := m.Mul(inner)
		return at.MulAdd(mi, atLo.Mul(mi))
	}
	return amh.MulAdd(inner, aml.Mul(inner))
}

// pow32AVX2 returns σ(z)^γ for γ ∈ {1, 2} as m + mLo (σ(z)² with its exact
// error by fma); 0 for the other modes, whose callers form it.
func pow32AVX2(mode int, sz f32AVX2) (m, mLo f32AVX2) {
	switch mode {
	case model.Mode1:
		m = sz
	case model.Mode2:
		m = sz.Mul(sz)
		mLo = sz.MulAdd(sz, neg32AVX2(m))
	}
	return m, mLo
}

// pow64AVX2 is pow32AVX2 in float64.
func pow64AVX2(mode int, sz f64AVX2) (m, mLo f64AVX2) {
	switch mode {
	case model.Mode1:
		m = sz
	case model.Mode2:
		m = sz.Mul(sz)
		mLo = sz.MulAdd(sz, fromBits64AVX2(bits64AVX2(m).Xor(bits64AVX2(c64AVX2(jSign)))))
	}
	return m, mLo
}

// gammaLog32AVX2 is the model's gammaLog32: γ·(a - l) as h + lo, both
// products split exactly by fma and their difference by TwoSum, with γ's
// float32 rounding error added to lo. ng is -γ: the products are formed
// negated, archsimd having no FMSUB.
func gammaLog32AVX2(bp *bcast32AVX2, a, l f32AVX2) (h, lo f32AVX2) {
	g, ng := bp.get(bG), bp.get(bNg)
	nh1 := ng.Mul(a) // -h1, h1 = γ·a
	l1 := g.MulAdd(a, nh1)
	nh2 := ng.Mul(l) // -h2, h2 = γ·l
	l2 := g.MulAdd(l, nh2)
	h = nh2.Sub(nh1) // h1 - h2
	bb := h.Add(nh1) // h - h1
	er := nh2.Sub(bb).Sub(nh1.Add(h.Sub(bb)))
	lo = l1.Sub(l2).Add(er)
	return h, bp.get(bGlo).MulAdd(a.Sub(l), lo)
}

// gammaLog64AVX2 is the model's gammaLog64: gammaLog32AVX2 in float64,
// where γ is exact.
func gammaLog64AVX2(bp *bcast64AVX2, a, l f64AVX2) (h, lo f64AVX2) {
	g, ng := bp.get(pG), bp.get(pNg)
	nh1 := ng.Mul(a)
	l1 := g.MulAdd(a, nh1)
	nh2 := ng.Mul(l)
	l2 := g.MulAdd(l, nh2)
	h = nh2.Sub(nh1)
	bb := h.Add(nh1)
	er := nh2.Sub(bb).Sub(nh1.Add(h.Sub(bb)))
	return h, l1.Sub(l2).Add(er)
}
