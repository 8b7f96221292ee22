// Package form defines the inputs of the rows forms, which every kernel
// family takes: the sigmoid focal loss over a detector's classification head
// (N rows of C logits, a class label per row) and the softmax focal loss over
// the same rows. The kernel packages re-export these types (Rows, Params) so
// that their callers need not name an internal package.
package form

import "iter"

// Rows is N rows of C logits, row-major, with one label per row.
//
// Labels[n] in [0, C) is row n's class. Labels[n] == C is background (every
// target of the row 0; the sigmoid rows form only), and a negative label
// ignores the row (its loss and gradient are 0, and it adds nothing to a
// sum). Weight is nil, or N weights (one per row), or N·C (one per element,
// the sigmoid rows form only); a weight multiplies the loss and the
// gradient.
type Rows[E float32 | float64] struct {
	X      []E
	Labels []int32
	C      int
	Weight []E
}

// N returns the number of rows, len(Labels).
func (r Rows[E]) N() int { return len(r.Labels) }

// KeptRows yields each row that is not ignored (label ≥ 0), in order: its
// index and its label, as an int.
func (r Rows[E]) KeptRows() iter.Seq2[int, int] {
	return func(yield func(n, l int) bool) {
		for n, l := range r.Labels {
			if l >= 0 && !yield(n, int(l)) {
				return
			}
		}
	}
}

// Kept returns the number of rows not ignored (label ≥ 0): the count the
// softmax form's Sum returns with its sum.
func (r Rows[E]) Kept() int {
	k := 0
	for _, l := range r.Labels {
		if l >= 0 {
			k++
		}
	}
	return k
}

// Params are the parameters of the rows forms: α and γ as for the flat
// form; ClassAlpha, if not nil, gives class c's α (len C, each in [0, 1]),
// which replaces Alpha; Smoothing ε in [0, 1) turns the sigmoid rows form's
// targets 1 and 0 into 1-ε/2 and ε/2 (Keras' label_smoothing).
type Params struct {
	Alpha, Gamma float64
	ClassAlpha   []float64
	Smoothing    float64
}

// SoftmaxAlpha returns the softmax form's α_c, the weight of rows of class
// c: ClassAlpha[c] if ClassAlpha is set, else Alpha, or 1 if Alpha < 0
// (weighting off).
func (p Params) SoftmaxAlpha(c int) float64 {
	switch {
	case p.ClassAlpha != nil:
		return p.ClassAlpha[c]
	case p.Alpha < 0:
		return 1
	}
	return p.Alpha
}
