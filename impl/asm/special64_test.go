package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
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
// does: every loss and gradient of the same kind as stable's (NaN, ±Inf, 0
// or finite); at x = ±Inf and NaN inputs stable's loss exactly; elsewhere
// the loss within both bars of stable's (kerneltest.StableLossULP64); over
// the whole float64 range, with α = 0, 1, 0.25 and off, hard and soft
// targets, one element at a time and in one slice.
func TestSpecial64(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	x := []float64{nan, 1, inf, inf, -inf, -inf, 0, math.MaxFloat64, -math.MaxFloat64, 5e-324,
		nan, inf, -inf, inf, -inf, math.MaxFloat64, -math.MaxFloat64, -1e300, 40, -0.5,
		-745, 745, 709.8, -709.8, 36.7, -36.7, 1e-300, -800, 800, 0x1p-1022}
	tt := []float64{0, nan, 1, 0, 0, 1, 1, 1, 0, 0,
		0.3, 0.25, 0.25, 1e-300, 1e-300, 0.05, 1e-20, 1e-300, 0.95, 0.5,
		0, 1, 0.5, 1e-310, 1 - 0x1p-53, 0x1p-60, 0.5, 0.999, 0.001, 1}
	for _, l := range testLevels() {
		for _, gamma := range kerneltest.Gammas {
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
						if d := ulp.Dist64(loss[i], want[i]); d > kerneltest.StableLossULP64 && math.Abs(want[i]) >= 0x1p-1022 {
							t.Errorf("%s: loss %d ULP from stable's", what, d)
						}
					}
				}
			}
		}
	}
}

// TestWideGamma64: above model.WideGamma every element takes the scalar float64
// path, which keeps stable's accuracy however large γ is (it is stable's
// algorithm): every level gives stable's results exactly there.
func TestWideGamma64(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	x, tt := kerneltest.Inputs[float64](rng, 200, kerneltest.Mixed)
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
