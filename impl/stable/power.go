package stable

import "math"

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
