package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestLog1pPos holds log1pPos to within 1 ULP of math.Log1p (itself within
// 1 ULP of the truth), on y log-uniform from 2^-60 to 2^60 and over the
// float64 range, and at the points where its exponent split turns: 0, the
// powers of two and √2·2^k, and the largest finite y.
func TestLog1pPos(t *testing.T) {
	ys := []float64{0, math.SmallestNonzeroFloat64, 0x1p-60, 0x1p-53, 0x1p-52, 0.5, 1, 2, 3, 79, 999, 0x1p52, 0x1p53, 0x1p60, math.MaxFloat64}
	for k := -60; k <= 60; k++ {
		for _, d := range []float64{-1, 0, 1} {
			s := math.Ldexp(math.Sqrt2, k)
			ys = append(ys, math.Nextafter(s, s+d)-1, math.Ldexp(1, k)-1)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		ys = append(ys, math.Exp2(-60+rng.Float64()*120), math.Exp2(-1074+rng.Float64()*2097))
	}
	worst, differ, at := uint64(0), 0, 0.0
	for _, y := range ys {
		if y < 0 || math.IsInf(y, 0) {
			continue
		}
		got, want := log1pPos(y, 1/(1+y)), math.Log1p(y)
		// both ≥ 0: their bits are ordered as they are
		gb, wb := math.Float64bits(got), math.Float64bits(want)
		e := max(gb, wb) - min(gb, wb)
		if e != 0 {
			differ++
		}
		if e > worst || got != got {
			worst, at = e, y
		}
	}
	t.Logf("log1pPos: %d of %d values differ from math.Log1p's, by %d ULP at most (y = %v)", differ, len(ys), worst, at)
	if worst > 1 {
		t.Errorf("log1pPos is %d ULP from math.Log1p at y = %v: want ≤ 1", worst, at)
	}
	for _, y := range []float64{math.Inf(1), math.NaN()} {
		if got, want := log1pPos(y, 0), math.Log1p(y); !(got == want || got != got && want != want) {
			t.Errorf("log1pPos(%v) = %v, want %v", y, got, want)
		}
	}
}
