package kerneltest

import (
	"math"
	"testing"

	"github.com/focalkernels/focal/internal/golden"
	"github.com/focalkernels/focal/internal/ulp"
)

// Golden holds every level of family f to the bars (LossULP, GradUnits) over
// the golden rows whose true value is a normal number of the element type,
// one row a call, and checks that Loss and Sum give LossGrad's loss there.
// It logs the largest errors, of the hard rows and the soft ones apart.
func Golden[F Float](t *testing.T, f Family) {
	rows := golden.Rows()
	for _, k := range Kernels[F](f, f.Levels()) {
		for _, hard := range []bool{true, false} {
			name := k.Name + " " + TypeName[F]() + map[bool]string{true: " hard", false: " soft"}[hard]
			var maxL uint64
			var maxG float64
			var rowL, rowG, nL, nG int
			loss, grad, d := make([]F, 1), make([]F, 1), make([]F, 1)
			for i, r := range rows {
				if hard != (r.T == 0 || r.T == 1) {
					continue
				}
				x, tt := []F{F(r.X)}, []F{F(r.T)}
				k.LossGrad(loss, grad, x, tt, r.Alpha, r.Gamma)
				k.Loss(d, x, tt, r.Alpha, r.Gamma)
				if s := k.Sum(x, tt, r.Alpha, r.Gamma); F(s) != d[0] && !(s != s && d[0] != d[0]) || !Same(d[0], loss[0]) {
					t.Errorf("%s row %d: Sum %v, Loss %v, LossGrad's loss %v", name, i, s, d[0], loss[0])
				}
				if normal[F](r.RefLoss) {
					nL++
					if e := Dist(loss[0], F(r.RefLoss)); e > maxL {
						maxL, rowL = e, i
					}
				}
				if normal[F](r.RefGrad) {
					nG++
					if e := ulp.GradErr(float64(grad[0]), r.RefGrad, r.RefGradScale, Eps[F]()); e > maxG {
						maxG, rowG = e, i
					}
				}
			}
			t.Logf("%s: loss max %d ULP over %d rows (row %d %+v)", name, maxL, nL, rowL, rows[rowL])
			t.Logf("%s: grad max %.3g scaled over %d rows (row %d %+v)", name, maxG, nG, rowG, rows[rowG])
			if maxL > LossULP {
				t.Errorf("%s: loss error %d ULP > %d", name, maxL, LossULP)
			}
			if maxG > GradUnits {
				t.Errorf("%s: gradient error %.3g > %d", name, maxG, GradUnits)
			}
		}
	}
}

// normal reports whether v is zero or rounds to a normal finite value of the
// element type: the rows a ULP bar applies to.
func normal[F Float](v float64) bool {
	a := math.Abs(float64(F(v)))
	return !math.IsInf(a, 0) && v == v && (v == 0 || a >= MinNormal[F]())
}
