package kit

// The rows form's properties: each a statement of the sigmoid rows form
// (see focal.LossRows) that any correct focal.RowsKernel meets within its
// declared bar.

import (
	"fmt"
	"iter"
	"math"

	"github.com/focalkernels/focal"
)

// RowsProperty is one named statement about a kernel's rows form, checked
// on generated RowsCases.
type RowsProperty[F focal.Float] = Prop[F, focal.RowsKernel[F], RowsCase, rowsOpts]

// RowsProperties lists the rows form's properties for element type F.
func RowsProperties[F focal.Float]() []RowsProperty[F] {
	with := func(f func(o *rowsOpts)) func(int, bool) rowsOpts {
		return func(b int, w bool) rowsOpts {
			o := rowsOpts{genOpts: genOpts{bits: b, wideGamma: w}}
			f(&o)
			return o
		}
	}
	finite := with(func(*rowsOpts) {})
	all := with(func(o *rowsOpts) { o.specials, o.nan = true, true })
	hard := with(func(o *rowsOpts) { o.specials, o.nan, o.noSmoothing = true, true, true })
	smooth := with(func(o *rowsOpts) { o.specials, o.nan, o.smoothing = true, true, true })
	scalarAlpha := with(func(o *rowsOpts) { o.specials, o.nan, o.constAlpha = true, true, true })
	moderate := with(func(o *rowsOpts) { o.maxAbs = 50 })
	return []RowsProperty[F]{
		{"rows-element", "each element is the element formula at its label's target, class α and weight", finite, rowsElement[F]},
		{"rows-flat", "each element is the kernel's flat loss and gradient at its target and class α, times its weight", hard, rowsFlat[F]},
		{"rows-smoothing", "smoothing ε gives the flat form's soft targets 1-ε/2 and ε/2", smooth, rowsFlat[F]},
		{"rows-background", "a background row (label C) is the flat form with every target negative", all, rowsBackground[F]},
		{"rows-ignored", "an ignored row gives 0 and changes nothing else: the other rows' bits, the sum as if it were absent", all, rowsIgnored[F]},
		{"rows-weights", "weights are linear: doubling them doubles the results; per-row weights are per-element weights repeated; weights of 1 are none", all, rowsWeights[F]},
		{"rows-class-alpha", "a constant ClassAlpha gives the scalar α's results bit for bit", scalarAlpha, rowsClassAlpha[F]},
		{"rows-positives", "SumRows counts the rows with a class label, sums LossRows, and adds over a split of the rows", all, rowsPositives[F]},
		{"rows-grad-fd", "the gradient matches a central finite difference of the weighted loss", moderate, rowsGradFD[F]},
		{"rows-agree-stable", "loss and gradient within both bars of the stable kernel's rows form", all, rowsAgreeStable[F]},
	}
}

func maxFinite(bits int) float64 {
	if bits == 32 {
		return math.MaxFloat32
	}
	return math.MaxFloat64
}

// closeLossW reports whether got, a weighted loss, is w times want (an
// unweighted loss) within tl, as the rows form defines it: the element
// rounded to F, within tl of want, then multiplied by w in F. So: exactly 0
// where w is 0; where want is below the smallest normal (where tl allows
// one smallest normal), within w+1 smallest normals of w·want; where w·want
// is below it, within two; an infinity or close to the largest float where
// w·want overflows; otherwise got/w against want, with two more ULP for the
// product's rounding where w is not 1.
func closeLossW(got, want, w float64, bits int, tl tol) bool {
	if w == 0 {
		return got == 0
	}
	if w == 1 {
		return closeLoss(got, want, bits, tl)
	}
	ww := float64(want * w)
	switch {
	case want != want:
		return got != got
	case math.Abs(want) < minNormal(bits):
		return math.Abs(got-ww) <= (w+1)*minNormal(bits)
	case math.Abs(ww) < minNormal(bits):
		return math.Abs(got-ww) <= 2*minNormal(bits)
	case math.Abs(ww) > maxFinite(bits)*(1-float64(float64(tl.loss+2)*eps(bits))):
		return math.IsInf(got, 1) || math.Abs(got) > maxFinite(bits)*(1-float64(float64(2*tl.loss+4)*eps(bits)))
	}
	tl.loss += 2
	return closeLoss(got/w, want, bits, tl)
}

// closeGradW is closeLossW for a weighted gradient measured against scale
// (unweighted), with one more unit for the product's rounding.
func closeGradW(got, want, scale, w float64, bits int, tl tol) bool {
	if w == 0 {
		return got == 0
	}
	if w == 1 {
		return closeGrad(got, want, scale, bits, tl)
	}
	if want == want {
		switch {
		case scale < minNormal(bits):
			return math.Abs(got-float64(want*w)) <= (w+1)*minNormal(bits)
		case scale*w < minNormal(bits):
			return math.Abs(got-float64(want*w)) <= 2*minNormal(bits)
		}
	}
	tl.grad++
	return closeGrad(got/w, want, scale, bits, tl)
}

// rowsElem is element i of a RowsCase: its logit, target, class α and
// weight.
type rowsElem struct {
	i              int
	x, t, alpha, w float64
}

// held yields, in order, the elements of c in bar's range, which a
// property holds to a value; an element of an ignored row it holds to 0
// in loss and gradient itself, and the first that is not ends the loop
// with its message.
func (c RowsCase) held(k string, bar focal.Bar, bits int, loss, grad []float64) iter.Seq2[rowsElem, string] {
	return func(yield func(rowsElem, string) bool) {
		for i, x := range c.X {
			t, a, w, ign := c.elem(i, bits)
			if ign {
				if m := ignoredZero(k, c, i, bits, loss[i], grad[i]); m != "" {
					yield(rowsElem{}, m)
					return
				}
				continue
			}
			if bar.InRange(x, c.Gamma) && !yield(rowsElem{i, x, t, a, w}, "") {
				return
			}
		}
	}
}

// ignoredZero checks that element i of an ignored row is 0 in loss and gradient.
func ignoredZero(k string, c RowsCase, i, bits int, loss, grad float64) string {
	if loss != 0 || grad != 0 {
		return fmt.Sprintf("%s: %s: loss %v grad %v, want 0 in an ignored row", k, c.elemStr(i, bits), loss, grad)
	}
	return ""
}

// elementRef is rows-element's reference for c's elements and the
// tolerance against it: this package's float64 reference for float32
// kernels (nil values: the property computes them), and for float64 ones
// stable's flat loss and gradient, since the float64 reference's q^γ is
// off by γ·|log q| units of 2^-53, far more than a float64 kernel's bar.
func elementRef[F focal.Float](c RowsCase, bar focal.Bar) (tl tol, loss, grad []float64) {
	if bitsOf[F]() == 32 {
		return vsRef(bar, 32), nil, nil
	}
	loss, grad = flatOf(stableKernel[F](), c)
	return vsStable(bar, stableBar[F]()), loss, grad
}

// rowsElement: every element against the element formula with its target,
// class α and weight: this package's float64 reference for float32
// kernels, the stable kernel's element for float64 ones.
func rowsElement[F focal.Float](k focal.RowsKernel[F], c RowsCase, bar focal.Bar) string {
	b := bitsOf[F]()
	tl, sl, sg := elementRef[F](c, bar)
	loss, _, grad, msg := evalRows(k, c)
	if msg != "" {
		return msg
	}
	for e, m := range c.held(k.Name(), bar, b, loss, grad) {
		if m != "" {
			return m
		}
		i, x, t, a, w := e.i, e.x, e.t, e.alpha, e.w
		rv := ref(x, t, a, c.Gamma)
		scale := rv.scaleFor(tl)
		if sl != nil {
			rv.loss, rv.grad = sl[i], sg[i]
		}
		if !closeLossW(loss[i], rv.loss, w, b, tl) {
			return fmt.Sprintf("%s: %s: loss %v, reference %v·w = %v", k.Name(), c.elemStr(i, b), loss[i], rv.loss, rv.loss*w)
		}
		if !closeGradW(grad[i], rv.grad, scale, w, b, tl) {
			return fmt.Sprintf("%s: %s: grad %v, reference %v·w = %v: error %.3g·scale·eps (scale %.6g)", k.Name(), c.elemStr(i, b),
				grad[i], rv.grad, rv.grad*w, gradErr(grad[i]/w, rv.grad, scale, b), scale)
		}
	}
	return ""
}

// asFlat returns the kernel's flat form, which every registered kernel has.
func asFlat[F focal.Float](k focal.RowsKernel[F]) (focal.Kernel[F], string) {
	f, ok := k.(focal.Kernel[F])
	if !ok {
		return nil, fmt.Sprintf("%s implements RowsKernel but not Kernel: the rows form is compared with the flat one", k.Name())
	}
	return f, ""
}

// pairTol is the tolerance between two results of one kernel that are each
// within its bar of the truth.
func pairTol(bar focal.Bar) tol { return truthTol(bar).twice() }

// againstFlat holds the rows results to the kernel's flat results on the
// same elements (flatOf), weighted in the element type: within both bars.
func againstFlat[F focal.Float](k focal.RowsKernel[F], c RowsCase, bar focal.Bar, loss, grad []float64) string {
	b := bitsOf[F]()
	flat, msg := asFlat(k)
	if msg != "" {
		return msg
	}
	fl, fg := flatOf(flat, c)
	tl := pairTol(bar)
	for e, m := range c.held(k.Name(), bar, b, loss, grad) {
		if m != "" {
			return m
		}
		i, x, t, a, w := e.i, e.x, e.t, e.alpha, e.w
		if !same(loss[i], weigh[F](fl[i], w)) && !closeLossW(loss[i], fl[i], w, b, tl) {
			return fmt.Sprintf("%s: %s: loss %v, flat Loss %v times w", k.Name(), c.elemStr(i, b), loss[i], fl[i])
		}
		scale := math.Abs(fg[i])
		if !math.IsInf(x, 0) && x == x {
			scale = ref(x, t, a, c.Gamma).scaleFor(tl)
		}
		if !same(grad[i], weigh[F](fg[i], w)) && !closeGradW(grad[i], fg[i], scale, w, b, tl) {
			return fmt.Sprintf("%s: %s: grad %v, flat LossGrad %v times w", k.Name(), c.elemStr(i, b), grad[i], fg[i])
		}
	}
	return ""
}

// rowsFlat: every element equals the kernel's flat form on the element's
// target (smoothed, if the case smooths) and class α, times its weight.
func rowsFlat[F focal.Float](k focal.RowsKernel[F], c RowsCase, bar focal.Bar) string {
	loss, _, grad, msg := evalRows(k, c)
	if msg != "" {
		return msg
	}
	return againstFlat(k, c, bar, loss, grad)
}

// rowsBackground: with every labelled row made background (label C), every
// element is the flat form at the negative target, and no row is positive.
func rowsBackground[F focal.Float](k focal.RowsKernel[F], c RowsCase, bar focal.Bar) string {
	c = c.clone()
	for n, l := range c.Labels {
		if l >= 0 {
			c.Labels[n] = int32(c.C)
		}
	}
	loss, _, grad, msg := evalRows(k, c)
	if msg != "" {
		return msg
	}
	if _, pos, msg := sumRowsOf(k, c); msg != "" || pos != 0 {
		return fmt.Sprintf("%s: SumRows counts %d positive rows where every row is background or ignored %s", k.Name(), pos, msg)
	}
	return againstFlat(k, c, bar, loss, grad)
}

// rowsIgnored: ignoring a third of the rows (and filling their logits with
// NaN, ±Inf and huge values) gives 0 in those rows, the same bits in the
// others, and the sum and positive count of the case without those rows.
func rowsIgnored[F focal.Float](k focal.RowsKernel[F], c RowsCase, bar focal.Bar) string {
	b := bitsOf[F]()
	drop := func(n int) bool { return (n+c.Split)%3 == 0 }
	ig := c.clone()
	junk := []float64{math.NaN(), math.Inf(1), math.Inf(-1), maxFinite(b), -maxFinite(b), 0}
	for n := range ig.Labels {
		if drop(n) {
			ig.Labels[n] = -1 - int32(n%2)*1000
			for j := n * c.C; j < (n+1)*c.C; j++ {
				ig.X[j] = junk[j%len(junk)]
			}
		}
	}
	loss, _, grad, iLoss, iGrad, msg := evalTwo(evalRows[F], k, c, k, ig)
	if msg != "" {
		return msg
	}
	for i := range c.X {
		if ig.Labels[i/c.C] < 0 {
			if m := ignoredZero(k.Name(), ig, i, b, iLoss[i], iGrad[i]); m != "" {
				return m
			}
			continue
		}
		if !same(loss[i], iLoss[i]) || !same(grad[i], iGrad[i]) {
			return fmt.Sprintf("%s: %s: loss %v grad %v, but %v and %v once other rows are ignored", k.Name(), c.elemStr(i, b), loss[i], grad[i], iLoss[i], iGrad[i])
		}
	}
	absent := ig.dropRows(func(n int) bool { return ig.Labels[n] < 0 })
	s, pos, as, apos, msg := sumRowsOfTwo(k, ig, absent)
	if msg != "" {
		return msg
	}
	aLoss, _, _, msg := evalRows(k, absent)
	if msg != "" {
		return msg
	}
	_, abs := sumOfLosses(aLoss)
	if bd := sumBound(bar, b, len(absent.X), abs); pos != apos || !sumClose(s, as, bd) {
		return fmt.Sprintf("%s: SumRows with ignored rows %v (%d positive), without them %v (%d positive): bound %.3g", k.Name(), s, pos, as, apos, bd)
	}
	return ""
}
