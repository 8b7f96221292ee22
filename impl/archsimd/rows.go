//go:build goexperiment.simd && amd64 && !purego

package archsimd

import "github.com/focalkernels/focal/impl/internal/rows"

// The sigmoid rows form (see impl/internal/rows for its loops and
// semantics): element (n, c) is the flat element with the target from the
// label and class c's α, in impl/asm's rows modes (γ = 2 specialised, every
// other γ in the general mode), times its weight in the element type. The
// vector levels run the kernels' rows instances (kRows: the targets, class α
// and weights from the labels and per-call tables inside the kernel, see
// rowsprims_avx2.go) through impl/internal/rows's Run; Generic, and float64
// with smoothing (soft targets, which the float64 lanes leave to stable's
// algorithm), run the model's element through its loops.

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
	if !l.rowsLanes32(r, p) {
		rows.Loss(dst, r, p, newRowsElem32(p))
		return
	}
	rowsRun32(l, rows.OpLoss, dst, nil, r, p)
}

// SumRows32 is the package's SumRows32 at level l. It panics if l is not in Levels().
func (l Level) SumRows32(r Rows[float32], p Params) (float64, int) {
	l.check()
	if !l.rowsLanes32(r, p) {
		return rows.Sum(r, p, newRowsElem32(p))
	}
	return rowsRun32(l, rows.OpSum, nil, nil, r, p), rows.Positives(r.Labels, r.C)
}

// LossGradRows32 is the package's LossGradRows32 at level l. It panics if l is not in Levels().
func (l Level) LossGradRows32(loss, grad []float32, r Rows[float32], p Params) {
	l.check()
	if !l.rowsLanes32(r, p) {
		rows.LossGrad(loss, grad, r, p, newRowsElem32(p))
		return
	}
	rowsRun32(l, rows.OpLossGrad, loss, grad, r, p)
}

// LossRows64 is the package's LossRows64 at level l. It panics if l is not in Levels().
func (l Level) LossRows64(dst []float64, r Rows[float64], p Params) {
	l.check()
	if !l.rowsLanes64(r, p) {
		rows.Loss(dst, r, p, newRowsElem64(p))
		return
	}
	rowsRun64(l, rows.OpLoss, dst, nil, r, p)
}

// SumRows64 is the package's SumRows64 at level l. It panics if l is not in Levels().
func (l Level) SumRows64(r Rows[float64], p Params) (float64, int) {
	l.check()
	if !l.rowsLanes64(r, p) {
		return rows.Sum(r, p, newRowsElem64(p))
	}
	return rowsRun64(l, rows.OpSum, nil, nil, r, p), rows.Positives(r.Labels, r.C)
}

// LossGradRows64 is the package's LossGradRows64 at level l. It panics if l is not in Levels().
func (l Level) LossGradRows64(loss, grad []float64, r Rows[float64], p Params) {
	l.check()
	if !l.rowsLanes64(r, p) {
		rows.LossGrad(loss, grad, r, p, newRowsElem64(p))
		return
	}
	rowsRun64(l, rows.OpLossGrad, loss, grad, r, p)
}

// rowsLanes32 reports whether level l's lanes take r and p: a vector level,
// a non-empty call, and every class α and γ in the float32 lanes' range.
func (l Level) rowsLanes32(r Rows[float32], p Params) bool {
	return l != Generic && rows.LanesTake(r, p, func(alpha float64) bool { return mkParams32(alpha, p.Gamma).wide })
}

// rowsLanes64 is rowsLanes32 for float64, whose lanes take hard targets
// only: smoothed ones are the model's (elemSoft64), as the flat form's are.
func (l Level) rowsLanes64(r Rows[float64], p Params) bool {
	t1, t0 := rows.Targets[float64](p.Smoothing)
	return l != Generic && t1 == 1 && t0 == 0 && rows.LanesTake(r, p, func(alpha float64) bool { return mkParams64(alpha, p.Gamma).wide })
}

// classAlpha32 and classAlpha64 are class α as the lanes take it (params32's and
// params64's pairs).
func classAlpha32(alpha, gamma float64) (a1, a0, a1lo, a0lo float32, zero bool) {
	q := mkParams32(alpha, gamma)
	return q.a1, q.a0, q.a1lo, q.a0lo, q.zeroWeight()
}

func classAlpha64(alpha, gamma float64) (a1, a0, a1lo, a0lo float64, zero bool) {
	q := mkParams64(alpha, gamma)
	return q.a1, q.a0, q.a1lo, q.a0lo, q.zeroWeight()
}

// rowsRun32 runs operation o (rows.OpLoss, OpSum, OpLossGrad) of the rows
// form at vector level l: impl/internal/rows's Run with this level's rows
// kernel (a kernel instance of the rows form, kRows) and the model. out1
// is Loss's dst or LossGrad's loss (may be nil), out2 LossGrad's grad.
func rowsRun32(l Level, o int, out1, out2 []float32, r Rows[float32], p Params) float64 {
	var a rows.Args[float32]
	q := rowsParams32(0, p.Gamma)
	lanes := func(bool) (int, int) {
		if l == AVX512 {
			return lanes32AVX512, 1
		}
		return lanes32AVX2, 1
	}
	call := func(o int, out1, out2, x []float32, labels []int32, w []float32, how int) (float64, bool) {
		if how&rows.FromPad != 0 {
			labels = a.Pad.Labels[:]
			if a.Dims[5] == rows.WeightRow {
				w = a.Pad.W[:]
			}
		}
		if how&rows.IntoBuf != 0 {
			out1 = a.Buf[a.BufOff:][:len(x)]
		}
		rw := rowsIn[float32]{a: &a, labels: labels, w: w}
		switch o {
		case rows.OpLoss:
			_, clean, _ := rowsKern32[kLoss](l, out1[:len(x)], nil, x, &q, &rw)
			return 0, clean
		case rows.OpSum:
			s, clean, ok := rowsKern32[kSum](l, nil, nil, x, &q, &rw)
			return s, clean && ok
		}
		if out1 == nil {
			out1 = out2 // the kernel stores the loss first, then the gradient
		}
		_, clean, _ := rowsKern32[kLossGrad](l, out1[:len(x)], out2[:len(x)], x, &q, &rw)
		return 0, clean
	}
	return rows.Run(&a, o, out1, out2, r, p, newRowsElem32(p), classAlpha32, lanes, call)
}

// rowsRun64 is rowsRun32 for float64.
func rowsRun64(l Level, o int, out1, out2 []float64, r Rows[float64], p Params) float64 {
	var a rows.Args[float64]
	q := rowsParams64(0, p.Gamma)
	lanes := func(bool) (int, int) {
		if l == AVX512 {
			return lanes64AVX512, 1
		}
		return lanes64AVX2, 1
	}
	call := func(o int, out1, out2, x []float64, labels []int32, w []float64, how int) (float64, bool) {
		if how&rows.FromPad != 0 {
			labels = a.Pad.Labels[:]
			if a.Dims[5] == rows.WeightRow {
				w = a.Pad.W[:]
			}
		}
		if how&rows.IntoBuf != 0 {
			out1 = a.Buf[a.BufOff:][:len(x)]
		}
		rw := rowsIn[float64]{a: &a, labels: labels, w: w}
		switch o {
		case rows.OpLoss:
			_, hard := rowsKern64[kLoss](l, out1[:len(x)], nil, x, &q, &rw)
			return 0, hard
		case rows.OpSum:
			return rowsKern64[kSum](l, nil, nil, x, &q, &rw)
		}
		if out1 == nil {
			out1 = out2
		}
		_, hard := rowsKern64[kLossGrad](l, out1[:len(x)], out2[:len(x)], x, &q, &rw)
		return 0, hard
	}
	return rows.Run(&a, o, out1, out2, r, p, newRowsElem64(p), classAlpha64, lanes, call)
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
