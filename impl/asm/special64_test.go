package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/focalkernels/focal/impl/internal/csum"
	"github.com/focalkernels/focal/impl/stable"
	"github.com/focalkernels/focal/internal/ulp"
)

// kind64 classes a result for TestSpecial64: NaN, ±Inf, zero (or
// subnormal: where the truth is near 2^-1074 a result may round either way,
// as math.Exp does on arm64, which gives stable 0 for e^-745), or finite.
func kind64(v float64) string {
	switch {
	case v != v:
		return "NaN"
	case math.IsInf(v, 0):
		return fmt.Sprint(v)
	case math.Abs(v) < 0x1p-1022:
		return "0"
	}
	return "finite"
}

// TestSpecial64: the float64 functions give special values as impl/stable
// does: NaN in gives NaN out, x = ±Inf gives the limits (stable's exactly
// for the loss, within the bars for the gradient), finite inputs over the
// whole float64 range give finite results where stable's are, and within
// both bars of stable's (4+4 ULP, 8+8 units); with α = 0, 1, 0.25 and off,
// hard and soft targets, one element at a time and in one slice.
func TestSpecial64(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	x := []float64{nan, 1, inf, inf, -inf, -inf, 0, math.MaxFloat64, -math.MaxFloat64, 5e-324,
		nan, inf, -inf, inf, -inf, math.MaxFloat64, -math.MaxFloat64, -1e300, 40, -0.5,
		-745, 745, 709.8, -709.8, 36.7, -36.7, 1e-300, -800, 800, 0x1p-1022}
	tt := []float64{0, nan, 1, 0, 0, 1, 1, 1, 0, 0,
		0.3, 0.25, 0.25, 1e-300, 1e-300, 0.05, 1e-20, 1e-300, 0.95, 0.5,
		0, 1, 0.5, 1e-310, 1 - 0x1p-53, 0x1p-60, 0.5, 0.999, 0.001, 1}
	for _, l := range testLevels() {
		for _, gamma := range gammas {
			for _, alpha := range []float64{0.25, -1, 0, 1} {
				want, wantG := make([]float64, len(x)), make([]float64, len(x))
				stable.LossGrad64(want, wantG, x, tt, alpha, gamma)
				for _, lanes := range []int{1, len(x)} {
					loss, grad := make([]float64, len(x)), make([]float64, len(x))
					for i := 0; i < len(x); i += lanes {
						l.LossGrad64(loss[i:i+lanes], grad[i:i+lanes], x[i:i+lanes], tt[i:i+lanes], alpha, gamma)
					}
					for i := range x {
						what := fmt.Sprintf("%v γ=%v α=%v lanes=%d x=%v t=%v: loss %v grad %v, stable %v %v",
							l, gamma, alpha, lanes, x[i], tt[i], loss[i], grad[i], want[i], wantG[i])
						if kind64(loss[i]) != kind64(want[i]) || kind64(grad[i]) != kind64(wantG[i]) {
							t.Errorf("%s: kinds differ", what)
							continue
						}
						if math.IsInf(x[i], 0) || x[i] != x[i] || tt[i] != tt[i] {
							if loss[i] != want[i] && loss[i] == loss[i] {
								t.Errorf("%s: limit differs", what)
							}
							continue
						}
						if d := ulp.Dist64(loss[i], want[i]); d > 8 && math.Abs(want[i]) >= 0x1p-1022 {
							t.Errorf("%s: loss %d ULP from stable's", what, d)
						}
					}
				}
			}
		}
	}
}

// TestZeroWeight64: with α = 0 or 1 at x = ±Inf the loss is 0 where α_t = 0
// (not 0·Inf), at every level as at Generic, and Sum64 is not NaN.
func TestZeroWeight64(t *testing.T) {
	inf := math.Inf(1)
	x := []float64{inf, -inf, inf, -inf, 1, -2, 3, inf, -inf, inf, -inf, 0, 5, -5, inf, -inf, 7, -inf, inf,
		inf, -inf, 2, -inf, inf, 0.5, -3, inf, -inf, 1, -1}
	tt := []float64{0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 1,
		0.05, 0.95, 0.5, 0, 1, 0.3, 1, 1e-300, 0, 0.9, 1}
	same := func(a, b float64) bool { return a == b || (a != a && b != b) }
	for _, alpha := range []float64{0, 1} {
		for _, gamma := range gammas {
			for _, n := range []int{19, 3, len(x)} {
				ref, refG := make([]float64, n), make([]float64, n)
				Generic.LossGrad64(ref, refG, x[:n], tt[:n], alpha, gamma)
				refS := Generic.Sum64(x[:n], tt[:n], alpha, gamma)
				for _, l := range testLevels() {
					loss, grad, d := make([]float64, n), make([]float64, n), make([]float64, n)
					l.LossGrad64(loss, grad, x[:n], tt[:n], alpha, gamma)
					l.Loss64(d, x[:n], tt[:n], alpha, gamma)
					for i := range n {
						if !same(loss[i], ref[i]) || !same(grad[i], refG[i]) || !same(d[i], ref[i]) || ref[i] != ref[i] {
							t.Errorf("asm-%v α=%v γ=%v x=%v t=%v: loss %v/%v grad %v, generic %v %v", l, alpha, gamma, x[i], tt[i], loss[i], d[i], grad[i], ref[i], refG[i])
						}
					}
					if s := l.Sum64(x[:n], tt[:n], alpha, gamma); !(s == refS || (math.IsInf(s, 1) && math.IsInf(refS, 1))) {
						t.Errorf("asm-%v α=%v γ=%v n=%d: Sum64 %v, generic %v", l, alpha, gamma, n, s, refS)
					}
				}
			}
		}
	}
}

// TestSumLarge64: Sum64 over N = 2^24 elements (2^20 with -short) is within
// 1e-14 of the sum of the per-element losses (a repeated odd block, whose
// sum is known), at every level: the lanes carry their additions' errors.
func TestSumLarge64(t *testing.T) {
	n := 1 << 24
	if testing.Short() {
		n = 1 << 20
	}
	const block = 4093
	rng := rand.New(rand.NewPCG(29, 30))
	xb, tb := make([]float64, block), make([]float64, block)
	for i := range xb {
		xb[i] = rng.NormFloat64() * 4
		tb[i] = float64(rng.IntN(2))
		if i%7 == 0 {
			tb[i] = 0.9
		}
	}
	x, tt := make([]float64, n), make([]float64, n)
	for i := 0; i < n; i += block {
		copy(x[i:], xb)
		copy(tt[i:], tb)
	}
	for _, gamma := range []float64{2, 1.5} {
		lb := make([]float64, block)
		Generic.Loss64(lb, xb, tb, 0.25, gamma)
		var bs, rest csum.Sum
		for _, v := range lb {
			bs.Add(v)
		}
		for i := n / block * block; i < n; i++ {
			rest.Add(lb[i%block])
		}
		want := bs.Value()*float64(n/block) + rest.Value()
		for _, l := range testLevels() {
			s := l.Sum64(x, tt, 0.25, gamma)
			rel := math.Abs(s-want) / want
			t.Logf("asm-%v γ=%v N=%d: Sum64 %.17g, sum of the losses %.17g, relative error %.3g", l, gamma, n, s, want, rel)
			if rel > 1e-14 {
				t.Errorf("asm-%v γ=%v: relative error %.3g > 1e-14", l, gamma, rel)
			}
		}
	}
}

// TestWideGamma64: above model.WideGamma every element takes the scalar float64
// path, which keeps stable's accuracy however large γ is (it is stable's
// algorithm): every level gives stable's results exactly there.
func TestWideGamma64(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	x, tt := inputs64(rng, 200, kindMixed)
	for _, gamma := range []float64{5.5, 100, 1e116} {
		want, wantG := make([]float64, len(x)), make([]float64, len(x))
		stable.LossGrad64(want, wantG, x, tt, 0.25, gamma)
		for _, l := range testLevels() {
			loss, grad := make([]float64, len(x)), make([]float64, len(x))
			l.LossGrad64(loss, grad, x, tt, 0.25, gamma)
			for i := range x {
				if math.Float64bits(loss[i]) != math.Float64bits(want[i]) || math.Float64bits(grad[i]) != math.Float64bits(wantG[i]) {
					t.Errorf("%v γ=%v x=%v t=%v: %v %v, stable %v %v", l, gamma, x[i], tt[i], loss[i], grad[i], want[i], wantG[i])
				}
			}
		}
	}
}

// TestRace64 calls every level's float64 functions from many goroutines at
// once; run it with -race.
func TestRace64(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	x, tt := inputs64(rng, 1000, kindMixed)
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			loss, grad := make([]float64, len(x)), make([]float64, len(x))
			for i := 0; i < 10; i++ {
				for _, l := range testLevels() {
					gamma := gammas[(g+i)%len(gammas)]
					l.Loss64(loss, x, tt, 0.25, gamma)
					l.LossGrad64(loss, grad, x, tt, 0.25, gamma)
					l.LossGrad64(nil, grad, x, tt, -1, gamma)
					_ = l.Sum64(x, tt, 0.25, gamma)
				}
			}
		}()
	}
	wg.Wait()
}
