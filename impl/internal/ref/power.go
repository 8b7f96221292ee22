package ref

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/dd"
)

// powSigmoid returns σ(z)^γ for γ > 0 as exp(-γ·softplus(-z)). For z < 0,
// softplus(-z) = |z| + log1p(e^-|z|), and γ·|z| is split exactly into hi+lo
// with an FMA, so the error of the exponent does not grow with |γ·z|.
// l1p is log1p(e^-|z|). (A hard target's σ(z)^γ underflows only where CE =
// log1p(e^z) is below e^z as well: the loss underflows with it.)
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
// m·2^k (see scaledExp) from exp(γ·log q): log q to about 2^-100 relative
// (math.Log refined by one Newton step against the double-double exp, plus
// log1p(lo/hi)) and γ·log q split exactly into hi+lo with an FMA, so that
// the error does not grow with |γ·log q| as math.Pow's does (its
// exp(y·log x) rounds y·log x first: 8.5 ULP at q = 3.6e-9, γ = 0.425).
func powDD(q dd.DD, gamma float64) (m float64, k int) {
	if q.Hi == 0 {
		return 0, 0
	}
	// math.Log is not right on subnormals on amd64 and s390x (Go issue
	// 56600: -709.09 for 2^-1074), and ExpNeg's low part would underflow:
	// a q below 2^-1000 is scaled by 2^64, exactly, and 64·ln 2 taken off.
	sub := q.Hi < 0x1p-1000
	if sub {
		q = dd.DD{Hi: q.Hi * 0x1p64, Lo: q.Lo * 0x1p64}
	}
	lh := math.Log(q.Hi)
	e := dd.ExpNeg(lh) // e^lh = q.Hi·(1+δ), so log q.Hi = lh - δ
	d := dd.TwoSum(e.Hi, -q.Hi)
	delta := (d.Hi + (d.Lo + e.Lo)) / q.Hi
	ll := math.Log1p(q.Lo/q.Hi) - delta
	if sub {
		l := dd.TwoSum(lh, -64*ln2Hi) // 64·ln2Hi is exact
		lh, ll = l.Hi, l.Lo+(ll-64*ln2Lo)
	}
	hi := float64(gamma * lh)
	lo := math.FMA(gamma, lh, -hi) + float64(gamma*ll)
	return scaledExp(hi, lo)
}

// Where e^(hi+lo) nears float64's least normal, scaledExp takes a power of
// two out of it: e^(hi+lo) = m·2^k. A soft target's q^γ that underflows may
// still meet a cross-entropy large enough for a normal loss (CE ≈ t·|x|
// where q ≈ t: a target of 2^-401 at x = -1.5e215 and γ = 3 has q^γ ≈
// 2^-1203 and the loss 2.1e-268), so the caller multiplies by m and then
// scales by 2^k, rounding once into the subnormals if it must.
const (
	scaleBelow = -690            // e^hi at least 2^-996: m = e^(hi+lo), k = 0, the unscaled bits
	zeroBelow  = -1500           // e^hi below 2^-2164: 0 even times CE (< 2^1024) and γ (≤ 1e15 < 2^50)
	scaleBias  = 64              // m near 2^-64, so that m times CE (and γ·CE) cannot overflow
	ln2Hi      = 0x1.62e42feep-1 // ln 2's leading 32 bits: n·ln2Hi is exact for |n| < 2^21
	ln2Lo      = 0x1.a39ef35793c76p-33
)

// scaledExp returns m·2^k = e^(hi+lo), |lo| ≤ ulp(hi): k = 0 and m =
// e^hi·e^lo where hi ≥ scaleBelow; 0 below zeroBelow; otherwise hi = n·ln 2 + r
// by Cody and Waite's reduction (hi - n·ln2Hi is exact) and m =
// e^r·e^lo·2^-scaleBias, k = n + scaleBias.
func scaledExp(hi, lo float64) (m float64, k int) {
	if hi >= scaleBelow {
		return math.Exp(hi) * math.Exp(lo), 0
	}
	if hi < zeroBelow {
		return 0, 0
	}
	n := math.Round(hi / math.Ln2)
	r := (hi - float64(n*ln2Hi)) - float64(n*ln2Lo)
	return math.Ldexp(math.Exp(r)*math.Exp(lo), -scaleBias), int(n) + scaleBias
}
