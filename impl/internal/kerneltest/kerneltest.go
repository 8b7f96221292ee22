// Package kerneltest is what the kernel families' tests share: the inputs
// they draw, the γ they try, the tolerances (tol.go), the sentinel that
// shows a write past the end, guard pages, the levels a test loops over
// (with -toplevel, the highest alone), and the tests themselves, written
// once over a Family (Suite: agreement with Generic across levels and
// offsets, the golden bars, special values, sums, allocation, concurrency,
// guard pages; CheckLevels). It is imported by tests only.
package kerneltest

import (
	"flag"
	"math"
	"math/rand/v2"
	"unsafe"
)

// Float is an element type of the kernels.
type Float interface{ float32 | float64 }

// Is32 reports whether F is float32.
func Is32[F Float]() bool { return unsafe.Sizeof(F(0)) == 4 }

// Gammas are the γ the tests try: each mode of the lanes (0, 1, 2, general),
// fractions, and the golden rows' largest.
var Gammas = []float64{0, 1, 2, 1.5, 3, 0.5, 5}

// Patterns of Inputs: where the soft targets are.
const (
	AllHard   = iota // every target 0 or 1
	Mixed            // a third of the targets soft, at random
	AllSoft          // every target soft
	Sparse           // one in 22 soft (i%22 == 20): steps whose first or second vector alone has a soft lane, at 2, 4, 8 and 16 lanes
	Sparser          // one in 40 soft (i%40 == 39): steps of three 16-lane vectors whose first two are all hard
	Alternate        // every other soft
	SoftTail         // soft only past the last whole 8-lane vector (n%8 of them)
	Smoothed         // label smoothing: every target 1-ε/2 or ε/2, one ε a call (Smoothings), and one in 30 another soft target
	NPatterns
)

// Inputs returns n logits and targets with the soft targets where pattern
// puts them. The logits cover the element type's range, subnormals
// included, and where the exponentials reach subnormals and 0; a soft
// target is one of a few fixed values (extremes among them) or σ(x) itself,
// rounded, where σ(x) - t cancels and the lanes leave the gradient to the
// scalar path.
func Inputs[F Float](rng *rand.Rand, n, pattern int) (x, t []F) {
	x, t = make([]F, n), make([]F, n)
	span, edge := 250.0, 104.0 // log2 of the largest logit over the smallest; where exp(-|x|) is subnormal
	if !Is32[F]() {
		span, edge = 2000, 745
	}
	var eps float64
	if pattern == Smoothed {
		eps = Smoothings[rng.IntN(len(Smoothings))]
	}
	for i := range x {
		switch rng.IntN(5) {
		case 0:
			x[i] = F(rng.NormFloat64() * 4)
		case 1:
			x[i] = F(rng.NormFloat64() * 30)
		case 2: // log-uniform over the whole range
			x[i] = F(math.Exp2(float64(rng.Float64()*span)-span/2)) * F(1-2*rng.IntN(2))
		case 3:
			x[i] = F(float64(rng.Float64()*200) - 100)
		default:
			x[i] = F((float64(rng.Float64()*0.2) + 0.9) * (1 - 2*float64(rng.IntN(2))) * edge)
		}
		t[i] = F(rng.IntN(2))
		var soft bool
		switch pattern {
		case Mixed:
			soft = rng.IntN(3) == 0
		case AllSoft:
			soft = true
		case Sparse:
			soft = i%22 == 20
		case Sparser:
			soft = i%40 == 39
		case Alternate:
			soft = i%2 == 1
		case SoftTail:
			soft = i >= n-n%8
		case Smoothed:
			t[i] = F(math.Abs(float64(t[i]) - float64(eps/2))) // 1 - ε/2 or ε/2
			soft = rng.IntN(30) == 0
		}
		if soft {
			t[i] = SoftTarget[F](rng, x[i])
		}
	}
	return x, t
}

// Smoothings are the ε of the Smoothed pattern: Keras' and mmdet's usual
// ones, ε = 1 (every target 1/2), ε = 0 (hard targets), and ε/2 below the
// two-valued body's threshold of float32 (2^-42) and of float64 (2^-340),
// whose lanes the lanes leave to the scalar path: among them 2^-401, where
// q^γ underflows at γ = 3 while the loss of x = -1.49e215 is 2.09e-268
// (the scalar path scales q^γ by a power of two there), and 2^-1000.
var Smoothings = []float64{0.1, 0.2, 0.01, 1, 0, 0x1p-50, 0x1p-400, 0x1p-999}

// SoftTarget returns a target strictly between 0 and 1: σ(x) rounded (where
// that is not 0 or 1, and σ(x) - t cancels), label smoothing's, a few fixed
// ones and the extremes, targets near 0 and 1 (e^-u and 1 - e^-u for u up
// to 40, or 700 in float64, with float64's own extremes), or uniform.
func SoftTarget[F Float](rng *rand.Rand, x F) F {
	switch rng.IntN(6) {
	case 0:
		if s := F(1 / (1 + math.Exp(-float64(x)))); s > 0 && s < 1 {
			return s
		}
	case 1:
		if !Is32[F]() {
			ts := []float64{1e-300, 1 - 0x1p-53, 0x1p-60, 1e-10}
			return F(ts[rng.IntN(len(ts))])
		}
	case 2:
		u := 40.0
		if !Is32[F]() {
			u = 700
		}
		if v := F(math.Exp(-rng.Float64() * u)); v > 0 && v < 1 && 1-v < 1 {
			return []F{v, 1 - v}[rng.IntN(2)]
		}
	case 3:
		if v := F(rng.Float64()); v > 0 {
			return v
		}
	}
	ts := []F{0.05, 0.95, 0.5, 0.1, 0.9, 0.25, 1e-3, 0.999, 1e-30, F(math.SmallestNonzeroFloat32), 1 - F(0x1p-24)}
	return ts[rng.IntN(len(ts))]
}

// Sentinel fills the room past an output's end (Filled), so that a write
// past it shows (CheckSentinel).
const Sentinel = -12345.5

// Filled returns n elements of Sentinel.
func Filled[F Float](n int) []F {
	s := make([]F, n)
	for i := range s {
		s[i] = Sentinel
	}
	return s
}

// Written returns the index of the first element of s from from on that is
// not Sentinel, or -1.
func Written[F Float](s []F, from int) int {
	for i := from; i < len(s); i++ {
		if s[i] != Sentinel {
			return i
		}
	}
	return -1
}

// toplevel trims the tests to the highest dispatch level. It is for an
// emulated CPU (.ci/avx512-emu passes it): there the levels below have
// already been tested natively, and emulating them again, in software
// floating point, would triple the run.
var toplevel = flag.Bool("toplevel", false, "test only the highest dispatch level")

// Levels is usable (the levels this CPU runs), or with -toplevel the last alone.
func Levels[L any](usable []L) []L {
	if *toplevel && len(usable) > 0 {
		return usable[len(usable)-1:]
	}
	return usable
}

// Vector is Levels(usable) without generic: the levels a test holds to the
// scalar model's results.
func Vector[L comparable](usable []L, generic L) []L {
	var ls []L
	for _, l := range Levels(usable) {
		if l != generic {
			ls = append(ls, l)
		}
	}
	return ls
}
