package asm

import (
	"math"
	"testing"
)

// TestUniformSpecial: label-smoothed targets (ε = 0.1) over special logits,
// enough of them that the vector levels' uniform steps (impl/asm/_asm's
// uniform.go) run on the kept targets: every level gives Generic's bits, NaN
// for NaN, at every vector level. The uniform step leaves out the two-valued body's clamp of CE to
// L, which only a target with e = 0 needs (w·|z| = 0·Inf at x = ∓Inf): a
// kept target has e ≥ twoMin.
func TestUniformSpecial(t *testing.T) {
	sp := []float64{math.Inf(1), math.Inf(-1), math.NaN(), 0, math.Copysign(0, -1), 1e-30,
		88, -88, 104, -104, 745, -745, 1e300, -1e300}
	const n = 960
	x, tt := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i], tt[i] = sp[i%len(sp)], 0.05
		if i%3 == 0 {
			tt[i] = 0.95
		}
	}
	x32, t32 := make([]float32, n), make([]float32, n)
	for i := range x {
		x32[i], t32[i] = float32(x[i]), float32(tt[i])
	}
	gl, gg := make([]float32, n), make([]float32, n)
	Generic.LossGrad32(gl, gg, x32, t32, 0.25, 2)
	gl64, gg64 := make([]float64, n), make([]float64, n)
	Generic.LossGrad64(gl64, gg64, x, tt, 0.25, 2)
	same := func(a, b float64) bool { return a == b && math.Signbit(a) == math.Signbit(b) || a != a && b != b }
	for _, l := range Levels() {
		if l == Generic || l == PureGo { // PureGo is its own code (fast), not the model's
			continue
		}
		loss, grad := make([]float32, n), make([]float32, n)
		l.LossGrad32(loss, grad, x32, t32, 0.25, 2)
		loss64, grad64 := make([]float64, n), make([]float64, n)
		l.LossGrad64(loss64, grad64, x, tt, 0.25, 2)
		for i := range x {
			if !same(float64(loss[i]), float64(gl[i])) || !same(float64(grad[i]), float64(gg[i])) {
				t.Errorf("%v float32 element %d (x=%v t=%v): %v, %v; Generic %v, %v", l, i, x32[i], t32[i], loss[i], grad[i], gl[i], gg[i])
			}
			if !same(loss64[i], gl64[i]) || !same(grad64[i], gg64[i]) {
				t.Errorf("%v float64 element %d (x=%v t=%v): %v, %v; Generic %v, %v", l, i, x[i], tt[i], loss64[i], grad64[i], gl64[i], gg64[i])
			}
		}
	}
}
