package focal_test

import (
	"math"
	"testing"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/internal/ulp"
)

// Smoothing that the two-valued body does not take (rows.TwoValue): so
// small that its negative target is below 2^-42 (float32), or so near 1
// that both targets round to 1/2. With logits up to ±MaxFloat and ±Inf,
// every kernel's rows form gives the losses of the element formula
// (stable's, within the two kernels' loss bars), and +Inf at x = -Inf,
// where such a target's loss is infinite. Kernels whose bar is relative or
// bounded in |x| (naive's) are not held here. Before such calls went to the
// scalar path (model.RowsLanesTake), the lanes ran the two-valued body on
// them: 84 ULP off at x = -1e38 and NaN at -Inf for ε = 2e-20 and 1e-30,
// and half the loss at ε = 1 - 2^-26, whose tables held α, not α_t.
func TestRowsTinySmoothing(t *testing.T) {
	inf := float32(math.Inf(1))
	x := []float32{-inf, -math.MaxFloat32, -1e38, 1e38, -1e20, 3, inf, -2, 0.5}
	p := focal.Params{Alpha: 0.25, Gamma: 2}
	stable, _ := focal.Lookup[float32]("stable")
	sb, _ := focal.BarOf[float32]("stable")
	for _, eps := range []float64{1e-30, 2e-20, 1e-15, 1 - 0x1p-26} {
		p.Smoothing = eps
		r := focal.Rows[float32]{X: x, Labels: []int32{1, 3, 0}, C: 3}
		want := make([]float32, len(x))
		stable.(focal.RowsKernel[float32]).LossRows(want, r, p)
		if !math.IsInf(float64(want[0]), 1) {
			t.Fatalf("ε=%v: stable's loss at x=-Inf is %v", eps, want[0])
		}
		for _, k := range rowsKernels[float32](t) {
			b, _ := focal.BarOf[float32](k.Name())
			if b.Rel > 0 || b.MaxAbsX > 0 {
				continue
			}
			got := make([]float32, len(x))
			k.LossRows(got, r, p)
			for i := range got {
				if got[i] != want[i] && ulp.Dist32(got[i], want[i]) > b.LossULP+sb.LossULP {
					t.Errorf("ε=%v %s: x=%v loss %v, stable %v", eps, k.Name(), x[i], got[i], want[i])
				}
			}
		}
	}
}
