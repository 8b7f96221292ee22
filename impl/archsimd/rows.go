//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"math/bits"
	"simd/archsimd"
	"unsafe"

	"github.com/focalkernels/focal/impl/internal/model"
	"github.com/focalkernels/focal/impl/internal/rows"
)

// The sigmoid rows form (see impl/internal/rows for its loops and
// semantics): element (n, c) is the flat element with the target from the
// label and class c's α, in impl/asm's rows modes (γ = 2 specialised, every
// other γ in the general mode), times its weight in the element type. The
// vector levels run it in their kernels' rows form (rows_avx2.go), through
// impl/internal/rows's Run as impl/asm does; Generic, float64 with
// smoothing and the calls the lanes do not take run the scalar model
// (impl/internal/model's rows form, which is impl/asm's Generic).

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
	rowsAt(l, rows.OpLoss, dst, nil, r, p, model.NewRowsElem32)
}

// SumRows32 is the package's SumRows32 at level l. It panics if l is not in Levels().
func (l Level) SumRows32(r Rows[float32], p Params) (float64, int) {
	return rowsAt(l, rows.OpSum, nil, nil, r, p, model.NewRowsElem32)
}

// LossGradRows32 is the package's LossGradRows32 at level l. It panics if l is not in Levels().
func (l Level) LossGradRows32(loss, grad []float32, r Rows[float32], p Params) {
	rowsAt(l, rows.OpLossGrad, loss, grad, r, p, model.NewRowsElem32)
}

// LossRows64 is the package's LossRows64 at level l. It panics if l is not in Levels().
func (l Level) LossRows64(dst []float64, r Rows[float64], p Params) {
	rowsAt(l, rows.OpLoss, dst, nil, r, p, model.NewRowsElem64)
}

// SumRows64 is the package's SumRows64 at level l. It panics if l is not in Levels().
func (l Level) SumRows64(r Rows[float64], p Params) (float64, int) {
	return rowsAt(l, rows.OpSum, nil, nil, r, p, model.NewRowsElem64)
}

// LossGradRows64 is the package's LossGradRows64 at level l. It panics if l is not in Levels().
func (l Level) LossGradRows64(loss, grad []float64, r Rows[float64], p Params) {
	rowsAt(l, rows.OpLossGrad, loss, grad, r, p, model.NewRowsElem64)
}

// rowsAt runs operation o of the rows form at level l (out1, out2 and the
// results as rows.Loop's): Generic, and the calls the lanes do not take (γ
// > 5 or a tiny class α: model.RowsLanesTake; float64 with smoothing), by
// the model's loops over its element for E (gen(p): the typed element, whose
// calls the loops make directly); the vector levels in their kernels.
func rowsAt[E float32 | float64, K rows.Elem[E]](l Level, o int, out1, out2 []E, r Rows[E], p Params, gen func(Params) K) (float64, int) {
	l.check()
	if l == Generic || !model.RowsLanesTake(r, p) || !rows.Is32[E]() && rows.Smoothed[E](p) {
		return rows.Loop(o, out1, out2, r, p, gen(p))
	}
	s := rowsRun(l, o, out1, out2, r, p)
	if o != rows.OpSum {
		return 0, 0
	}
	return s, rows.Positives(r.Labels, r.C)
}

// rowsCall is one call of a rows kernel (a rows.Call with its inputs
// resolved): the tables, labels and weights (per-element weights cut to the
// call's x), the weight mode, and C, q and r of the step W = q·C + r.
type rowsCall[E float32 | float64] struct {
	a       *rows.Args[E]
	labels  []int32
	w       []E
	wmode   int
	c, q, r int
}

// rowWalk is where a rows kernel's vector starts: row n0 (of the call),
// class c0.
type rowWalk struct{ n0, c0 int }

// next returns where the vector after rw's starts, W = q·C + r elements on.
func (rc *rowsCall[E]) next(rw rowWalk) rowWalk {
	rw.c0 += rc.r
	rw.n0 += rc.q
	if rw.c0 >= rc.c {
		rw.c0 -= rc.c
		rw.n0++
	}
	return rw
}

// liveBits returns the mask bits of a vector's first min(k, lanes) lanes,
// full being every lane's.
func liveBits(k int, full uint32) uint32 {
	if k >= bits.Len32(full) {
		return full
	}
	return 1<<k - 1
}

// rowsRun runs operation o at vector level l over r: impl/internal/rows's
// Run with this level's kernel for E (rows32AVX2, …), the model's class α
// split and element. out1 is Loss's dst or LossGrad's loss (may be nil), out2
// LossGrad's grad.
func rowsRun[E float32 | float64](l Level, o int, out1, out2 []E, r Rows[E], p Params) float64 {
	var a rows.Args[E]
	q32, q64 := model.RowsParams32(0, p.Gamma), model.RowsParams64(0, p.Gamma)
	lanes := func(bool, float64) (int, int) {
		w := lanes32AVX2
		switch {
		case l == AVX512 && rows.Is32[E]():
			w = lanes32AVX512
		case l == AVX512:
			w = lanes64AVX512
		case !rows.Is32[E]():
			w = lanes64AVX2
		}
		return w, 1
	}
	call := func(o int, out1, out2, x []E, labels []int32, w []E, how int) (s float64, ok bool) {
		out1, labels, w = a.Inputs(o, out1, out2, x, labels, w, how)
		if a.Dims[5] == rows.WeightElem {
			w = w[:len(x)]
		}
		d := &a.Dims
		if rows.Is32[E]() {
			rc := rowsCall[float32]{(*rows.Args[float32])(unsafe.Pointer(&a)), labels, rows.As32(w), d[5], d[0], d[1], d[2]}
			if l == AVX512 {
				s, ok = rows32AVX512(o, q32.Mode, rows.As32(out1), rows.As32(out2), rows.As32(x), &q32, &rc)
			} else {
				s, ok = rows32AVX2(o, q32.Mode, rows.As32(out1), rows.As32(out2), rows.As32(x), &q32, &rc)
			}
		} else {
			rc := rowsCall[float64]{(*rows.Args[float64])(unsafe.Pointer(&a)), labels, rows.As64(w), d[5], d[0], d[1], d[2]}
			if l == AVX512 {
				s = rows64AVX512(o, q64.Mode, rows.As64(out1), rows.As64(out2), rows.As64(x), &q64, &rc)
			} else {
				s = rows64AVX2(o, q64.Mode, rows.As64(out1), rows.As64(out2), rows.As64(x), &q64, &rc)
			}
			ok = true // a NaN sum is redone; the lanes flag nothing
		}
		archsimd.ClearAVXUpperBits() // before rows.Run's scalar code: see vec32
		return s, ok
	}
	return rows.Run(&a, o, out1, out2, r, p, model.NewRowsElem[E](p), model.RowsSplit[E], lanes, call)
}
