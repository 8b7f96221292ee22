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
