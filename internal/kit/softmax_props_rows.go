package kit

// The softmax form's properties of whole rows: nonnegative losses, ignored
// rows, linear weights, the finite-difference gradient, and the sums.

import (
	"fmt"
	"math"

	"github.com/focalkernels/focal"
)

// softmaxNonneg: the loss is ≥ 0 (not NaN) for every row without a NaN,
// ±Inf logits included; loss and gradient are finite wherever stable's are
// (they overflow only where the truth does).
func softmaxNonneg[F focal.Float](k focal.SoftmaxKernel[F], c SoftmaxCase, bar focal.Bar) string {
	sk, _ := stableSoftmax[F]()
	loss, lgLoss, grad, sLoss, sGrad, msg := evalTwo(evalSoftmax[F], k, c, sk, c)
	if msg != "" {
		return msg
	}
	for n := range c.N() {
		if !softmaxInRange(bar, c, n) {
			continue
		}
		if !(loss[n] >= 0) || !(lgLoss[n] >= 0) {
			return fmt.Sprintf("%s: %s: loss %v (LossGrad: %v), want ≥ 0", k.Name(), rowStr(c, n), loss[n], lgLoss[n])
		}
		if !math.IsInf(sLoss[n], 0) && math.IsInf(loss[n], 0) {
			return fmt.Sprintf("%s: %s: loss %v, stable's %v is finite", k.Name(), rowStr(c, n), loss[n], sLoss[n])
		}
		for j := range c.C {
			i := n*c.C + j
			if finiteVals(sGrad[i:i+1]) && !finiteVals(grad[i:i+1]) {
				return fmt.Sprintf("%s: %s, class %d: grad %v, stable's %v is finite", k.Name(), rowStr(c, n), j, grad[i], sGrad[i])
			}
		}
	}
	return ""
}

// softmaxIgnored: with an ignored row (a negative label, any logits, NaN
// included) after every row, the other rows' losses and gradients are the
// same bits, the ignored rows' are 0, and SoftmaxSum is the same (within
// sumBound: the summation order may change) over the same count of rows.
func softmaxIgnored[F focal.Float](k focal.SoftmaxKernel[F], c SoftmaxCase, bar focal.Bar) string {
	b := bitsOf[F]()
	d := c.clone()
	d.X, d.Labels, d.Weight = nil, nil, nil
	o := genOpts{bits: b, specials: true, nan: true}
	r := newRand(c)
	for n := range c.N() {
		d.X = append(d.X, c.Row(n)...)
		d.Labels = append(d.Labels, c.Labels[n])
		for range c.C {
			d.X = append(d.X, o.logit(r))
		}
		d.Labels = append(d.Labels, int32(-1-n%3))
		if c.Weight != nil {
			d.Weight = append(d.Weight, c.Weight[n], o.round(r.Float64()))
		}
	}
	loss, _, grad, dLoss, dGrad, msg := evalTwo(evalSoftmax[F], k, c, k, d)
	if msg != "" {
		return msg
	}
	for n := range c.N() {
		if !same(loss[n], dLoss[2*n]) || dLoss[2*n+1] != 0 {
			return fmt.Sprintf("%s: %s: loss %v; with ignored rows between %v (the ignored row's %v)", k.Name(), rowStr(c, n), loss[n], dLoss[2*n], dLoss[2*n+1])
		}
		for j := range c.C {
			if !same(grad[n*c.C+j], dGrad[2*n*c.C+j]) || dGrad[(2*n+1)*c.C+j] != 0 {
				return fmt.Sprintf("%s: %s, class %d: grad %v; with ignored rows between %v (the ignored row's %v)",
					k.Name(), rowStr(c, n), j, grad[n*c.C+j], dGrad[2*n*c.C+j], dGrad[(2*n+1)*c.C+j])
			}
		}
	}
	s, rows, msg := softmaxSumOf(k, c)
	if msg != "" {
		return msg
	}
	ds, drows, msg := softmaxSumOf(k, d)
	if msg != "" {
		return msg
	}
	_, abs := sumOfLosses(loss)
	if bd := sumBound(bar, b, c.N(), abs); rows != drows || !sumClose(ds, s, bd) {
		return fmt.Sprintf("%s: SoftmaxSum %v over %d rows; with ignored rows between %v over %d", k.Name(), s, rows, ds, drows)
	}
	return ""
}

// softmaxWeightLinear: with row weights w_n the loss is w_n times the
// unweighted loss and so is the gradient (within twice the bar, and one
// rounding), a weight of 0 gives 0 (for rows without a NaN), and SoftmaxSum
// is Σ w_n·loss_n.
func softmaxWeightLinear[F focal.Float](k focal.SoftmaxKernel[F], c SoftmaxCase, bar focal.Bar) string {
	b := bitsOf[F]()
	d := c.clone()
	o := softmaxOpts{genOpts: genOpts{bits: b}}
	r := newRand(c)
	d.Weight = make([]float64, c.N())
	for n := range d.Weight {
		d.Weight[n] = o.weight(r)
	}
	loss, _, grad, dLoss, dGrad, msg := evalTwo(evalSoftmax[F], k, c, k, d)
	if msg != "" {
		return msg
	}
	tl := truthTol(bar)
	tl.loss, tl.grad, tl.rel = 2*tl.loss+1, 2*tl.grad+1, 2*tl.rel
	round := func(v float64) float64 {
		if b == 32 {
			return float64(float32(v))
		}
		return v
	}
	var want, abs float64
	allInRange := true
	for n := range c.N() {
		w := d.Weight[n]
		// a subnormal unweighted value carries an absolute error of half
		// its spacing, which the weight scales
		slack := float64((w + 1) * minNormal(b))
		allInRange = allInRange && softmaxInRange(bar, c, n)
		wl := float64(w * loss[n]) // weight 0 gives 0 but in a row with a NaN
		if w == 0 && !hasNaN(c.Row(n)) {
			wl = 0
		}
		want += wl
		abs += math.Abs(wl)
		if !softmaxInRange(bar, c, n) {
			continue
		}
		if math.IsInf(loss[n], 0) && finiteTruth(c, n) {
			allInRange = false // the unweighted loss overflowed the type: nothing to scale
			continue
		}
		noNaN := !hasNaN(c.Row(n))
		if w == 0 && noNaN {
			if dLoss[n] != 0 {
				return fmt.Sprintf("%s: %s: weight 0, loss %v", k.Name(), rowStr(d, n), dLoss[n])
			}
		} else if wl := round(w * loss[n]); !closeLoss(dLoss[n], wl, b, tl) && !(math.Abs(dLoss[n]-wl) <= slack) {
			return fmt.Sprintf("%s: %s: loss %v, w·(unweighted loss %v) = %v (%s)", k.Name(), rowStr(d, n), dLoss[n], loss[n], wl, lossDist(dLoss[n], wl, b))
		}
		for j := range c.C {
			i := n*c.C + j
			wg := round(w * grad[i])
			if w == 0 && noNaN {
				wg = 0
			}
			if !closeRel(dGrad[i], wg, b, tl) && !(math.Abs(dGrad[i]-wg) <= float64(slack*eps(b)*(tl.grad+1))) {
				return fmt.Sprintf("%s: %s, class %d: grad %v, w·(unweighted %v) = %v", k.Name(), rowStr(d, n), j, dGrad[i], grad[i], wg)
			}
		}
	}
	s, _, msg := softmaxSumOf(k, d)
	if msg != "" || !allInRange {
		return msg
	}
	if bd := sumBound(focal.Bar{LossULP: 2*bar.LossULP + 1, Rel: 2 * bar.Rel}, b, c.N(), abs); !sumClose(s, want, bd) {
		return fmt.Sprintf("%s: weighted SoftmaxSum %v, Σ w·loss %v: |diff| %.3g > bound %.3g", k.Name(), s, want, math.Abs(s-want), bd)
	}
	return ""
}

// softmaxGradFD: the gradient matches a central finite difference (gonum
// diff/fd) of the loss in float64: a float64 kernel's own, a float32
// kernel's against stable's float64 loss, for |x| ≤ 30 and γ ≤ 50, to the
// bar (+1) or 1e-9 of the loss, as the flat form's grad-fd.
func softmaxGradFD[F focal.Float](k focal.SoftmaxKernel[F], c SoftmaxCase, bar focal.Bar) string {
	b := bitsOf[F]()
	_, _, grad, msg := evalSoftmax(k, c)
	if msg != "" || c.Gamma > 50 || c.C > 33 {
		return msg
	}
	var k64 focal.SoftmaxKernel[float64]
	if kk, ok := k.(focal.SoftmaxKernel[float64]); ok && b == 64 && !truthTol(bar).relative() {
		k64 = kk
	} else {
		k64, _ = stableSoftmax[float64]()
	}
	tl := fdTol(bar, b)
	for n := range c.N() {
		l := int(c.Labels[n])
		if l < 0 || !softmaxInRange(bar, c, n) {
			continue
		}
		row := append([]float64(nil), c.Row(n)...)
		one := focal.Rows[float64]{X: row, Labels: []int32{int32(l)}, C: c.C}
		if c.Weight != nil {
			one.Weight = []float64{c.W(n)}
		}
		p := c.params()
		out := []float64{0}
		k64.SoftmaxLoss(out, one, p)
		lossN := out[0]
		for j := range c.C {
			x := row[j]
			f := func(v float64) float64 {
				row[j] = v
				k64.SoftmaxLoss(out, one, p)
				row[j] = x
				return out[0]
			}
			d, h := centralDiff(f, x)
			g := grad[n*c.C+j]
			slack := float64(1e-9 * math.Abs(lossN))
			var ok bool
			switch {
			case tl.relative():
				ok = math.Abs(g-d) <= float64(tl.rel*math.Max(math.Abs(d), minNormal(b)))+slack
			case b == 64:
				ok = math.Abs(g-d) <= float64(1e-6*math.Abs(d))+slack+minNormal(64)
			default:
				ok = closeRel(g, d, 32, tl) || math.Abs(g-d) <= slack
			}
			if !ok {
				return fmt.Sprintf("%s: %s, class %d: grad %v, central difference %v (step %g)", k.Name(), rowStr(c, n), j, g, d, h)
			}
		}
	}
	return ""
}

// softmaxLossGradExact: SoftmaxLossGrad's loss is SoftmaxLoss's bit for bit
// (evalSoftmax also holds SoftmaxLossGrad(nil, …) to the same gradient).
func softmaxLossGradExact[F focal.Float](k focal.SoftmaxKernel[F], c SoftmaxCase, bar focal.Bar) string {
	return lossGradSame(evalSoftmax[F], k, c, rowStr, "SoftmaxLoss", "SoftmaxLossGrad")
}

// softmaxSum: SoftmaxSum equals the sum of the losses SoftmaxLoss writes,
// within sumBound, and counts the rows whose label is not negative.
func softmaxSum[F focal.Float](k focal.SoftmaxKernel[F], c SoftmaxCase, bar focal.Bar) string {
	b := bitsOf[F]()
	for n := range c.N() {
		if !softmaxInRange(bar, c, n) {
			return ""
		}
	}
	loss, _, _, msg := evalSoftmax(k, c)
	if msg != "" {
		return msg
	}
	for n := range c.N() {
		if math.IsInf(loss[n], 0) && finiteTruth(c, n) {
			return "" // a loss that overflows the type, which Sum (in float64) need not
		}
	}
	want, abs := sumOfLosses(loss)
	got, rows, msg := softmaxSumOf(k, c)
	if msg != "" {
		return msg
	}
	wantRows := 0
	for _, l := range c.Labels {
		if l >= 0 {
			wantRows++
		}
	}
	if bd := sumBound(bar, b, c.N(), abs); rows != wantRows || !sumClose(got, want, bd) {
		return fmt.Sprintf("%s: N=%d: SoftmaxSum %v over %d rows, the losses sum to %v over %d: bound %.3g", k.Name(), c.N(), got, rows, want, wantRows, bd)
	}
	return ""
}
