package focal_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/focalkernels/focal"
)

// mmcv's own sigmoid focal loss test (tests/test_ops/test_focal_loss.py,
// test_sigmoid): its inputs as class labels, α = 0.25, γ = 2, reduction
// "mean" (mmcv divides the sum, and the gradient, by the number of rows),
// and the loss and gradient it asserts, printed to 8 decimals from float32
// arithmetic. Every kernel's rows form, float32 and float64, and the checked
// functions give them within half a unit of the 8th decimal plus 4 ULP of
// float32 for mmcv's own arithmetic: its largest difference from the exact
// value is 3.0e-8, on the gradient 0.28808805 (0.288088021 exactly), and
// 2.5e-8 on the loss 1.10251057 (1.102510823).
func TestRowsMMCV(t *testing.T) {
	cases := []struct {
		x      [][]float64
		labels []int32
		loss   float64
		grad   [][]float64
	}{
		{[][]float64{{1, 0}, {0, 1}}, []int32{0, 1}, 0.13562961,
			[][]float64{{-0.00657264, 0.11185755}, {0.11185755, -0.00657264}}},
		{[][]float64{{1, 0, -1}, {0, 1, 2}}, []int32{2, 1}, 1.10251057,
			[][]float64{{0.28808805, 0.11185755, -0.09602935}, {0.11185755, -0.00657264, 0.40376765}}},
		{[][]float64{{1e-6, 2e-6, 3e-6}, {4e-6, 5e-5, 6e-4}, {7e-3, 8e-2, 9e-1}}, []int32{1, 2, 0}, 0.42287254,
			[][]float64{{0.07457182, -0.02485716, 0.07457201}, {0.07457211, 0.07457669, -0.02483728}, {-0.02462499, 0.08277918, 0.18050370}}},
	}
	tol := func(v float64) float64 { return 5e-9 + 4*0x1p-23*math.Abs(v) }
	check := func(name string, sum float64, positives int, grad []float64, n, c int, want float64, wantGrad [][]float64) {
		t.Helper()
		if positives != n {
			t.Errorf("%s: %d positives, want %d", name, positives, n)
		}
		if loss := sum / float64(n); math.Abs(loss-want) > tol(want) {
			t.Errorf("%s: mean loss %.9g, mmcv's %.8g", name, loss, want)
		}
		for i, g := range grad {
			if v := wantGrad[i/c][i%c]; math.Abs(g/float64(n)-v) > tol(v) {
				t.Errorf("%s: grad[%d]/N %.9g, mmcv's %.8g", name, i, g/float64(n), v)
			}
		}
	}
	p := focal.Params{Alpha: 0.25, Gamma: 2}
	for ci, c := range cases {
		n, C := len(c.x), len(c.x[0])
		r32 := focal.Rows[float32]{Labels: c.labels, C: C}
		r64 := focal.Rows[float64]{Labels: c.labels, C: C}
		for _, row := range c.x {
			for _, v := range row {
				// mmcv's inputs are float32 tensors: float64 gets the same values
				r32.X, r64.X = append(r32.X, float32(v)), append(r64.X, float64(float32(v)))
			}
		}
		widen := func(g []float32) []float64 {
			w := make([]float64, len(g))
			for i, v := range g {
				w[i] = float64(v)
			}
			return w
		}
		for _, k := range rowsKernels[float32](t) {
			s, pos := k.SumRows(r32, p)
			grad := make([]float32, n*C)
			k.LossGradRows(nil, grad, r32, p)
			check(fmt.Sprintf("case %d, %s float32", ci, k.Name()), s, pos, widen(grad), n, C, c.loss, c.grad)
		}
		for _, k := range rowsKernels[float64](t) {
			s, pos := k.SumRows(r64, p)
			grad := make([]float64, n*C)
			k.LossGradRows(nil, grad, r64, p)
			check(fmt.Sprintf("case %d, %s float64", ci, k.Name()), s, pos, grad, n, C, c.loss, c.grad)
		}
		s, pos, err := focal.SumRows(r32, p)
		grad := make([]float32, n*C)
		if err2 := focal.LossGradRows(nil, grad, r32, p); err != nil || err2 != nil {
			t.Fatalf("case %d, checked float32: %v, %v", ci, err, err2)
		}
		check(fmt.Sprintf("case %d, checked float32", ci), s, pos, widen(grad), n, C, c.loss, c.grad)
		s, pos, err = focal.SumRows(r64, p)
		grad64 := make([]float64, n*C)
		if err2 := focal.LossGradRows(nil, grad64, r64, p); err != nil || err2 != nil {
			t.Fatalf("case %d, checked float64: %v, %v", ci, err, err2)
		}
		check(fmt.Sprintf("case %d, checked float64", ci), s, pos, grad64, n, C, c.loss, c.grad)
	}
}
