package model

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/csum"
	"github.com/focalkernels/focal/impl/internal/dd"
	"github.com/focalkernels/focal/impl/internal/form"
	"github.com/focalkernels/focal/impl/internal/softmax"
)

// The softmax form's row loop, which every level of impl/asm and
// impl/archsimd runs with its own lanes (SoftmaxLanes32, SoftmaxLanes64):
// per row, the lanes' reduction (storing the row's exps into its gradient
// for LossGrad), the epilogue (softmax_epi.go; float32 rows a block of
// them at a time in lanes, softmax_epilanes.go), then the lanes' scaling
// of the stored exps, while the row is still in L1, and g_c. The
// Generic level's lanes are the scalar ones of softmax_lanes.go.
// Preconditions as impl/stable's softmax functions; nothing allocates.

// SoftmaxLanes32 are a level's lanes for float32 rows: Reduce is
// SoftmaxReduce32 with the level's W, Scale is SoftmaxScale32, Epi is
// SoftmaxEpiLanes32 (the block's epilogues).
type SoftmaxLanes32 struct {
	Reduce func(x []float32, c int, store []float32) (m float32, o, ec float64)
	Scale  func(g []float32, f float64)
	Epi    func(in SoftmaxEpiIn, gamma float64) (out SoftmaxEpiOut, special uint)
}

// SoftmaxLanes64 are a level's lanes for float64 rows.
type SoftmaxLanes64 struct {
	Reduce func(x []float64, c int, store []float64) (m, ohi, olo, echi, eclo float64)
	Scale  func(g []float64, f float64)
}

// Generic lanes: the scalar model with 8 lanes, as AVX-512's.
var (
	GenericSoftmax32 = SoftmaxAt32(8)
	GenericSoftmax64 = SoftmaxAt64(8)
)

// SoftmaxAt32 and SoftmaxAt64 are the scalar model's lanes at width w: what
// a level with w float64 lanes computes, bit for bit.
func SoftmaxAt32(w int) SoftmaxLanes32 {
	return SoftmaxLanes32{
		Reduce: func(x []float32, c int, store []float32) (float32, float64, float64) {
			return SoftmaxReduce32(w, x, c, store)
		},
		Scale: SoftmaxScale32,
		Epi:   SoftmaxEpiLanes32,
	}
}

func SoftmaxAt64(w int) SoftmaxLanes64 {
	return SoftmaxLanes64{
		Reduce: func(x []float64, c int, store []float64) (float64, float64, float64, float64, float64) {
			return SoftmaxReduce64(w, x, c, store)
		},
		Scale: SoftmaxScale64,
	}
}

// block32 holds the rows of a block between their reductions and their
// epilogues: the lanes' inputs and each row's index, label and weight·α.
type block32 struct {
	in   SoftmaxEpiIn
	rows [SoftmaxEpiRows]int
	k    int // rows held
}

// rows32 runs the float32 rows of r that are not ignored through ln, in
// order, in blocks of SoftmaxEpiRows: each row's reduction (its exps stored
// into its gradient row if grad is not nil), the block's epilogues in the
// lanes (ln.Epi, where γ allows; SoftmaxEpi32 for the rows it leaves and
// for every other γ), then each row's end, the scaling of its gradient
// and g_c, and emit(n, loss) with its loss unrounded.
func rows32(r form.Rows[float32], p form.Params, grad []float32, ln SoftmaxLanes32, emit func(n int, loss float64)) {
	var bl block32
	for n := range r.KeptRows() {
		C, c := r.C, int(r.Labels[n])
		w := 1.0
		if r.Weight != nil {
			w = float64(r.Weight[n])
		}
		var g []float32
		if grad != nil {
			g = grad[n*C : (n+1)*C]
		}
		x := r.X[n*C : (n+1)*C]
		m, o, ec := ln.Reduce(x, c, g)
		i := bl.k
		bl.in[EpiXC+i], bl.in[EpiM+i], bl.in[EpiO+i], bl.in[EpiEC+i] = float64(x[c]), float64(m), o, ec
		bl.in[EpiWA+i] = float64(w * p.SoftmaxAlpha(c))
		bl.rows[i] = n
		if bl.k++; bl.k == SoftmaxEpiRows {
			bl.flush(r, p, grad, ln, emit)
		}
	}
	bl.flush(r, p, grad, ln, emit)
}

// flush ends the block's rows (see rows32).
func (bl *block32) flush(r form.Rows[float32], p form.Params, grad []float32, ln SoftmaxLanes32, emit func(n int, loss float64)) {
	if bl.k == 0 {
		return
	}
	special := ^uint(0)
	var out SoftmaxEpiOut
	if SoftmaxEpiLaneGamma(p.Gamma) {
		out, special = ln.Epi(bl.in, p.Gamma)
	}
	for i, n := range bl.rows[:bl.k] {
		C, c := r.C, int(r.Labels[n])
		var g []float32
		if grad != nil {
			g = grad[n*C : (n+1)*C]
		}
		loss, f, gc, ok := out[EpiLoss+i], out[EpiF+i], out[EpiGC+i], true
		if special>>i&1 != 0 {
			in := &bl.in
			loss, f, gc, ok = SoftmaxEpi32(float32(in[EpiXC+i]), float32(in[EpiM+i]), in[EpiO+i], in[EpiEC+i], in[EpiWA+i], p.Gamma, g != nil)
		}
		if !ok {
			x := r.X[n*C : (n+1)*C]
			w := 1.0
			if r.Weight != nil {
				w = float64(r.Weight[n])
			}
			v := softmax.Row(x, c, softmax.ScaledOf(w, p.SoftmaxAlpha(c)), p.Gamma, g)
			emit(n, math.Ldexp(v.V.Hi, -v.K)+math.Ldexp(v.V.Lo, -v.K))
			continue
		}
		if g != nil {
			ln.Scale(g, f)
			g[c] = float32(gc)
		}
		emit(n, loss)
	}
	bl.k = 0
}

// row64 computes float64 row n, one row at a time: its reduction, its
// epilogue (SoftmaxEpi64) and, unless g is nil, its gradient into g. The
// loss is returned as its value and its rounding error.
func row64(r form.Rows[float64], p form.Params, n int, g []float64, ln SoftmaxLanes64) softmax.Scaled {
	C, c := r.C, int(r.Labels[n])
	x := r.X[n*C : (n+1)*C]
	a, w := p.SoftmaxAlpha(c), 1.0
	if r.Weight != nil {
		w = r.Weight[n]
	}
	wa := softmax.ScaledOf(w, a)
	m, ohi, olo, echi, eclo := ln.Reduce(x, c, g)
	loss, f, gc, ok := SoftmaxEpi64(x[c], m, ddOf(ohi, olo), ddOf(echi, eclo), wa, p.Gamma, g != nil)
	if !ok {
		return softmax.Row(x, c, wa, p.Gamma, g)
	}
	if g != nil {
		ln.Scale(g, f)
		g[c] = softmax.Round[float64](gc)
	}
	return loss
}

// SoftmaxLoss32 writes each row's loss into dst (0 for an ignored row).
func SoftmaxLoss32(dst []float32, r form.Rows[float32], p form.Params, ln SoftmaxLanes32) {
	clear(dst[:len(r.Labels)])
	rows32(r, p, nil, ln, func(n int, loss float64) { dst[n] = float32(loss) })
}

// SoftmaxSum32 returns the sum of the rows' losses, each unrounded, with
// compensated summation, and the number of rows not ignored.
func SoftmaxSum32(r form.Rows[float32], p form.Params, ln SoftmaxLanes32) (float64, int) {
	var acc csum.Sum
	rows32(r, p, nil, ln, func(_ int, loss float64) { acc.Add(loss) })
	return acc.Value(), r.Kept()
}

// SoftmaxLossGrad32 writes each row's loss (unless loss is nil) and its
// gradient (0 for an ignored row).
func SoftmaxLossGrad32(loss, grad []float32, r form.Rows[float32], p form.Params, ln SoftmaxLanes32) {
	for n, l := range r.Labels {
		if l < 0 {
			clear(grad[n*r.C : (n+1)*r.C])
		}
	}
	if loss != nil {
		clear(loss[:len(r.Labels)])
	}
	rows32(r, p, grad, ln, func(n int, l float64) {
		if loss != nil {
			loss[n] = float32(l)
		}
	})
}

// lossGradRows writes each row's loss, row(n, g) with g the row's gradient,
// into loss (unless it is nil), and 0 for an ignored row, its gradient
// cleared.
func lossGradRows[E float32 | float64](loss, grad []E, r form.Rows[E], row func(n int, g []E) E) {
	C := r.C
	for n, l := range r.Labels {
		g := grad[n*C : (n+1)*C]
		var v E
		if l >= 0 {
			v = row(n, g)
		} else {
			clear(g)
		}
		if loss != nil {
			loss[n] = v
		}
	}
}

// SoftmaxLoss64 writes each row's loss into dst (0 for an ignored row).
func SoftmaxLoss64(dst []float64, r form.Rows[float64], p form.Params, ln SoftmaxLanes64) {
	clear(dst[:len(r.Labels)])
	for n := range r.KeptRows() {
		dst[n] = softmax.Round[float64](row64(r, p, n, nil, ln))
	}
}

// SoftmaxSum64 returns the sum of the rows' losses, each as value and
// rounding error, with compensated summation, and the number of rows not
// ignored.
func SoftmaxSum64(r form.Rows[float64], p form.Params, ln SoftmaxLanes64) (float64, int) {
	var acc csum.Sum
	for n := range r.KeptRows() {
		v := row64(r, p, n, nil, ln)
		u := v.V.Scale(-v.K) // as math.Ldexp, by one product where it can
		acc.Add(u.Hi)
		acc.Add(u.Lo)
	}
	return acc.Value(), r.Kept()
}

// SoftmaxLossGrad64 writes each row's loss (unless loss is nil) and its
// gradient (0 for an ignored row).
func SoftmaxLossGrad64(loss, grad []float64, r form.Rows[float64], p form.Params, ln SoftmaxLanes64) {
	lossGradRows(loss, grad, r, func(n int, g []float64) float64 { return softmax.Round[float64](row64(r, p, n, g, ln)) })
}

func ddOf(hi, lo float64) dd.DD { return dd.DD{Hi: hi, Lo: lo} }
