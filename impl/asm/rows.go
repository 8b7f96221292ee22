package asm

import (
	"github.com/focalkernels/focal/impl/internal/model"
	"github.com/focalkernels/focal/impl/internal/rows"
)

// The sigmoid rows form at each level: see impl/internal/rows for its
// semantics and impl/internal/model (rows.go) for the element the levels
// compute.

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
	rowsAt(l, rows.OpLoss, dst, nil, r, p, newFastRows32, model.NewRowsElem32)
}

// SumRows32 is the package's SumRows32 at level l. It panics if l is not in Levels().
func (l Level) SumRows32(r Rows[float32], p Params) (float64, int) {
	return rowsAt(l, rows.OpSum, nil, nil, r, p, newFastRows32, model.NewRowsElem32)
}

// LossGradRows32 is the package's LossGradRows32 at level l. It panics if l is not in Levels().
func (l Level) LossGradRows32(loss, grad []float32, r Rows[float32], p Params) {
	rowsAt(l, rows.OpLossGrad, loss, grad, r, p, newFastRows32, model.NewRowsElem32)
}

// LossRows64 is the package's LossRows64 at level l. It panics if l is not in Levels().
func (l Level) LossRows64(dst []float64, r Rows[float64], p Params) {
	rowsAt(l, rows.OpLoss, dst, nil, r, p, newFastRows64, model.NewRowsElem64)
}

// SumRows64 is the package's SumRows64 at level l. It panics if l is not in Levels().
func (l Level) SumRows64(r Rows[float64], p Params) (float64, int) {
	return rowsAt(l, rows.OpSum, nil, nil, r, p, newFastRows64, model.NewRowsElem64)
}

// LossGradRows64 is the package's LossGradRows64 at level l. It panics if l is not in Levels().
func (l Level) LossGradRows64(loss, grad []float64, r Rows[float64], p Params) {
	rowsAt(l, rows.OpLossGrad, loss, grad, r, p, newFastRows64, model.NewRowsElem64)
}

// rowsAt runs operation o of the rows form at level l (out1, out2 and the
// results as rows.Loop's): PureGo over fast's element (fast(p)), Generic
// and the calls the lanes do not take over the model's (gen(p), which is
// model.LossRows32, …), the vector levels in their kernels.
func rowsAt[E float32 | float64, KF rows.Elem[E], KG rows.Elem[E]](l Level, o int, out1, out2 []E, r Rows[E], p Params,
	fast func(Params) KF, gen func(Params) KG) (float64, int) {
	l.check()
	switch {
	case l == PureGo:
		return rows.Loop(o, out1, out2, r, p, fast(p))
	case l == Generic || !rowsLanesOK(r, p):
		return rows.Loop(o, out1, out2, r, p, gen(p))
	}
	s := rowsRun(l, o, out1, out2, r, p)
	if o != rows.OpSum {
		return 0, 0
	}
	return s, rows.Positives(r.Labels, r.C)
}
