package ref

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/dd"
)

// powSigmoid returns σ(z)^γ for γ > 0 as exp(-γ·softplus(-z)). For z < 0,
// softplus(-z) = |z| + log1p(e^-|z|), and γ·|z| is split exactly into hi+lo
// with an FMA, so the error of the exponent does not grow with |γ·z|.
// l1p is log1p(e^-|z|).
func powSigmoid(z, gamma, l1p float64) float64 {
	if z >= 0 {
		return math.Exp(-gamma * l1p)
	}
	a := -z
	hi := float64(gamma * a)
	if hi > 746 { // e^-hi is below the smallest subnormal
		return 0
	}
	lo := math.FMA(gamma, a, -hi) + float64(gamma*l1p) // the FMA: γ·a - hi exactly
	return math.Exp(-hi) * math.Exp(-lo)
}

// powDD returns q^γ for a double-double q in [0, 1] and 0 < γ ≤ 1e15 as
// exp(γ·log q): log q to about 2^-100 relative (math.Log refined by one
// Newton step against the double-double exp, plus log1p(lo/hi)) and γ·log q
// split exactly into hi+lo with an FMA, so that the error does not grow
// with |γ·log q| as math.Pow's does (its exp(y·log x) rounds y·log x first:
// 8.5 ULP at q = 3.6e-9, γ = 0.425).
func powDD(q dd.DD, gamma float64) float64 {
	if q.Hi == 0 {
		return 0
	}
	lh := math.Log(q.Hi)
	e := dd.ExpNeg(lh) // e^lh = q.Hi·(1+δ), so log q.Hi = lh - δ
	d := dd.TwoSum(e.Hi, -q.Hi)
	delta := (d.Hi + (d.Lo + e.Lo)) / q.Hi
	ll := math.Log1p(q.Lo/q.Hi) - delta
	hi := float64(gamma * lh)
	lo := math.FMA(gamma, lh, -hi) + float64(gamma*ll)
	return math.Exp(hi) * math.Exp(lo)
}
