// Package rows is the sigmoid rows form written once, over any element
// function: the loops that every scalar kernel (impl/naive, impl/stable, and
// the Generic level of the vector families, their model) runs over a
// detector's classification head, N rows of C logits with one label per row.
//
// Element (n, c) is the flat focal loss of X[n·C+c] against the target
// Labels[n] == c (1 or 0; with smoothing ε, 1-ε/2 or ε/2, see Targets), with
// class c's α (Alpha), rounded to the element type, then multiplied by its
// weight (the row's or the element's) in the element type, one more
// rounding, as a framework's loss*weight is. A weight of 0 gives 0 in loss
// and gradient, even where the unweighted loss is +Inf or NaN. A row whose
// label is negative is ignored: its loss and gradient are 0 and it adds
// nothing to a sum. A label equal to C is background: every target of the
// row is the negative one.
//
// The functions do not validate (see the module's checked LossRows): X and
// the outputs have N·C elements, N = len(Labels); labels are below C+1;
// Weight has 0, N or N·C elements; ClassAlpha is nil or has C. They never
// allocate.
package rows

import (
	"github.com/focalkernels/focal/impl/internal/csum"
	"github.com/focalkernels/focal/impl/internal/form"
)

// Float is an element type.
type Float interface{ float32 | float64 }

// Elem is a kernel's flat element: Elem returns the loss of x against
// target t with class c's α, and its gradient if grad is set (0 otherwise),
// rounded to E. The loops take it as a type parameter, so that a kernel
// passes a value (no closure to allocate) and the calls are direct.
type Elem[E Float] interface {
	Elem(x, t E, c int, grad bool) (loss, dx E)
}

// Targets returns the targets of a positive and of a negative element in E:
// 1 and 0, or with smoothing eps > 0, 1-eps/2 and eps/2 computed in float64
// and rounded to E (Keras' label_smoothing: y·(1-ε) + ε/2).
func Targets[E Float](eps float64) (pos, neg E) {
	if eps == 0 {
		return 1, 0
	}
	return E(1 - float64(eps/2)), E(eps / 2)
}

// target returns the target of class c in a row labelled l: pos for the
// label's class, neg for the others.
func target[E Float](l int32, c int, pos, neg E) E {
	if int(l) == c {
		return pos
	}
	return neg
}

// Alpha returns class c's α: ClassAlpha[c], or Alpha if ClassAlpha is nil.
func Alpha(p form.Params, c int) float64 {
	if p.ClassAlpha != nil {
		return p.ClassAlpha[c]
	}
	return p.Alpha
}

// Weigh returns v times the weight w in E, and 0 where w is 0.
func Weigh[E Float](v, w E) E {
	if w == 0 {
		return 0
	}
	return v * w
}

// Weights gives the weight of each element of r.
type Weights[E Float] struct {
	w      []E
	c      int
	perRow bool
}

// WeightsOf returns r's weights.
func WeightsOf[E Float](r form.Rows[E]) Weights[E] {
	return Weights[E]{w: r.Weight, c: r.C, perRow: len(r.Weight) == len(r.Labels)}
}

// Row returns row n's weights: nil (every weight 1), one weight (the row's),
// or C (the elements').
func (w Weights[E]) Row(n int) []E {
	switch {
	case w.w == nil:
		return nil
	case w.perRow:
		return w.w[n : n+1]
	}
	return w.w[n*w.c : (n+1)*w.c]
}

// At returns element c's weight from a row's weights (see Row).
func At[E Float](ws []E, c int) E {
	switch len(ws) {
	case 0:
		return 1
	case 1:
		return ws[0]
	}
	return ws[c]
}

// Positives returns the number of rows with a class label, 0 ≤ l < c.
func Positives(labels []int32, c int) int {
	n := 0
	for _, l := range labels {
		if l >= 0 && int(l) < c {
			n++
		}
	}
	return n
}

// Loop runs operation o (OpLoss, OpSum, OpLossGrad; see lanes.go) with
// elem: Loss into out1, Sum (whose results it returns; 0, 0 otherwise), or
// LossGrad into out1 (nil allowed) and out2.
func Loop[E Float, K Elem[E]](o int, out1, out2 []E, r form.Rows[E], p form.Params, elem K) (float64, int) {
	switch o {
	case OpLoss:
		Loss(out1, r, p, elem)
	case OpSum:
		return Sum(r, p, elem)
	default:
		LossGrad(out1, out2, r, p, elem)
	}
	return 0, 0
}

// Loss writes each element's weighted loss into dst (0 in ignored rows).
func Loss[E Float, K Elem[E]](dst []E, r form.Rows[E], p form.Params, elem K) {
	C := r.C
	pos, neg := Targets[E](p.Smoothing)
	ws := WeightsOf(r)
	for n, l := range r.Labels {
		row := dst[n*C : (n+1)*C]
		if l < 0 {
			clear(row)
			continue
		}
		wr := ws.Row(n)
		for c, x := range r.X[n*C : (n+1)*C] {
			v, _ := elem.Elem(x, target(l, c, pos, neg), c, false)
			row[c] = Weigh(v, At(wr, c))
		}
	}
}

// Sum returns the sum of the weighted losses, accumulated in float64 with
// compensated summation, and the number of positive rows.
func Sum[E Float, K Elem[E]](r form.Rows[E], p form.Params, elem K) (float64, int) {
	C := r.C
	pos, neg := Targets[E](p.Smoothing)
	ws := WeightsOf(r)
	var acc csum.Sum
	for n, l := range r.KeptRows() {
		wr := ws.Row(n)
		for c, x := range r.X[n*C : (n+1)*C] {
			v, _ := elem.Elem(x, target(int32(l), c, pos, neg), c, false)
			acc.Add(float64(Weigh(v, At(wr, c))))
		}
	}
	return acc.Value(), Positives(r.Labels, C)
}

// LossGrad writes each element's weighted loss (unless loss is nil) and
// gradient (0 in ignored rows).
func LossGrad[E Float, K Elem[E]](loss, grad []E, r form.Rows[E], p form.Params, elem K) {
	C := r.C
	pos, neg := Targets[E](p.Smoothing)
	ws := WeightsOf(r)
	for n, l := range r.Labels {
		g := grad[n*C : (n+1)*C]
		var ls []E
		if loss != nil {
			ls = loss[n*C : (n+1)*C]
		}
		if l < 0 {
			clear(g)
			clear(ls)
			continue
		}
		wr := ws.Row(n)
		for c, x := range r.X[n*C : (n+1)*C] {
			v, d := elem.Elem(x, target(l, c, pos, neg), c, true)
			w := At(wr, c)
			if ls != nil {
				ls[c] = Weigh(v, w)
			}
			g[c] = Weigh(d, w)
		}
	}
}
