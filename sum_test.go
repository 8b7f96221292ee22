package focal_test

import (
	"math"
	"testing"

	"github.com/focalkernels/focal"
)

// Sum's accumulation keeps its relative error within 1e-6 (float32) and 1e-12
// (float64) up to N = 2^26. A block of 64 elements is repeated, so the exact sum
// of the kernel's own per-element losses is known: repeated values are the
// worst case for a naive float32 accumulator, which stalls long before 2^26.
func TestSumAccumulation(t *testing.T) {
	n := 1 << 26
	if testing.Short() || raceEnabled {
		n = 1 << 20
	}
	testSumAccumulation[float32](t, n, 1e-6)
	testSumAccumulation[float64](t, n/4, 1e-12)
}

func testSumAccumulation[F focal.Float](t *testing.T, n int, tol float64) {
	const block = 64
	x, tt := make([]F, n), make([]F, n)
	for i := range x {
		j := i % block
		x[i] = F(-8 + 16*float64(j)/block)
		tt[i] = F(j % 2)
	}
	for _, k := range focal.Kernels[F]() {
		one := make([]F, block)
		k.Loss(one, x[:block], tt[:block], retina)
		var blockSum float64
		for _, v := range one {
			blockSum += float64(v)
		}
		want := blockSum * float64(n/block)
		got := k.Sum(x, tt, retina)
		if rel := math.Abs(got-want) / want; !(rel <= tol) {
			t.Errorf("%s: Sum of %d elements = %v, want %v: relative error %.3g > %g", k.Name(), n, got, want, rel, tol)
		}
	}
}
