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
	if math.Abs(v) < 0x1p-1022 {
		return "0"
	}
	return kerneltest.Kind(v)
}

// TestSoftAccuracy: at every level, soft targets (random, and the logits
// where σ(x) ≈ t, where σ(x) - t cancels) are within 5 ULP (loss) and 8
// units of the gradient's scale·2^-23 of stable's float32 kernel, stable
// being itself within 1 ULP and 2 units of the truth. The flagged lanes
// (float64) are among them.
func TestSoftAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	n := 20000
	if testing.Short() {
		n = 4000
	}
	x, tt := make([]float32, 0, 2*n), make([]float32, 0, 2*n)
	for range n {
		xs, ts := kerneltest.Inputs[float32](rng, 1, kerneltest.AllSoft)
		x, tt = append(x, xs[0]), append(tt, ts[0])
	}
	for _, tv := range []float32{1e-4, 0.05, 0.1, 0.45, 0.499, 0.5, 0.501, 0.7, 0.95, 1 - 1e-4} {
		root := float32(math.Log(float64(tv) / (1 - float64(tv))))
		for i := -n / 20; i < n/20; i++ {
			x, tt = append(x, root+float32(i)*1e-4/float32(n)), append(tt, tv)
		}
	}
	for _, l := range testLevels() {
		for _, gamma := range kerneltest.Gammas {
			for _, alpha := range []float64{0.25, -1} {
				what := fmt.Sprintf("asm-%v γ=%v α=%v", l, gamma, alpha)
				loss, grad := make([]float32, len(x)), make([]float32, len(x))
				l.LossGrad32(loss, grad, x, tt, alpha, gamma)
				rl, rg := make([]float32, len(x)), make([]float32, len(x))
				stable.LossGrad32(rl, rg, x, tt, alpha, gamma)
				var maxL uint64
				var maxG float64
				for i := range x {
					if a := math.Abs(float64(rl[i])); a == 0 || a >= 0x1p-126 && !math.IsInf(a, 0) {
						if d := ulp.Dist32(loss[i], rl[i]); d > maxL {
							maxL = d
							if d > kerneltest.SoftLossULP {
								t.Errorf("%s x=%v t=%v: loss %v, stable %v (%d ULP)", what, x[i], tt[i], loss[i], rl[i], d)
							}
						}
					}
					if sc := ulp.GradScale(float64(x[i]), float64(tt[i]), alpha, gamma); sc >= 0x1p-126 && !math.IsInf(sc, 0) {
						if e := ulp.GradErr(float64(grad[i]), float64(rg[i]), sc, ulp.Eps32); e > maxG {
							maxG = e
							if e > kerneltest.SoftGradUnits {
								t.Errorf("%s x=%v t=%v: grad %v, stable %v (%.3g units)", what, x[i], tt[i], grad[i], rg[i], e)
							}
						}
					}
				}
				t.Logf("%s: loss %d ULP, grad %.3g units from stable over %d soft targets", what, maxL, maxG, len(x))
			}
		}
	}
}

// TestSoftDegenerate: the lanes left to float64, at every level, among
// other lanes: a tiny target where α_t·m underflows while CE is huge or
// +Inf (a loss of 0 or NaN once), a hard lane with α_t = 0 beside them
// (which must not be flagged), a subnormal target, and a NaN input beside a
// flagged lane (whose loss must be the same bits from Loss32 and LossGrad32).
func TestSoftDegenerate(t *testing.T) {
	inf := float32(math.Inf(1))
	x := []float32{-inf, -2.8157312e29, -1, 1e30, -50, float32(math.NaN()), -0.5, 3, -1e38, 0.25}
	tt := []float32{1.8111469e-16, 1.4039347e-16, 1, 1e-40, 1e-40, 0.5, 0.37732220, 0.3, 1e-20, 0.2}
	for _, l := range testLevels() {
		for _, alpha := range []float64{1, 0, 0.25, -1} {
			for _, gamma := range kerneltest.Gammas {
				what := fmt.Sprintf("asm-%v α=%v γ=%v", l, alpha, gamma)
				loss, grad, d := make([]float32, len(x)), make([]float32, len(x)), make([]float32, len(x))
				l.LossGrad32(loss, grad, x, tt, alpha, gamma)
				l.Loss32(d, x, tt, alpha, gamma)
				rl, rg := make([]float32, len(x)), make([]float32, len(x))
				stable.LossGrad32(rl, rg, x, tt, alpha, gamma)
				for i := range x {
					if math.Float32bits(d[i]) != math.Float32bits(loss[i]) {
						t.Errorf("%s x=%v t=%v: Loss32 %v (%#x) but LossGrad32's loss %v (%#x)", what, x[i], tt[i], d[i], math.Float32bits(d[i]), loss[i], math.Float32bits(loss[i]))
					}
					if x[i] != x[i] {
						continue
					}
					if rl[i] == 0 || math.Abs(float64(rl[i])) >= 0x1p-126 {
						if dl := ulp.Dist32(loss[i], rl[i]); dl > kerneltest.SoftLossULP {
							t.Errorf("%s x=%v t=%v: loss %v, stable %v (%d ULP)", what, x[i], tt[i], loss[i], rl[i], dl)
						}
					}
					if grad[i] != grad[i] || math.IsInf(float64(grad[i]), 0) {
						t.Errorf("%s x=%v t=%v: grad %v, stable %v", what, x[i], tt[i], grad[i], rg[i])
					}
				}
				if s := l.Sum32(x[:5], tt[:5], alpha, gamma); s != s {
					t.Errorf("%s: Sum32 of the finite-input lanes is NaN", what)
				}
			}
		}
	}
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
						what := func() string {
							return fmt.Sprintf("%v γ=%v α=%v lanes=%d x=%v t=%v: loss %v grad %v, stable %v %v",
								l, gamma, alpha, lanes, x[i], tt[i], loss[i], grad[i], want[i], wantG[i])
						}
						if kind64(loss[i]) != kind64(want[i]) || kind64(grad[i]) != kind64(wantG[i]) {
							t.Errorf("%s: kinds differ", what())
							continue
						}
						if math.IsInf(x[i], 0) || x[i] != x[i] || tt[i] != tt[i] {
							if loss[i] != want[i] && loss[i] == loss[i] {
								t.Errorf("%s: limit differs", what())
							}
							continue
						}
						if d := ulp.Dist64(loss[i], want[i]); d > kerneltest.StableLossULP64 && math.Abs(want[i]) >= 0x1p-1022 {
							t.Errorf("%s: loss %d ULP from stable's", what(), d)
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
