package focal

import (
	"fmt"
	"math"
)

// rowsForm is what the checks of the two rows forms differ in.
type rowsForm struct {
	name         string // "sigmoid rows" or "softmax"
	background   bool   // a label may be C (every target of the row 0)
	elemWeights  bool   // Weight may hold one weight per element
	smoothing    bool   // Params.Smoothing applies
	perRowOutput bool   // the loss has one value per row (else one per element)
}

var (
	sigmoidRows = rowsForm{name: "sigmoid rows", background: true, elemWeights: true, smoothing: true}
	softmaxRows = rowsForm{name: "softmax", perRowOutput: true}
)

// checkRows validates everything a rows function reads before it writes:
// the parameters, C, the lengths of X, Weight, ClassAlpha and the outputs
// (loss: one per element, or one per row for the softmax form; grad: one
// per element; an optional one may be nil), the weights and the labels.
func checkRows[F Float](f rowsForm, r Rows[F], p Params, loss []F, lossOptional bool, grad []F, hasGrad bool) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if !f.smoothing && p.Smoothing != 0 {
		return fmt.Errorf("%w: smoothing = %v: the %s form takes no label smoothing", ErrParams, p.Smoothing, f.name)
	}
	if r.C < 1 {
		return fmt.Errorf("%w: C = %d: want C ≥ 1 classes", ErrLength, r.C)
	}
	n := len(r.Labels)
	if len(r.X)%r.C != 0 || len(r.X)/r.C != n {
		return fmt.Errorf("%w: len(x) = %d, want len(labels)·C = %d·%d", ErrLength, len(r.X), n, r.C)
	}
	nc := len(r.X)
	switch w := len(r.Weight); {
	case w == 0 || w == n:
	case w == nc && f.elemWeights:
		// one weight per element
	case f.elemWeights:
		return fmt.Errorf("%w: len(weight) = %d, want 0, len(labels) = %d or len(x) = %d", ErrLength, w, n, nc)
	default:
		return fmt.Errorf("%w: len(weight) = %d, want 0 or len(labels) = %d (the %s form weighs rows)", ErrLength, w, n, f.name)
	}
	if p.ClassAlpha != nil && len(p.ClassAlpha) != r.C {
		return fmt.Errorf("%w: len(class_alpha) = %d, want C = %d", ErrParams, len(p.ClassAlpha), r.C)
	}
	want := nc
	if f.perRowOutput {
		want = n
	}
	if !(lossOptional && loss == nil) && len(loss) != want {
		return fmt.Errorf("%w: len(loss) = %d, want %d", ErrLength, len(loss), want)
	}
	if hasGrad && len(grad) != nc {
		return fmt.Errorf("%w: len(grad) = %d, want len(x) = %d", ErrLength, len(grad), nc)
	}
	if i := firstBadWeight(r.Weight); i >= 0 {
		return fmt.Errorf("%w: weight[%d] = %v: want a finite weight ≥ 0", ErrParams, i, r.Weight[i])
	}
	top := int32(r.C) // the largest label allowed, exclusive
	if f.background {
		top++
	}
	if i := firstBadLabel(r.Labels, top); i >= 0 {
		if f.background {
			return fmt.Errorf("%w: labels[%d] = %d: want a class 0 ≤ l < C = %d, C for background, or l < 0 to ignore the row", ErrTarget, i, r.Labels[i], r.C)
		}
		return fmt.Errorf("%w: labels[%d] = %d: want a class 0 ≤ l < C = %d, or l < 0 to ignore the row", ErrTarget, i, r.Labels[i], r.C)
	}
	return nil
}

// firstBadLabel returns the index of the first label ≥ top, or -1. It runs
// at memory speed: the loop keeps the running maximum in a register and
// looks for the index only once a block holds a bad label.
func firstBadLabel(labels []int32, top int32) int {
	const block = 256
	for i := 0; i < len(labels); i += block {
		b := labels[i:min(i+block, len(labels))]
		m := int32(math.MinInt32)
		for _, l := range b {
			m = max(m, l)
		}
		if m >= top {
			for j, l := range b {
				if l >= top {
					return i + j
				}
			}
		}
	}
	return -1
}

// firstBadWeight returns the index of the first weight that is NaN, ±Inf or
// negative, or -1. It runs at memory speed as firstBadLabel does: a finite
// weight ≥ 0 has its bits, as an unsigned integer, below +Inf's, so a
// block's largest bits show whether it may hold a bad one (-0, which is
// allowed, sends its block to the exact test).
func firstBadWeight[F Float](w []F) int {
	if is32[F]() {
		return firstBadBits(as[float32](w), math.Float32bits, 0x7f800000)
	}
	return firstBadBits(as[float64](w), math.Float64bits, 0x7ff0000000000000)
}

func firstBadBits[E float32 | float64, U uint32 | uint64](w []E, bits func(E) U, inf U) int {
	const block = 256
	for i := 0; i < len(w); i += block {
		b := w[i:min(i+block, len(w))]
		var m U
		for _, v := range b {
			m = max(m, bits(v))
		}
		if m >= inf {
			for j, v := range b {
				if !(v >= 0 && v-v == 0) { // not a finite weight ≥ 0
					return i + j
				}
			}
		}
	}
	return -1
}
