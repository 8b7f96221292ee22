//go:build goexperiment.simd && amd64 && !purego

package archsimd

import "github.com/focalkernels/focal/impl/internal/rows"

// The sigmoid rows form (see impl/internal/rows for its loops and
// semantics): element (n, c) is the flat element with the target from the
// label and class c's α, in impl/asm's rows modes (γ = 2 specialised, every
// other γ in the general mode), times its weight in the element type.

// LossRows32 writes the loss of each element of r into dst, at the best level.
func LossRows32(dst []float32, r Rows[float32], p Params) { usable.LossRows32(dst, r, p) }

// SumRows32 returns the sum of the losses of r and the number of rows with a
// class label (0 ≤ label < C), at the best level.
func SumRows32(r Rows[float32], p Params) (float64, int) { return usable.SumRows32(r, p) }

// LossGradRows32 writes the loss (unless loss is nil) and the gradient of
// each element of r, at the best level.
func LossGradRows32(loss, grad []float32, r Rows[float32], p Params) {
	usable.LossGradRows32(loss, grad, r, p)
}

// LossRows64 is LossRows32 for float64.
func LossRows64(dst []float64, r Rows[float64], p Params) { usable.LossRows64(dst, r, p) }

// SumRows64 is SumRows32 for float64.
func SumRows64(r Rows[float64], p Params) (float64, int) { return usable.SumRows64(r, p) }

// LossGradRows64 is LossGradRows32 for float64.
func LossGradRows64(loss, grad []float64, r Rows[float64], p Params) {
	usable.LossGradRows64(loss, grad, r, p)
}

// LossRows32 is the package's LossRows32 at level l. It panics if l is not in Levels().
func (l Level) LossRows32(dst []float32, r Rows[float32], p Params) {
	l.check()
	rows.Loss(dst, r, p, newRowsElem32(p))
}

// SumRows32 is the package's SumRows32 at level l. It panics if l is not in Levels().
func (l Level) SumRows32(r Rows[float32], p Params) (float64, int) {
	l.check()
	return rows.Sum(r, p, newRowsElem32(p))
}

// LossGradRows32 is the package's LossGradRows32 at level l. It panics if l is not in Levels().
func (l Level) LossGradRows32(loss, grad []float32, r Rows[float32], p Params) {
	l.check()
	rows.LossGrad(loss, grad, r, p, newRowsElem32(p))
}

// LossRows64 is the package's LossRows64 at level l. It panics if l is not in Levels().
func (l Level) LossRows64(dst []float64, r Rows[float64], p Params) {
	l.check()
	rows.Loss(dst, r, p, newRowsElem64(p))
}

// SumRows64 is the package's SumRows64 at level l. It panics if l is not in Levels().
func (l Level) SumRows64(r Rows[float64], p Params) (float64, int) {
	l.check()
	return rows.Sum(r, p, newRowsElem64(p))
}

// LossGradRows64 is the package's LossGradRows64 at level l. It panics if l is not in Levels().
func (l Level) LossGradRows64(loss, grad []float64, r Rows[float64], p Params) {
	l.check()
	rows.LossGrad(loss, grad, r, p, newRowsElem64(p))
}

// rowsMode is the γ mode of the rows kernels: γ = 2 specialised, every
// other γ general (impl/asm's model.RowsMode).
func rowsMode(gamma float64) int {
	if gamma == 2 {
		return mode2
	}
	return modeGen
}

// rowsElem32 is the Generic level's element of the rows form.
type rowsElem32 struct {
	p     Params
	fixed params32 // every class's parameters when ClassAlpha is nil
}

func newRowsElem32(p Params) rowsElem32 {
	return rowsElem32{p: p, fixed: rowsParams32(p.Alpha, p.Gamma)}
}

func rowsParams32(alpha, gamma float64) params32 {
	q := mkParams32(alpha, gamma)
	q.mode = rowsMode(gamma)
	return q
}

func (e rowsElem32) Elem(x, t float32, c int, grad bool) (float32, float32) {
	q := e.fixed
	if e.p.ClassAlpha != nil {
		q = rowsParams32(e.p.ClassAlpha[c], e.p.Gamma)
	}
	if grad {
		return elem32(x, t, &q)
	}
	return elemLoss32(x, t, &q), 0
}

// rowsElem64 is rowsElem32 for float64.
type rowsElem64 struct {
	p     Params
	fixed params64
}

func newRowsElem64(p Params) rowsElem64 {
	return rowsElem64{p: p, fixed: rowsParams64(p.Alpha, p.Gamma)}
}

func rowsParams64(alpha, gamma float64) params64 {
	q := mkParams64(alpha, gamma)
	q.mode = rowsMode(gamma)
	return q
}

func (e rowsElem64) Elem(x, t float64, c int, grad bool) (float64, float64) {
	q := e.fixed
	if e.p.ClassAlpha != nil {
		q = rowsParams64(e.p.ClassAlpha[c], e.p.Gamma)
	}
	l, g := elem64(x, t, &q)
	if !grad {
		g = 0
	}
	return l, g
}
