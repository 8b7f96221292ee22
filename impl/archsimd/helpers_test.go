//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"math"
	"math/rand/v2"
	"unsafe"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
	"github.com/focalkernels/focal/internal/ulp"
)

type float interface{ float32 | float64 }

// fns are one level's functions for element type F, so that the tests are
// written once for both types.
type fns[F float] struct {
	name     string
	loss     func(dst, x, t []F, alpha, gamma float64)
	sum      func(x, t []F, alpha, gamma float64) float64
	lossGrad func(loss, grad, x, t []F, alpha, gamma float64)
}

func levelFns[F float](l Level) fns[F] {
	name := "archsimd-" + l.String()
	var f any
	if is32[F]() {
		f = fns[float32]{name, l.Loss32, l.Sum32, l.LossGrad32}
	} else {
		f = fns[float64]{name, l.Loss64, l.Sum64, l.LossGrad64}
	}
	return f.(fns[F])
}

func is32[F float]() bool { return unsafe.Sizeof(F(0)) == 4 }

// dist is the ULP distance of the element type (0 for two NaNs).
func dist[F float](a, b F) uint64 {
	if is32[F]() {
		return ulp.Dist32(float32(a), float32(b))
	}
	return ulp.Dist64(float64(a), float64(b))
}

func same[F float](a, b F) bool {
	if is32[F]() {
		return math.Float32bits(float32(a)) == math.Float32bits(float32(b))
	}
	return math.Float64bits(float64(a)) == math.Float64bits(float64(b))
}

var gammas = []float64{0, 1, 2, 1.5, 3, 0.5, 5}

// The target patterns of inputs: where the soft targets are.
const (
	allHard   = iota
	mixed     // a third of the targets soft, at random
	allSoft   // every target soft
	oneInTen  // every tenth soft
	alternate // every other soft
	softTail  // soft only past the last whole AVX2 vector (n%8 of them)
	nPatterns
)

// inputs returns n logits and targets with the soft targets where pattern
// puts them. The logits cover the element type's range, subnormals
// included; a soft target is one of a few fixed values (extremes among
// them) or σ(x) itself, rounded, where σ(x) - t cancels and the float32
// lanes leave the gradient to float64.
func inputs[F float](rng *rand.Rand, n, pattern int) (x, t []F) {
	x, t = make([]F, n), make([]F, n)
	span := 250.0 // log2 of the largest logit over the smallest, float32
	if !is32[F]() {
		span = 2000
	}
	for i := range x {
		switch rng.IntN(5) {
		case 0:
			x[i] = F(rng.NormFloat64() * 4)
		case 1:
			x[i] = F(rng.NormFloat64() * 30)
		case 2: // log-uniform over the whole range
			x[i] = F(math.Exp2(rng.Float64()*span-span/2)) * F(1-2*rng.IntN(2))
		case 3:
			x[i] = F(rng.Float64()*200 - 100)
		default: // where the exponentials reach subnormals and 0
			x[i] = F((rng.Float64()*0.2 + 0.9) * (1 - 2*float64(rng.IntN(2))) * map[bool]float64{true: 104, false: 745}[is32[F]()])
		}
		t[i] = F(rng.IntN(2))
		var soft bool
		switch pattern {
		case mixed:
			soft = rng.IntN(3) == 0
		case allSoft:
			soft = true
		case oneInTen:
			soft = i%10 == 9
		case alternate:
			soft = i%2 == 1
		case softTail:
			soft = i >= n-n%8
		}
		if soft {
			t[i] = softTarget[F](rng, x[i])
		}
	}
	return x, t
}

// softTarget returns a target strictly between 0 and 1.
func softTarget[F float](rng *rand.Rand, x F) F {
	if rng.IntN(4) == 0 { // σ(x), where it is not 0 or 1 in F
		if s := F(1 / (1 + math.Exp(-float64(x)))); s > 0 && s < 1 {
			return s
		}
	}
	ts := []F{0.5, 0.1, 0.9, 0.25, 1e-3, 0.999, 1e-30, F(math.SmallestNonzeroFloat32), 1 - F(0x1p-24)}
	return ts[rng.IntN(len(ts))]
}

const sentinel = -12345.5

func filled[F float](n int) []F {
	s := make([]F, n)
	for i := range s {
		s[i] = sentinel
	}
	return s
}

// testLevels is the levels the tests loop over: Levels(), or with -toplevel
// the highest alone (see impl/internal/kerneltest).
func testLevels() []Level { return kerneltest.Levels(Levels()) }

// vectorLevels is testLevels() without Generic: the levels that the tests
// compare with Generic.
func vectorLevels() []Level { return kerneltest.Vector(Levels(), Generic) }
