package stable

import (
	"github.com/focalkernels/focal/impl/internal/ref"
	"github.com/focalkernels/focal/impl/internal/rows"
)

// The sigmoid rows form (see impl/internal/rows for its loops and
// semantics): element (n, c) is this package's element with target
// Labels[n] == c (smoothed if p.Smoothing is set, the target rounded to the
// element type) and class c's α, rounded to the element type, times its
// weight in the element type; ignored rows (label < 0) give 0. The
// preconditions are the module's checked LossRows's, not checked here.

// LossRows32 writes the loss of each element of r into dst (len(r.X)).
func LossRows32(dst []float32, r Rows[float32], p Params) { rows.Loss(dst, r, p, rowsElem[float32]{p}) }

// LossRows64 is LossRows32 for float64.
func LossRows64(dst []float64, r Rows[float64], p Params) { rows.Loss(dst, r, p, rowsElem[float64]{p}) }

// SumRows32 returns the sum of the losses of r (compensated, in float64) and
// the number of rows with a class label (0 ≤ label < C).
func SumRows32(r Rows[float32], p Params) (float64, int) { return rows.Sum(r, p, rowsElem[float32]{p}) }

// SumRows64 is SumRows32 for float64.
func SumRows64(r Rows[float64], p Params) (float64, int) { return rows.Sum(r, p, rowsElem[float64]{p}) }

// LossGradRows32 writes the loss (unless loss is nil) and the gradient of
// each element of r.
func LossGradRows32(loss, grad []float32, r Rows[float32], p Params) {
	rows.LossGrad(loss, grad, r, p, rowsElem[float32]{p})
}

// LossGradRows64 is LossGradRows32 for float64.
func LossGradRows64(loss, grad []float64, r Rows[float64], p Params) {
	rows.LossGrad(loss, grad, r, p, rowsElem[float64]{p})
}

// rowsElem is this package's element with class c's α.
type rowsElem[F float] struct{ p Params }

func (e rowsElem[F]) Elem(x, t F, c int, grad bool) (F, F) {
	l, g := ref.Elem(float64(x), float64(t), rows.Alpha(e.p, c), e.p.Gamma, grad)
	return F(l), F(g)
}
