//go:build goexperiment.simd && amd64 && !purego

package archsimd

// The AVX2 level's float32 exp and log pieces, which kernel32AVX2's hard
// body inlines and the general form (general32_avx2.go) calls too: exp's
// reduced argument and polynomial (expArg32AVX2, expPoly32AVX2,
// expQ32AVX2), the clamp of the lo part added to its argument
// (clampLo32AVX2), and log(1+f)'s polynomial and core (logPoly32AVX2,
// logCore32AVX2).

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
