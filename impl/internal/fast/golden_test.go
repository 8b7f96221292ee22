package fast_test

import (
	"math"
	"testing"

	"github.com/focalkernels/focal/impl/internal/fast"
	"github.com/focalkernels/focal/internal/golden"
	"github.com/focalkernels/focal/internal/ulp"
)

// The bars of the module's kernels: loss within 4 ULP of the truth rounded
// to the element type, gradient within 8·eps·scale (scale: the size of the
// gradient's two terms; see ulp.GradErr).
const (
	barLoss = 4
	barGrad = 8
)

func normal32(v float64) bool {
	a := math.Abs(v)
	return a == 0 || a >= 0x1p-126 && a <= math.MaxFloat32
}

func normal64(v float64) bool {
	a := math.Abs(v)
	return a == 0 || a >= 0x1p-1022 && !math.IsInf(a, 0)
}

// TestGolden holds both types to the bars over every golden row (hard and
// soft targets, α off and on, γ from 0 to 5, logits from 0 to ±3e38) whose
// true value is a normal number of the type; and Sum and Loss agree with
// LossGrad's loss on each.
func TestGolden(t *testing.T) {
	rows := golden.Rows()
	var maxL32, maxL64 uint64
	var maxG32, maxG64 float64
	for i, r := range rows {
		x32, t32 := []float32{float32(r.X)}, []float32{float32(r.T)}
		l32, g32, d32 := make([]float32, 1), make([]float32, 1), make([]float32, 1)
		fast.LossGrad32(l32, g32, x32, t32, r.Alpha, r.Gamma)
		fast.Loss32(d32, x32, t32, r.Alpha, r.Gamma)
		if s := fast.Sum32(x32, t32, r.Alpha, r.Gamma); float32(s) != l32[0] && !(s != s && l32[0] != l32[0]) || math.Float32bits(d32[0]) != math.Float32bits(l32[0]) {
			t.Errorf("row %d: Sum32 %v, Loss32 %v, LossGrad32's loss %v", i, s, d32[0], l32[0])
		}
		if normal32(r.RefLoss) {
			if d := ulp.Dist32(l32[0], float32(r.RefLoss)); d > maxL32 {
				maxL32 = d
				if d > barLoss {
					t.Errorf("row %d %+v: float32 loss %v, %d ULP", i, r, l32[0], d)
				}
			}
		}
		if normal32(r.RefGrad) {
			if e := ulp.GradErr(float64(g32[0]), r.RefGrad, r.RefGradScale, ulp.Eps32); e > maxG32 {
				maxG32 = e
				if e > barGrad {
					t.Errorf("row %d %+v: float32 gradient %v, %.3g units", i, r, g32[0], e)
				}
			}
		}

		x64, t64 := []float64{r.X}, []float64{r.T}
		l64, g64, d64 := make([]float64, 1), make([]float64, 1), make([]float64, 1)
		fast.LossGrad64(l64, g64, x64, t64, r.Alpha, r.Gamma)
		fast.Loss64(d64, x64, t64, r.Alpha, r.Gamma)
		if s := fast.Sum64(x64, t64, r.Alpha, r.Gamma); s != l64[0] && !(s != s && l64[0] != l64[0]) || math.Float64bits(d64[0]) != math.Float64bits(l64[0]) {
			t.Errorf("row %d: Sum64 %v, Loss64 %v, LossGrad64's loss %v", i, s, d64[0], l64[0])
		}
		if normal64(r.RefLoss) {
			if d := ulp.Dist64(l64[0], r.RefLoss); d > maxL64 {
				maxL64 = d
				if d > barLoss {
					t.Errorf("row %d %+v: float64 loss %v, %d ULP", i, r, l64[0], d)
				}
			}
		}
		if normal64(r.RefGrad) {
			if e := ulp.GradErr(g64[0], r.RefGrad, r.RefGradScale, ulp.Eps64); e > maxG64 {
				maxG64 = e
				if e > barGrad {
					t.Errorf("row %d %+v: float64 gradient %v, %.3g units", i, r, g64[0], e)
				}
			}
		}
	}
	t.Logf("float32 over %d golden rows: loss within %d ULP, gradient within %.3g units", len(rows), maxL32, maxG32)
	t.Logf("float64 over %d golden rows: loss within %d ULP, gradient within %.3g units", len(rows), maxL64, maxG64)
}
