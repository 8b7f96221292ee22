package stable

import "math"

// softplus returns log(1+e^x) = max(x,0) + log1p(e^-|x|), which neither
// overflows for large x nor loses the tiny value e^x for very negative x.
func softplus(x float64) float64 {
	return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
}

// sigmoids returns σ(x) and σ(-x), both from the one e^-|x| so that neither is
// formed as 1 minus the other.
func sigmoids(x float64) (s, sneg float64) {
	e := math.Exp(-math.Abs(x))
	big := 1 / (1 + e)
	small := e * big
	if x >= 0 {
		return big, small
	}
	return small, big
}

// powSigmoid returns σ(z)^γ for γ > 0 as exp(-γ·softplus(-z)). For z < 0,
// softplus(-z) = |z| + log1p(e^-|z|), and γ·|z| is split exactly into hi+lo
// with an FMA, so the error of the exponent does not grow with |γ·z|.
// l1p is log1p(e^-|z|).
func powSigmoid(z, gamma, l1p float64) float64 {
	if z >= 0 {
		return math.Exp(-gamma * l1p)
	}
	a := -z
	hi := gamma * a
	if hi > 746 { // e^-hi is below the smallest subnormal
		return 0
	}
	lo := math.FMA(gamma, a, -hi) + gamma*l1p
	return math.Exp(-hi) * math.Exp(-lo)
}
