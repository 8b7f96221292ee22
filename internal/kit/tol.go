package kit

import (
	"fmt"
	"math"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/internal/ulp"
)

// The tolerances the properties use, all derived from the bars that kernels
// declare against the truth (focal.Bar): a property compares a kernel with
// this package's reference, with the stable kernel, or with itself, and
// allows the bars of both sides.

// tol is how far one kernel may be from a reference: loss in ULP of the element
// type, gradient in ulp.GradErr units (|g-ref|/(scale·eps)); for a relative
// bar, a relative error of the loss and of the gradient's scale instead.
type tol struct {
	loss uint64
	grad float64
	rel  float64 // if positive, used instead of loss and grad
}

func (t tol) relative() bool { return t.rel > 0 }

// twice is t for a comparison of two results that each carry the
// kernel's error: the bar on both sides.
func (t tol) twice() tol {
	t.loss *= 2
	t.grad *= 2
	t.rel *= 2
	return t
}

// truthTol is bar b as a tolerance against the truth.
func truthTol(b focal.Bar) tol { return tol{loss: b.LossULP, grad: b.Grad, rel: b.Rel} }

// vsRef is the tolerance against this package's reference: the kernel's bar
// plus the reference's own error (its rounding to float32: 1 ULP; in float64
// a few ULP of its own, 4 allowed) for loss and gradient.
func vsRef(b focal.Bar, bits int) tol {
	t := truthTol(b)
	switch {
	case t.relative():
		t.rel *= 1.01
	case bits == 32:
		t.loss++
		t.grad++
	default:
		t.loss += 4
		t.grad += 4
	}
	return t
}

// vsStable is the tolerance against the stable kernel of the same element
// type: the sum of both bars against the truth (float32 asm: 4+1 = 5 ULP,
// gradient 8+2 = 10).
func vsStable(b, stable focal.Bar) tol {
	t := truthTol(b)
	if t.relative() {
		t.rel *= 1.01
		return t
	}
	t.loss += stable.LossULP
	t.grad += stable.Grad
	return t
}

func eps(bits int) float64 {
	if bits == 32 {
		return ulp.Eps32
	}
	return ulp.Eps64
}

// closeLoss reports whether got is within tl of want, as values of the
// element type. Where want is below the smallest normal, an absolute error of
// one smallest normal is allowed (as in the golden test); NaN equals NaN.
func closeLoss(got, want float64, bits int, tl tol) bool {
	if got != got || want != want {
		return got != got && want != want
	}
	if tl.relative() {
		return math.Abs(got-want) <= float64(tl.rel*math.Abs(want))+minNormal(bits) || got == want
	}
	if bits == 32 {
		want = float64(float32(want))
	}
	if math.Abs(want) < minNormal(bits) {
		return math.Abs(got-want) <= minNormal(bits)
	}
	if bits == 32 {
		return ulp.Dist32(float32(got), float32(want)) <= tl.loss
	}
	return ulp.Dist64(got, want) <= tl.loss
}

// closeGrad reports whether the gradient got is within tl of want, measured
// with ulp.GradErr against scale; where scale is below the smallest normal an
// absolute error of one smallest normal is allowed.
func closeGrad(got, want, scale float64, bits int, tl tol) bool {
	if got != got || want != want {
		return got != got && want != want
	}
	if got == want {
		return true
	}
	if math.IsInf(want, 0) || math.IsInf(got, 0) {
		return false
	}
	if tl.relative() {
		return math.IsInf(scale, 1) || math.Abs(got-want) <= float64(tl.rel*scale)+minNormal(bits)
	}
	if scale < minNormal(bits) {
		return math.Abs(got-want) <= minNormal(bits)
	}
	return ulp.GradErr(got, want, scale, eps(bits)) <= tl.grad
}

// gradErr is the measured error of got for messages.
func gradErr(got, want, scale float64, bits int) float64 {
	return ulp.GradErr(got, want, scale, eps(bits))
}

func lossDist(got, want float64, bits int) string {
	if bits == 32 {
		return fmtULP(ulp.Dist32(float32(got), float32(want)))
	}
	return fmtULP(ulp.Dist64(got, want))
}

func fmtULP(d uint64) string { return fmt.Sprintf("%d ULP", d) }
