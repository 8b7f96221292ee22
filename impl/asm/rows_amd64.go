//go:build !purego

package asm

import (
	"unsafe"

	"github.com/focalkernels/focal/impl/internal/model"
	"github.com/focalkernels/focal/impl/internal/rows"
)

// The Go side of the rows kernels (_asm/rows.go): impl/internal/rows's Run
// with this package's kernels, class α splits and model.

func rowsLanesOK[E float32 | float64](r Rows[E], p Params) bool {
	if is32[E]() {
		return rows.LanesTake(r, p, func(alpha float64) bool { return model.RowsParams32(alpha, p.Gamma).Wide })
	}
	return rows.LanesTake(r, p, func(alpha float64) bool { return model.RowsParams64(alpha, p.Gamma).Wide })
}

// split32 and split64 are class α as the lanes take it (model.Params32's and
// Params64's pairs).
func split32(alpha, gamma float64) (a1, a0, a1lo, a0lo float32, zero bool) {
	q := model.RowsParams32(alpha, gamma)
	return q.A1, q.A0, q.A1lo, q.A0lo, q.ZeroWeight()
}

func split64(alpha, gamma float64) (a1, a0, a1lo, a0lo float64, zero bool) {
	q := model.RowsParams64(alpha, gamma)
	return q.A1, q.A0, q.A1lo, q.A0lo, q.ZeroWeight()
}

// rowsRun runs operation o (rows.OpLoss, OpSum, OpLossGrad) at vector level
// l over r: out1 is Loss's dst or LossGrad's loss (may be nil), out2
// LossGrad's grad.
func rowsRun[E float32 | float64](l Level, o int, out1, out2 []E, r Rows[E], p Params) float64 {
	if is32[E]() {
		return rowsRun32(l, o, as32(out1), as32(out2), Rows[float32]{X: as32(r.X), Labels: r.Labels, C: r.C, Weight: as32(r.Weight)}, p)
	}
	return rowsRun64(l, o, as64(out1), as64(out2), Rows[float64]{X: as64(r.X), Labels: r.Labels, C: r.C, Weight: as64(r.Weight)}, p)
}

func rowsRun32(l Level, o int, out1, out2 []float32, r Rows[float32], p Params) float64 {
	var a rows.Args[float32]
	q := model.RowsParams32(0, p.Gamma)
	lanes := func(smooth bool) (int, int) { return rowsLanes(l, false, smooth) }
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
		switch o {
		case rows.OpLoss:
			return 0, simdRowsLoss32(l, out1, x, labels, w, &a, &q)
		case rows.OpSum:
			return simdRowsSum32(l, x, labels, w, &a, &q)
		}
		if out1 == nil {
			out1 = out2 // the kernel stores the loss first, then the gradient
		}
		return 0, simdRowsLossGrad32(l, out1, out2, x, labels, w, &a, &q)
	}
	return rows.Run(&a, o, out1, out2, r, p, model.NewRowsElem32(p), split32, lanes, call)
}

func rowsRun64(l Level, o int, out1, out2 []float64, r Rows[float64], p Params) float64 {
	var a rows.Args[float64]
	q := model.RowsParams64(0, p.Gamma)
	lanes := func(smooth bool) (int, int) { return rowsLanes(l, true, smooth) }
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
		switch o {
		case rows.OpLoss:
			return 0, simdRowsLoss64(l, out1, x, labels, w, &a, &q)
		case rows.OpSum:
			return simdRowsSum64(l, x, labels, w, &a, &q)
		}
		if out1 == nil {
			out1 = out2
		}
		return 0, simdRowsLossGrad64(l, out1, out2, x, labels, w, &a, &q)
	}
	return rows.Run(&a, o, out1, out2, r, p, model.NewRowsElem64(p), split64, lanes, call)
}

func is32[E float32 | float64]() bool { return unsafe.Sizeof(E(0)) == 4 }

func as32[E float32 | float64](s []E) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

func as64[E float32 | float64](s []E) []float64 {
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}
