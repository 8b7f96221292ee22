package model

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
)

// The rows form takes γ = 0 in the general mode (RowsMode): with hard
// targets that gives the bits of Mode0, the flat form's, in loss and
// gradient.
func TestRowsModeGenAtGamma0(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, alpha := range []float64{0.25, -1, 0, 1, 0.7} {
		x32, t32 := kerneltest.Inputs[float32](rng, 5000, kerneltest.AllHard)
		x64, t64 := kerneltest.Inputs[float64](rng, 5000, kerneltest.AllHard)
		x32 = append(x32, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()))
		t32 = append(t32, 0, 1, 1)
		g32, f32 := RowsParams32(alpha, 0), NewParams32(alpha, 0)
		if g32.Mode != ModeGen || f32.Mode != Mode0 {
			t.Fatalf("modes %d, %d", g32.Mode, f32.Mode)
		}
		for i := range x32 {
			l1, d1 := ElemHard32(x32[i], t32[i], &g32)
			l0, d0 := ElemHard32(x32[i], t32[i], &f32)
			if math.Float32bits(l1) != math.Float32bits(l0) || math.Float32bits(d1) != math.Float32bits(d0) {
				t.Fatalf("float32 α=%v x=%v t=%v: general mode %v, %v; Mode0 %v, %v", alpha, x32[i], t32[i], l1, d1, l0, d0)
			}
		}
		g64, f64 := RowsParams64(alpha, 0), NewParams64(alpha, 0)
		for i := range x64 {
			l1, d1 := ElemHard64(x64[i], t64[i], &g64)
			l0, d0 := ElemHard64(x64[i], t64[i], &f64)
			if math.Float64bits(l1) != math.Float64bits(l0) || math.Float64bits(d1) != math.Float64bits(d0) {
				t.Fatalf("float64 α=%v x=%v t=%v: general mode %v, %v; Mode0 %v, %v", alpha, x64[i], t64[i], l1, d1, l0, d0)
			}
		}
	}
}
