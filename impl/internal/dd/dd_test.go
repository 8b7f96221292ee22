package dd

import (
	"math"
	"math/big"
	"testing"

	"github.com/focalkernels/focal/internal/bigref"
)

// ExpNeg agrees with an independent 200-bit evaluation of e^a to well below
// float64's own rounding, which is what the soft-target path relies on.
func TestExpNeg(t *testing.T) {
	for _, a := range []float64{0, -1e-300, -1e-10, -0.1, -0.34657359, -0.5, -1, -2.5, -17, -88.7, -300, -700.123} {
		got := bigref.Float(ExpNeg(a).Hi)
		got.Add(got, new(big.Float).SetFloat64(ExpNeg(a).Lo))
		want := bigref.Exp(bigref.Float(a))
		rel, _ := new(big.Float).Quo(new(big.Float).Sub(got, want), want).Float64()
		if math.Abs(rel) > 1e-19 {
			t.Errorf("expNeg(%v): relative error %.3g", a, rel)
		}
	}
	if e := ExpNeg(-800); e.Hi != 0 || e.Lo != 0 {
		t.Errorf("ExpNeg(-800) = %v, want 0", e)
	}
}
