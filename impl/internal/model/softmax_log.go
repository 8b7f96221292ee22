package model

import "math"

// log1pPos returns log1p(y) for y ≥ 0, given r, 1/(1+y) to a few units of
// 2^-53 (the epilogue has it at hand as 1/Z). It is the float32 epilogue's
// logarithm: the flat kernels' float64 polynomial (logP64, as log1pParts64)
// after an exponent split of u = 1+y, with u's rounding error c = (1+y) - u
// (exact, by Fast2Sum) carried as c/u = c·r. Its error is a few units of
// 2^-53 relative, as math.Log1p's (TestLog1pPos), at a fraction of its cost:
// no division of its own and no branches on y's size. y = +Inf or NaN is
// left to math.Log1p.
func log1pPos(y, r float64) float64 {
	if !(y < math.MaxFloat64) {
		return math.Log1p(y)
	}
	u := 1 + y
	var c float64
	if y > 1 {
		c = (y - u) + 1
	} else {
		c = (1 - u) + y
	}
	// u = 2^k·m, m ∈ (√½, √2]
	b := math.Float64bits(u)
	k := int64(b>>52) - 1023
	m := math.Float64frombits(b&(1<<52-1) | 1023<<52)
	if m > sqrt2f64 {
		m, k = mul64(m, 0.5), k+1
	}
	kf := float64(k)
	f := m - 1 // exact: m ∈ [½, 2]
	z := mul64(f, f)
	p := logPoly(f, z)
	cl := math.FMA(kf, ln2lo64, mul64(c, r))
	w := math.FMA(p, mul64(z, f), mul64(z, -0.5)) + cl
	return math.FMA(kf, ln2hi64, w+f)
}
