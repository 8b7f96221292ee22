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

// rowsWeights: doubling every weight doubles every result (exactly where
// the results are normal and finite); per-row weights give the bits of the
// same weights repeated per element; weights of 1 give the bits of none.
func rowsWeights[F focal.Float](k focal.RowsKernel[F], c RowsCase, bar focal.Bar) string {
	b := bitsOf[F]()
	loss, _, grad, msg := evalRows(k, c)
	if msg != "" {
		return msg
	}
	sum, _, msg := sumRowsOf(k, c)
	if msg != "" {
		return msg
	}
	d := c.clone()
	if d.W == nil {
		d.W = make([]float64, d.N())
		for i := range d.W {
			d.W[i] = 1
		}
		if m := sameBits(k, c, loss, grad, "without weights", d, "with weights of 1"); m != "" {
			return m
		}
	}
	for i := range d.W {
		d.W[i] *= 2
	}
	dl, _, dg, msg := evalRows(k, d)
	if msg != "" {
		return msg
	}
	exactSum := true
	for i := range loss {
		for _, v := range [][3]float64{{loss[i], dl[i], 1}, {grad[i], dg[i], 0}} {
			one, two := v[0], v[1]
			switch {
			case one != one:
				if two == two {
					return fmt.Sprintf("%s: %s: NaN with weight w, %v with 2w", k.Name(), c.elemStr(i, b), two)
				}
			case math.Abs(2*one) > maxFinite(b):
				if !math.IsInf(two, 0) && math.Abs(two) < maxFinite(b)*(1-4*eps(b)) {
					return fmt.Sprintf("%s: %s: %v with weight w, %v with 2w (want an overflow)", k.Name(), c.elemStr(i, b), one, two)
				}
				exactSum = false
			case math.Abs(one) < minNormal(b) || math.Abs(two) < minNormal(b):
				if math.Abs(two-2*one) > minNormal(b) {
					return fmt.Sprintf("%s: %s: %v with weight w, %v with 2w", k.Name(), c.elemStr(i, b), one, two)
				}
				exactSum = exactSum && one == 0 && two == 0
			case two != 2*one:
				return fmt.Sprintf("%s: %s: %v with weight w, %v with 2w: not exactly doubled", k.Name(), c.elemStr(i, b), one, two)
			}
		}
	}
	dsum, _, msg := sumRowsOf(k, d)
	if msg != "" {
		return msg
	}
	if exactSum && !same(dsum, 2*sum) && !(sum != sum && dsum != dsum) {
		return fmt.Sprintf("%s: SumRows %v with weights w, %v with 2w: not exactly doubled", k.Name(), sum, dsum)
	}
	if c.W != nil && len(c.W) == c.N() && c.C > 1 {
		e := c.clone()
		e.W = make([]float64, len(c.X))
		for i := range e.W {
			e.W[i] = c.W[i/c.C]
		}
		if m := sameBits(k, c, loss, grad, "with per-row weights", e, "with them per element"); m != "" {
			return m
		}
	}
	return ""
}

// rowsClassAlpha: ClassAlpha filled with α gives the results of α itself.
func rowsClassAlpha[F focal.Float](k focal.RowsKernel[F], c RowsCase, bar focal.Bar) string {
	if c.Alpha < 0 {
		c.Alpha = -c.Alpha / (1 - c.Alpha) // into [0, 1)
	}
	loss, _, grad, msg := evalRows(k, c)
	if msg != "" {
		return msg
	}
	d := c.clone()
	d.ClassAlpha = make([]float64, c.C)
	for i := range d.ClassAlpha {
		d.ClassAlpha[i] = c.Alpha
	}
	if m := sameBits(k, c, loss, grad, "with α", d, "with ClassAlpha all α"); m != "" {
		return m
	}
	s, _, _ := sumRowsOf(k, c)
	ds, _, _ := sumRowsOf(k, d)
	if !same(s, ds) {
		return fmt.Sprintf("%s: SumRows %v with α, %v with ClassAlpha all α", k.Name(), s, ds)
	}
	return ""
}

// rowsPositives: SumRows returns the number of rows with 0 ≤ label < C, the
// sum of LossRows's losses, and over a split of the rows the sums and counts
// of the parts.
func rowsPositives[F focal.Float](k focal.RowsKernel[F], c RowsCase, bar focal.Bar) string {
	b := bitsOf[F]()
	want := 0
	for _, l := range c.Labels {
		if l >= 0 && int(l) < c.C {
			want++
		}
	}
	sum, pos, msg := sumRowsOf(k, c)
	if msg != "" {
		return msg
	}
	if pos != want {
		return fmt.Sprintf("%s: SumRows counts %d positive rows, want %d", k.Name(), pos, want)
	}
	loss, _, _, msg := evalRows(k, c)
	if msg != "" {
		return msg
	}
	for i, x := range c.X {
		if _, _, _, ign := c.elem(i, b); !ign && !bar.InRange(x, c.Gamma) {
			return "" // the bar does not cover this case's sum
		}
	}
	total, abs := sumOfLosses(loss)
	bd := sumBound(bar, b, len(c.X), abs)
	if !sumClose(sum, total, bd) {
		return fmt.Sprintf("%s: SumRows %v, sum of LossRows %v: |diff| %.3g > bound %.3g", k.Name(), sum, total, math.Abs(sum-total), bd)
	}
	left := c.dropRows(func(n int) bool { return n >= c.Split })
	right := c.dropRows(func(n int) bool { return n < c.Split })
	right.Off = (c.Off + c.Split*c.C) % 16
	ls, lp, rs, rp, msg := sumRowsOfTwo(k, left, right)
	if msg != "" {
		return msg
	}
	if lp+rp != pos || !sumClose(sum, ls+rs, bd) {
		return fmt.Sprintf("%s: SumRows %v (%d positive), of rows [:%d] and [%d:] %v + %v (%d + %d positive)", k.Name(), sum, pos, c.Split, c.Split, ls, rs, lp, rp)
	}
	return ""
}

// rowsGradFD: the gradient matches a central finite difference (see
// gradFD) times the weight, for |x| ≤ 50 and γ ≤ 50: float32 kernels
// against the difference of the float64 reference loss, to their gradient
// bar + 2; float64 kernels against the difference of their own rows loss
// (one element of one class, unweighted), to 1e-6 of the gradient's scale.
func rowsGradFD[F focal.Float](k focal.RowsKernel[F], c RowsCase, bar focal.Bar) string {
	b := bitsOf[F]()
	_, _, grad, msg := evalRows(k, c)
	if msg != "" || c.Gamma > 50 {
		return msg
	}
	tl := fdTol(bar, b)
	for i, x := range c.X {
		t, a, w, ign := c.elem(i, b)
		if ign || !bar.InRange(x, c.Gamma) || w == 0 {
			continue
		}
		lossAt := func(v float64) float64 { return ref(v, t, a, c.Gamma).loss }
		own := b == 64 && !tl.relative()
		if own {
			one := RowsCase{X: []float64{0}, Labels: []int32{1}, C: 1, Alpha: a, Gamma: c.Gamma, Smoothing: c.Smoothing}
			if pos, _ := c.targets(b); t == pos {
				one.Labels[0] = 0
			}
			s := prepareRows[F](one)
			lossAt = func(v float64) float64 {
				s.r.X[0] = F(v)
				k.LossRows(s.dst, s.r, one.params())
				return float64(s.dst[0])
			}
		}
		d, h := centralDiff(lossAt, x)
		rv := ref(x, t, a, c.Gamma)
		scale, l := rv.scaleFor(tl), rv.loss
		slack := float64(1e-9*math.Abs(l)) + minNormal(b)
		var ok bool
		switch {
		case scale*w < minNormal(b):
			ok = math.Abs(grad[i]-d*w) <= 2*minNormal(b)+float64(1e-6*scale*w)
		case tl.relative():
			ok = math.Abs(grad[i]/w-d) <= float64(tl.rel*scale)+slack
		case own:
			ok = math.Abs(grad[i]/w-d) <= float64(1e-6*scale)+slack
		default:
			ok = closeGradW(grad[i], d, scale, w, b, tl) || math.Abs(grad[i]/w-d) <= 1e-9*math.Abs(l)
		}
		if !ok {
			return fmt.Sprintf("%s: %s: grad %v, central difference of the unweighted loss %v (step %g) times w: error %.3g·scale·eps (scale %.6g)",
				k.Name(), c.elemStr(i, b), grad[i], d, h, gradErr(grad[i]/w, d, scale, b), scale)
		}
	}
	return ""
}

// rowsAgreeStable: every element within vsStable of the stable kernel's
// rows form (unweighted by the weight both multiplied by), NaN where stable
// gives NaN; at ±Inf logits the gradient is held to a relative error.
func rowsAgreeStable[F focal.Float](k focal.RowsKernel[F], c RowsCase, bar focal.Bar) string {
	b := bitsOf[F]()
	st, ok := stableKernel[F]().(focal.RowsKernel[F])
	if !ok {
		return "the stable kernel does not implement RowsKernel"
	}
	loss, lgLoss, grad, sLoss, sGrad, msg := evalTwo(evalRows[F], k, c, st, c)
	if msg != "" {
		return msg
	}
	tl := vsStable(bar, stableBar[F]())
	for e, m := range c.held(k.Name(), bar, b, loss, grad) {
		if m != "" {
			return m
		}
		i, x, t, a, w := e.i, e.x, e.t, e.alpha, e.w
		for _, l := range []float64{loss[i], lgLoss[i]} {
			if w == 0 {
				if l != 0 {
					return fmt.Sprintf("%s: %s: loss %v, want 0 at weight 0", k.Name(), c.elemStr(i, b), l)
				}
				continue
			}
			if !same(l, sLoss[i]) && !closeLossW(l, sLoss[i]/w, w, b, tl) {
				return fmt.Sprintf("%s: %s: loss %v, stable %v", k.Name(), c.elemStr(i, b), l, sLoss[i])
			}
		}
		if w == 0 {
			if grad[i] != 0 {
				return fmt.Sprintf("%s: %s: grad %v, want 0 at weight 0", k.Name(), c.elemStr(i, b), grad[i])
			}
			continue
		}
		scale := math.Abs(sGrad[i] / w)
		if !math.IsInf(x, 0) && x == x {
			scale = ref(x, t, a, c.Gamma).scaleFor(tl)
		}
		if !same(grad[i], sGrad[i]) && !closeGradW(grad[i], sGrad[i]/w, scale, w, b, tl) {
			return fmt.Sprintf("%s: %s: grad %v, stable %v: error %.3g·scale·eps (scale %.6g), tolerance %v",
				k.Name(), c.elemStr(i, b), grad[i], sGrad[i], gradErr(grad[i]/w, sGrad[i]/w, scale, b), scale, tl.grad)
		}
	}
	return ""
}

// sameBits evaluates k on d, a variant of c that must give the same bits,
// and compares its loss and gradient with c's (loss, grad); how and dHow
// say in the message what c and d are.
func sameBits[F focal.Float](k focal.RowsKernel[F], c RowsCase, loss, grad []float64, how string, d RowsCase, dHow string) string {
	dl, _, dg, msg := evalRows(k, d)
	if msg != "" {
		return msg
	}
	b := bitsOf[F]()
	for i := range loss {
		if !same(loss[i], dl[i]) || !same(grad[i], dg[i]) {
			return fmt.Sprintf("%s: %s: loss %v grad %v %s, %v and %v %s", k.Name(), c.elemStr(i, b), loss[i], grad[i], how, dl[i], dg[i], dHow)
		}
	}
	return ""
}

// FuzzRows runs on one decoded rows case the checks of differential fuzzing:
// rows-agree-stable (which includes LossGradRows's loss against LossRows's
// and the guards), rows-ignored and rows-positives. It returns the first
// failure's message, or "".
func FuzzRows[F focal.Float](k focal.RowsKernel[F], c RowsCase, bar focal.Bar) string {
	for _, check := range []func(focal.RowsKernel[F], RowsCase, focal.Bar) string{rowsAgreeStable[F], rowsIgnored[F], rowsPositives[F]} {
		if msg := check(k, c, bar); msg != "" {
			return fmt.Sprintf("float%d: %s\ncase %v", bitsOf[F](), msg, c)
		}
	}
	return ""
}
