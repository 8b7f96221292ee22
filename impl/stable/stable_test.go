package stable

import (
	"math"
	"testing"
)

// Soft targets near 0 or 1 with σ(x) near the target: σ(x)-t must keep its
// relative accuracy (γ = 0, α off, so loss = CE and grad = σ(x)-t). The
// references are mpmath's at 60 digits.
func TestSoftTargetNearEnds(t *testing.T) {
	for _, c := range []struct {
		x, t, loss, grad float64
	}{
		{-80, 1e-30, 8.0000018048513885121e-29, -9.9998195148612162918e-31},
		{37, 0.9999999999999812, 6.9430778777436782538e-13, 1.8677438639907704882e-14},
		{36.70000000000001, 1 - 0x1p-53, 4.1897025953050857459e-15, -4.1617924682444774778e-18}, // σ(x) and t agree to all 53 bits
	} {
		loss, grad := make([]float64, 1), make([]float64, 1)
		LossGrad64(loss, grad, []float64{c.x}, []float64{c.t}, -1, 0)
		if e := math.Abs(loss[0]-c.loss) / c.loss; e > 4e-16 {
			t.Errorf("x=%v t=%v: loss %v, want %v (relative error %.2g)", c.x, c.t, loss[0], c.loss, e)
		}
		if e := math.Abs(grad[0]-c.grad) / math.Abs(c.grad); e > 4e-16 {
			t.Errorf("x=%v t=%v: grad %v, want %v (relative error %.2g)", c.x, c.t, grad[0], c.grad, e)
		}
	}
	// float32: t = 1e-30 rounds to 1.0000000031710769e-30.
	loss, grad := make([]float32, 1), make([]float32, 1)
	LossGrad32(loss, grad, []float32{-80}, []float32{1e-30}, -1, 0)
	if want := float32(-9.9998195465719839682e-31); grad[0] != want {
		t.Errorf("float32 x=-80 t=1e-30: grad %v, want %v", grad[0], want)
	}
	if want := float32(8.0000018302200026532e-29); loss[0] != want {
		t.Errorf("float32 x=-80 t=1e-30: loss %v, want %v", loss[0], want)
	}
}

// TestSoftPow: q^γ for a soft target keeps its accuracy where γ·log q is
// large (math.Pow's error grows with it). The reference is mpmath's at 200
// bits: x = 60, t = 0.9999999964316106 (q = 3.6e-9), γ = 0.42502905606864155,
// α off.
func TestSoftPow(t *testing.T) {
	loss := make([]float64, 1)
	Loss64(loss, []float64{60}, []float64{0.9999999964316106}, -1, 0.42502905606864155)
	const want = 5.4976708495014996348e-11
	u := math.Nextafter(want, 1) - want
	if e := math.Abs(loss[0]-want) / u; e > 2 {
		t.Errorf("loss %v, want %v: %.2g ULP", loss[0], want, e)
	}
}
