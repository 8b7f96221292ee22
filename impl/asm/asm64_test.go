package asm

import (
	"math"
	"testing"

	"github.com/focalkernels/focal/internal/golden"
	"github.com/focalkernels/focal/internal/ulp"
)

// isNormal64 reports whether v is zero or a normal finite float64.
func isNormal64(v float64) bool {
	a := math.Abs(v)
	return !math.IsInf(v, 0) && v == v && (v == 0 || a >= 0x1p-1022)
}

// TestGolden64 holds every level's float64 functions to the bars over every
// golden row (hard and soft) whose true value is a normal float64: loss ≤ 4
// ULP, gradient ≤ 8 in units of ref_grad_scale·2^-52.
func TestGolden64(t *testing.T) {
	rows := golden.Rows()
	for _, l := range Levels() {
		t.Run(l.String(), func(t *testing.T) {
			var maxL uint64
			var maxG float64
			var rowL, rowG, nL, nG int
			loss, grad := make([]float64, 1), make([]float64, 1)
			for i, r := range rows {
				x, tt := []float64{r.X}, []float64{r.T}
				l.LossGrad64(loss, grad, x, tt, r.Alpha, r.Gamma)
				if isNormal64(r.RefLoss) {
					nL++
					if d := ulp.Dist64(loss[0], r.RefLoss); d > maxL {
						maxL, rowL = d, i
					}
				}
				if isNormal64(r.RefGrad) {
					nG++
					if e := ulp.GradErr(grad[0], r.RefGrad, r.RefGradScale, ulp.Eps64); e > maxG {
						maxG, rowG = e, i
					}
				}
				l.Loss64(loss, x, tt, r.Alpha, r.Gamma)
				if s := l.Sum64(x, tt, r.Alpha, r.Gamma); s != loss[0] && !(s != s && loss[0] != loss[0]) {
					t.Errorf("row %d: Sum64 %v != Loss64 %v", i, s, loss[0])
				}
			}
			t.Logf("asm-%v float64: loss max %d ULP over %d rows (row %d %+v)", l, maxL, nL, rowL, rows[rowL])
			t.Logf("asm-%v float64: grad max %.3g scaled over %d rows (row %d %+v)", l, maxG, nG, rowG, rows[rowG])
			if maxL > 4 {
				t.Errorf("loss error %d ULP > 4", maxL)
			}
			if maxG > 8 {
				t.Errorf("gradient error %.3g > 8", maxG)
			}
		})
	}
}
