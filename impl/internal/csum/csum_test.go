package csum

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// The empty sum is 0; overflow, NaN and a term below the sum's unit are
// carried as they should be.
func TestSumSpecial(t *testing.T) {
	var s Sum
	if s.Value() != 0 {
		t.Errorf("empty sum = %v", s.Value())
	}
	s = Of(1e308)
	s.Add(1e308)
	if !math.IsInf(s.Value(), 1) {
		t.Errorf("overflow: %v, want +Inf", s.Value())
	}
	s = Of(1)
	s.Add(math.NaN())
	if !math.IsNaN(s.Value()) {
		t.Errorf("NaN term: %v, want NaN", s.Value())
	}
	s = Of(1)
	s.Add(0x1p-60)
	s.Add(-1)
	if s.Value() != 0x1p-60 {
		t.Errorf("1 + 2^-60 - 1 = %v, want 2^-60", s.Value())
	}
}

// The compensated sum of terms that cancel and span many magnitudes is the
// exact sum rounded (within one unit), where plain summation loses it all.
func TestSumExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 1 + rng.IntN(5000)
		var s Sum
		exact := new(big.Float).SetPrec(4000)
		for range n {
			v := math.Ldexp(rng.NormFloat64(), rng.IntN(80)-40)
			s.Add(v)
			exact.Add(exact, new(big.Float).SetFloat64(v))
		}
		want, _ := exact.Float64()
		got := s.Value()
		if d := math.Abs(got - want); d > 2*math.Abs(want)*0x1p-53+0x1p-1074 {
			t.Fatalf("trial %d, n = %d: got %v, want %v (off by %g)", trial, n, got, want, d)
		}
	}
}
