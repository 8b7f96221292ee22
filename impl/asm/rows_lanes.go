//go:build !purego && (amd64 || arm64)

package asm

import (
	"unsafe"

	"github.com/focalkernels/focal/impl/internal/model"
	"github.com/focalkernels/focal/impl/internal/rows"
)

// The Go side of the rows kernels (amd64's _asm/rows.go, arm64's
// _asm/neon/rows.go; their tables and dispatch are generated with them, in
// zrows_amd64.go and focal_arm64.go): impl/internal/rows's Run with this
// package's kernels and the model's class α splits and element (shared with
// impl/archsimd's rows lanes).

func rowsLanesOK[E float32 | float64](r Rows[E], p Params) bool { return model.RowsLanesTake(r, p) }

// rowsRun runs operation o (rows.OpLoss, OpSum, OpLossGrad) at vector level
// l over r: impl/internal/rows's Run with this level's kernel for E (the
// generated dispatch, simdRows*32 or *64), α split as the lanes take it, and
// the model. out1 is Loss's dst or LossGrad's loss (may be nil), out2
// LossGrad's grad.
func rowsRun[E float32 | float64](l Level, o int, out1, out2 []E, r Rows[E], p Params) float64 {
	var a rows.Args[E]
	q32, q64 := model.RowsParams32(0, p.Gamma), model.RowsParams64(0, p.Gamma)
	lanes := func(smooth bool, gamma float64) (int, int) {
		return rowsLanes(l, !rows.Is32[E](), smooth, model.RowsMode(gamma))
	}
	call := func(o int, out1, out2, x []E, labels []int32, w []E, how int) (float64, bool) {
		out1, labels, w = a.Inputs(o, out1, out2, x, labels, w, how)
		if rows.Is32[E]() {
			a32 := (*rows.Args[float32])(unsafe.Pointer(&a))
			x32, w32 := rows.As32(x), rows.As32(w)
			switch o {
			case rows.OpLoss:
				return 0, simdRowsLoss32(l, rows.As32(out1), x32, labels, w32, a32, &q32)
			case rows.OpSum:
				return simdRowsSum32(l, x32, labels, w32, a32, &q32)
			}
			return 0, simdRowsLossGrad32(l, rows.As32(out1), rows.As32(out2), x32, labels, w32, a32, &q32)
		}
		a64 := (*rows.Args[float64])(unsafe.Pointer(&a))
		x64, w64 := rows.As64(x), rows.As64(w)
		switch o {
		case rows.OpLoss:
			return 0, simdRowsLoss64(l, rows.As64(out1), x64, labels, w64, a64, &q64)
		case rows.OpSum:
			return simdRowsSum64(l, x64, labels, w64, a64, &q64)
		}
		return 0, simdRowsLossGrad64(l, rows.As64(out1), rows.As64(out2), x64, labels, w64, a64, &q64)
	}
	return rows.Run(&a, o, out1, out2, r, p, model.NewRowsElem[E](p), model.RowsSplit[E], lanes, call)
}
