package focal_test

import (
	"math"
	"testing"

	"github.com/focalkernels/focal"
)

// The sizes and tolerances of TestSumAccumulation, which the README states
// (TestReadmeSum checks that it does).
const (
	sumLog2N32, sumLog2N64 = 26, 24 // N = 2^26 float32, 2^24 float64
	sumLog2Short           = 20     // both, with -short or -race
	sumTol32, sumTol64     = 1e-6, 1e-12
)

// Sum's accumulation keeps its relative error within sumTol32 (float32) and
// sumTol64 (float64) up to N = 2^sumLog2N32 and 2^sumLog2N64. A block of 64
// elements is repeated, so the exact sum of the kernel's own per-element
// losses is known: repeated values are the worst case for a naive float32
// accumulator, which stalls long before 2^26.
func TestSumAccumulation(t *testing.T) {
	n32, n64 := 1<<sumLog2N32, 1<<sumLog2N64
	if testing.Short() || raceEnabled {
		n32, n64 = 1<<sumLog2Short, 1<<sumLog2Short
	}
	testSumAccumulation[float32](t, n32, sumTol32)
	testSumAccumulation[float64](t, n64, sumTol64)
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
