//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"math"
	"testing"

	"github.com/focalkernels/focal/internal/golden"
	"github.com/focalkernels/focal/internal/ulp"
)

// isNormal reports whether v is zero or rounds to a normal finite value of
// the element type (bits 32 or 64): the rows a ULP bar applies to.
func isNormal(v float64, bits int) bool {
	a, lo := math.Abs(v), 0x1p-1022
	if bits == 32 {
		a, lo = math.Abs(float64(float32(v))), 0x1p-126
	}
	return !math.IsInf(a, 0) && !math.IsNaN(v) && (v == 0 || a >= lo)
}

// goldenMax runs one row at a time through lossGrad and loss (and sum, which
// must give loss) and returns the largest loss error in ULP and gradient
// error in units of ref_grad_scale·eps over the rows that hard selects.
type goldenMax struct {
	loss         uint64
	grad         float64
	rowL, rowG   int
	nLoss, nGrad int
}

func (g *goldenMax) check(t *testing.T, bits int, hard bool, run func(r golden.Row) (loss, grad, sum float64)) {
	t.Helper()
	for i, r := range golden.Rows() {
		if hard != (r.T == 0 || r.T == 1) {
			continue
		}
		loss, grad, sum := run(r)
		if sum != loss && !(sum != sum && loss != loss) {
			t.Errorf("row %d %+v: Sum %v != Loss %v", i, r, sum, loss)
		}
		if isNormal(r.RefLoss, bits) {
			g.nLoss++
			var d uint64
			if bits == 32 {
				d = ulp.Dist32(float32(loss), float32(r.RefLoss))
			} else {
				d = ulp.Dist64(loss, r.RefLoss)
			}
			if d > g.loss {
				g.loss, g.rowL = d, i
			}
		}
		if isNormal(r.RefGrad, bits) {
			g.nGrad++
			eps := ulp.Eps64
			if bits == 32 {
				eps = ulp.Eps32
			}
			if e := ulp.GradErr(grad, r.RefGrad, r.RefGradScale, eps); e > g.grad {
				g.grad, g.rowG = e, i
			}
		}
	}
}

func (g *goldenMax) report(t *testing.T, name string, maxLoss uint64, maxGrad float64) {
	t.Helper()
	rows := golden.Rows()
	t.Logf("%s: loss max %d ULP over %d rows (row %d %+v)", name, g.loss, g.nLoss, g.rowL, rows[g.rowL])
	t.Logf("%s: grad max %.3g scaled over %d rows (row %d %+v)", name, g.grad, g.nGrad, g.rowG, rows[g.rowG])
	if g.loss > maxLoss {
		t.Errorf("%s: loss error %d ULP > %d", name, g.loss, maxLoss)
	}
	if g.grad > maxGrad {
		t.Errorf("%s: gradient error %.3g > %g", name, g.grad, maxGrad)
	}
}

// TestGolden32 holds every level to impl/asm's float32 bars over the golden
// rows: loss ≤ 4 ULP, gradient ≤ 8 in units of ref_grad_scale·2^-23, the hard
// rows (computed in the lanes) and the soft ones (the float64 fallback)
// reported apart.
func TestGolden32(t *testing.T) {
	for _, l := range testLevels() {
		for _, hard := range []bool{true, false} {
			var g goldenMax
			loss, grad := make([]float32, 1), make([]float32, 1)
			g.check(t, 32, hard, func(r golden.Row) (float64, float64, float64) {
				x, tt := []float32{float32(r.X)}, []float32{float32(r.T)}
				l.LossGrad32(nil, grad, x, tt, r.Alpha, r.Gamma)
				l.Loss32(loss, x, tt, r.Alpha, r.Gamma)
				s := l.Sum32(x, tt, r.Alpha, r.Gamma)
				return float64(loss[0]), float64(grad[0]), s
			})
			name := "archsimd-" + l.String() + map[bool]string{true: " hard", false: " soft"}[hard]
			g.report(t, name, 4, 8)
		}
	}
}

// TestGolden64 holds every level to the float64 bars over the golden rows:
// loss ≤ 4 ULP, gradient ≤ 8 in units of ref_grad_scale·2^-52, the hard rows
// (the lanes) and the soft ones (the double-double fallback) reported apart.
func TestGolden64(t *testing.T) {
	for _, l := range testLevels() {
		for _, hard := range []bool{true, false} {
			var g goldenMax
			loss, grad := make([]float64, 1), make([]float64, 1)
			g.check(t, 64, hard, func(r golden.Row) (float64, float64, float64) {
				x, tt := []float64{r.X}, []float64{r.T}
				l.LossGrad64(nil, grad, x, tt, r.Alpha, r.Gamma)
				l.Loss64(loss, x, tt, r.Alpha, r.Gamma)
				s := l.Sum64(x, tt, r.Alpha, r.Gamma)
				return loss[0], grad[0], s
			})
			name := "archsimd-" + l.String() + map[bool]string{true: " hard", false: " soft"}[hard]
			g.report(t, name, 4, 8)
		}
	}
}
