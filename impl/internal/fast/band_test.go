package fast

import (
	"math/rand/v2"
	"testing"
)

// TestBand measures how often σ(x) - t is formed again by dd.SigmaMinus:
// on label smoothing's targets (0.05 and 0.95) and IoU-style ones (uniform
// in (0, 1]) with logits from N(0, 4²), as the module's benchmarks draw
// them, at γ = 0 (where nothing but d is in the gradient) and γ = 2. The
// band is where |q^γ·(σ(x) - t)| + |γ-term| is below q^γ·σ·2^-25 (float32)
// or q^γ·(σ(x)σ(-x)/256 + σ·2^-51) (float64): for γ > 0 the γ-term keeps
// every element out of it but those with t near ½.
func TestBand(t *testing.T) {
	defer func() { bandHook = nil }()
	var hits int
	bandHook = func() { hits++ }
	const n = 1 << 18
	rng := rand.New(rand.NewPCG(51, 52))
	x32, x64 := make([]float32, n), make([]float64, n)
	smooth32, smooth64 := make([]float32, n), make([]float64, n)
	iou32, iou64 := make([]float32, n), make([]float64, n)
	for i := range n {
		x64[i] = 4 * rng.NormFloat64()
		x32[i] = float32(x64[i])
		smooth64[i] = []float64{0.05, 0.95}[rng.IntN(2)]
		iou64[i] = 1 - rng.Float64()
		smooth32[i], iou32[i] = float32(smooth64[i]), float32(iou64[i])
	}
	g32, g64 := make([]float32, n), make([]float64, n)
	for _, c := range []struct {
		name  string
		gamma float64
		max32 float64 // the fraction asserted, above what was measured
		max64 float64
		t32   []float32
		t64   []float64
	}{
		{"smooth γ=0", 0, 1e-5, 1e-3, smooth32, smooth64},
		{"smooth γ=2", 2, 0, 0, smooth32, smooth64},
		{"iou γ=0", 0, 1e-5, 1e-3, iou32, iou64},
		{"iou γ=2", 2, 1e-5, 1e-5, iou32, iou64},
	} {
		hits = 0
		LossGrad32(nil, g32, x32, c.t32, 0.25, c.gamma)
		f32 := float64(hits) / n
		hits = 0
		LossGrad64(nil, g64, x64, c.t64, 0.25, c.gamma)
		f64 := float64(hits) / n
		t.Logf("%s: %.3g%% of float32 elements in the band, %.3g%% of float64", c.name, 100*f32, 100*f64)
		if f32 > c.max32 || f64 > c.max64 {
			t.Errorf("%s: band fractions %.3g (float32), %.3g (float64); want at most %.3g, %.3g", c.name, f32, f64, c.max32, c.max64)
		}
	}
}
