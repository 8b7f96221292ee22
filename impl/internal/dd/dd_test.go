package dd

import (
	"math"
	"math/big"
	"testing"
)

// ExpNeg agrees with an independent 200-bit evaluation of e^a to well below
// float64's own rounding, which is what the soft-target path relies on.
func TestExpNeg(t *testing.T) {
	for _, a := range []float64{0, -1e-300, -1e-10, -0.1, -0.34657359, -0.5, -1, -2.5, -17, -88.7, -300, -700.123} {
		got := new(big.Float).SetPrec(200).SetFloat64(ExpNeg(a).Hi)
		got.Add(got, new(big.Float).SetFloat64(ExpNeg(a).Lo))
		want := bigExp(a)
		rel, _ := new(big.Float).Quo(new(big.Float).Sub(got, want), want).Float64()
		if math.Abs(rel) > 1e-19 {
			t.Errorf("expNeg(%v): relative error %.3g", a, rel)
		}
	}
	if e := ExpNeg(-800); e.Hi != 0 || e.Lo != 0 {
		t.Errorf("ExpNeg(-800) = %v, want 0", e)
	}
}

// bigExp is e^a by its Taylor series at 200 bits, after halving a until it is small.
func bigExp(a float64) *big.Float {
	const prec = 200
	x := new(big.Float).SetPrec(prec).SetFloat64(a)
	halvings := 0
	for math.Abs(a) > 1e-3 {
		a /= 2
		halvings++
	}
	x.SetMantExp(x, -halvings)
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	for n := 1; n < 40; n++ {
		term.Mul(term, x)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(int64(n)))
		sum.Add(sum, term)
	}
	for range halvings {
		sum.Mul(sum, sum)
	}
	return sum
}
