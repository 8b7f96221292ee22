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
// for LossGrad), the scalar epilogue (softmax_epi.go), then the lanes'
// scaling of the stored exps, while the row is still in L1, and g_c. The
// Generic level's lanes are the scalar ones of softmax_lanes.go.
// Preconditions as impl/stable's softmax functions; nothing allocates.

// SoftmaxLanes32 are a level's lanes for float32 rows: Reduce is
// SoftmaxReduce32 with the level's W, Scale is SoftmaxScale32.
type SoftmaxLanes32 struct {
	Reduce func(x []float32, c int, store []float32) (m float32, o, ec float64)
	Scale  func(g []float32, f float64)
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

// row32 computes row n: its loss (unrounded) and, if g is not nil, its
// gradient into g.
func row32(r form.Rows[float32], p form.Params, n int, g []float32, ln SoftmaxLanes32) float64 {
	C, c := r.C, int(r.Labels[n])
	x := r.X[n*C : (n+1)*C]
	a, w := p.SoftmaxAlpha(c), 1.0
	if r.Weight != nil {
		w = float64(r.Weight[n])
	}
	m, o, ec := ln.Reduce(x, c, g)
	loss, f, gc, ok := SoftmaxEpi32(x[c], m, o, ec, float64(w*a), p.Gamma, g != nil)
	if !ok {
		v := softmax.Row(x, c, softmax.ScaledOf(w, a), p.Gamma, g)
		return math.Ldexp(v.V.Hi, -v.K) + math.Ldexp(v.V.Lo, -v.K)
	}
	if g != nil {
		ln.Scale(g, f)
		g[c] = float32(gc)
	}
	return loss
}

// row64 is row32 for float64 rows; the loss is returned as its value and
// its rounding error.
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
	for n := range r.KeptRows() {
		dst[n] = float32(row32(r, p, n, nil, ln))
	}
}

// SoftmaxSum32 returns the sum of the rows' losses, each unrounded, with
// compensated summation, and the number of rows not ignored.
func SoftmaxSum32(r form.Rows[float32], p form.Params, ln SoftmaxLanes32) (float64, int) {
	var acc csum.Sum
	for n := range r.KeptRows() {
		acc.Add(row32(r, p, n, nil, ln))
	}
	return acc.Value(), r.Kept()
}

// SoftmaxLossGrad32 writes each row's loss (unless loss is nil) and its
// gradient (0 for an ignored row).
func SoftmaxLossGrad32(loss, grad []float32, r form.Rows[float32], p form.Params, ln SoftmaxLanes32) {
	lossGradRows(loss, grad, r, func(n int, g []float32) float32 { return float32(row32(r, p, n, g, ln)) })
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
