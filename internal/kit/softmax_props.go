package kit

// The softmax form's properties: each a statement of the math that any
// correct kernel meets within its declared softmax bar (see
// focal.SoftmaxBarOf for the measure).

import (
	"fmt"
	"math"
	"math/rand"

	"gonum.org/v1/gonum/diff/fd"

	"github.com/focalkernels/focal"
)

// SoftmaxProperty is one named statement about a kernel's softmax form,
// checked on generated SoftmaxCases.
type SoftmaxProperty[F focal.Float] = Prop[F, focal.SoftmaxKernel[F], SoftmaxCase, softmaxOpts]

// SoftmaxProperties lists the softmax form's properties for element type F.
func SoftmaxProperties[F focal.Float]() []SoftmaxProperty[F] {
	all := func(b int, w bool) softmaxOpts {
		return softmaxOpts{genOpts: genOpts{bits: b, specials: true, nan: true, wideGamma: w}}
	}
	inf := func(b int, w bool) softmaxOpts {
		return softmaxOpts{genOpts: genOpts{bits: b, specials: true, wideGamma: w}}
	}
	finite := func(b int, w bool) softmaxOpts { return softmaxOpts{genOpts: genOpts{bits: b, wideGamma: w}} }
	binary := func(b int, w bool) softmaxOpts {
		return softmaxOpts{genOpts: genOpts{bits: b, specials: true, nan: true, wideGamma: w}, c: 2, noIgnored: true, noWeights: true}
	}
	moderate := func(b int, w bool) softmaxOpts {
		return softmaxOpts{genOpts: genOpts{bits: b, maxAbs: 30}, noWeights: b == 32}
	}
	exact := func(b int, w bool) softmaxOpts { return softmaxOpts{genOpts: genOpts{bits: b, maxAbs: 1000}} }
	plain := func(b int, w bool) softmaxOpts {
		return softmaxOpts{genOpts: genOpts{bits: b, specials: true, nan: true, wideGamma: w}, noWeights: true}
	}
	return []SoftmaxProperty[F]{
		{"softmax-agree-stable", "loss and gradient within both bars of the stable kernel", all, softmaxAgreeStable[F]},
		{"softmax-ce-at-gamma0", "γ = 0 gives α_c-weighted softmax cross-entropy, gradient α_c(p - onehot)", finite, softmaxCEAtGamma0[F]},
		{"softmax-binary", "C = 2, class α (1-α, α), rows (0, z): the sigmoid focal loss of z with t = label, loss and gradient", binary, softmaxBinary[F]},
		{"softmax-shift", "adding a constant to a row changes nothing", exact, softmaxShift[F]},
		{"softmax-grad-sum-zero", "the gradient of each row sums to 0", inf, softmaxGradSumZero[F]},
		{"softmax-nonneg", "loss ≥ 0; loss and gradient finite where stable's are", inf, softmaxNonneg[F]},
		{"softmax-ignored", "ignored rows are 0 and change nothing else", all, softmaxIgnored[F]},
		{"softmax-weight-linear", "loss, gradient and sum are linear in the row weights", plain, softmaxWeightLinear[F]},
		{"softmax-grad-fd", "the gradient matches a central finite difference", moderate, softmaxGradFD[F]},
		{"softmax-lossgrad-exact", "SoftmaxLossGrad's loss is SoftmaxLoss's, bit for bit; a nil loss gives the same gradient", all, softmaxLossGradExact[F]},
		{"softmax-sum", "SoftmaxSum is the sum of the losses and counts the rows not ignored", all, softmaxSum[F]},
	}
}

// newRand is a generator seeded by the case, for the draws a property
// adds to it (the ignored rows' logits, the weights): the same case draws
// the same, so that a failure shrinks and reruns.
func newRand(c SoftmaxCase) *rand.Rand {
	seed := int64(c.Off*1000003 + c.N()*1009 + c.C)
	for _, x := range c.X {
		seed = seed*31 + int64(math.Float64bits(x)>>20)
	}
	return rand.New(rand.NewSource(seed))
}

// centralDiff is the central difference of f at x (gonum diff/fd), and its
// step: 2^-20·max(1, |x|) in every finite-difference property (see gradFD
// for why that step).
func centralDiff(f func(float64) float64, x float64) (d, h float64) {
	h = 0x1p-20 * math.Max(1, math.Abs(x))
	return fd.Derivative(f, x, &fd.Settings{Formula: fd.Central, Step: h}), h
}

// fdTol is the tolerance of the finite-difference properties: the bar
// against the reference, and one more for the difference's own error.
func fdTol(bar focal.Bar, bits int) tol {
	t := vsRef(bar, bits)
	t.grad++
	return t
}

// softmaxInRange reports whether bar covers row n of c: every logit within
// MaxAbsX, γ within MaxGamma, at least MinClasses classes.
func softmaxInRange(bar focal.Bar, c SoftmaxCase, n int) bool {
	if c.C < bar.MinClasses {
		return false
	}
	for _, x := range c.Row(n) {
		if !bar.InRange(x, c.Gamma) {
			return false
		}
	}
	return bar.InRange(0, c.Gamma)
}

// stableSoftmax returns the registered stable kernel's softmax form for F
// and its softmax bar.
func stableSoftmax[F focal.Float]() (focal.SoftmaxKernel[F], focal.Bar) {
	b, _ := focal.SoftmaxBarOf[F]("stable")
	return stableKernel[F]().(focal.SoftmaxKernel[F]), b
}

// softmaxAgreeStable: loss (from both functions) and gradient within
// vsStable of the stable kernel's, NaN where stable's are.
func softmaxAgreeStable[F focal.Float](k focal.SoftmaxKernel[F], c SoftmaxCase, bar focal.Bar) string {
	b := bitsOf[F]()
	sk, sbar := stableSoftmax[F]()
	loss, lgLoss, grad, sLoss, sGrad, msg := evalTwo(evalSoftmax[F], k, c, sk, c)
	if msg != "" {
		return msg
	}
	tl := vsStable(bar, sbar)
	for n := range c.N() {
		if !softmaxInRange(bar, c, n) {
			continue
		}
		for _, l := range []float64{loss[n], lgLoss[n]} {
			if !closeLoss(l, sLoss[n], b, tl) {
				return fmt.Sprintf("%s: %s: loss %v, stable %v (%s)", k.Name(), rowStr(c, n), l, sLoss[n], lossDist(l, sLoss[n], b))
			}
		}
		for j := range c.C {
			i := n*c.C + j
			if !closeRel(grad[i], sGrad[i], b, tl) {
				return fmt.Sprintf("%s: %s, class %d: grad %v, stable %v: error %.3g eps, tolerance %v",
					k.Name(), rowStr(c, n), j, grad[i], sGrad[i], relErr(grad[i], sGrad[i], b), tl.grad)
			}
		}
	}
	return ""
}

// softmaxCEAtGamma0: at γ = 0 the loss is w·α_c·(-log p_c) and the gradient
// w·α_c·(p_j - δ_jc), against softmaxCE's math/big values.
func softmaxCEAtGamma0[F focal.Float](k focal.SoftmaxKernel[F], c SoftmaxCase, bar focal.Bar) string {
	c.Gamma = 0
	b := bitsOf[F]()
	loss, _, grad, msg := evalSoftmax(k, c)
	if msg != "" {
		return msg
	}
	tl := vsRef(bar, b)
	for n := range c.N() {
		l := int(c.Labels[n])
		if l < 0 || !softmaxInRange(bar, c, n) || !finiteRow(c.Row(n)) {
			continue
		}
		wa := float64(c.W(n) * c.AlphaC(l)) // a float32 weight times α: exact in float64
		ce, p, pcm1 := softmaxCE(c.Row(n), l, wa)
		if !closeLoss(loss[n], ce, b, tl) {
			return fmt.Sprintf("%s: %s: loss %v, w·α_c·CE = %v (%s)", k.Name(), rowStr(c, n), loss[n], ce, lossDist(loss[n], ce, b))
		}
		for j := range c.C {
			want := p[j]
			if j == l {
				want = pcm1
			}
			if g := grad[n*c.C+j]; !closeRel(g, want, b, tl) {
				return fmt.Sprintf("%s: %s, class %d: grad %v, w·α_c·(p_j - δ_jc) = %v: error %.3g eps", k.Name(), rowStr(c, n), j, g, want, relErr(g, want, b))
			}
		}
	}
	return ""
}

// softmaxBinary: with C = 2, ClassAlpha (1-α, α) (or α off) and rows (0, z),
// the loss is the sigmoid focal loss of z with target t = label, the
// gradient's second component its gradient and the first that negated:
// checked against the kernel's own sigmoid form where it has one (else
// stable's), each side within its bar.
func softmaxBinary[F focal.Float](k focal.SoftmaxKernel[F], c SoftmaxCase, bar focal.Bar) string {
	b := bitsOf[F]()
	z, t := make([]float64, c.N()), make([]float64, c.N())
	for n := range c.N() {
		c.X[2*n] = 0
		z[n], t[n] = c.X[2*n+1], float64(c.Labels[n])
	}
	c.ClassAlpha = nil
	if c.Alpha >= 0 {
		c.ClassAlpha = []float64{1 - c.Alpha, c.Alpha}
	}
	sig, ok := k.(focal.Kernel[F])
	if !ok {
		sig = stableKernel[F]()
	}
	sbar, _ := focal.BarOf[F](sig.Name())
	if !sbar.Declared() {
		sbar = bar // a kernel of another module, held to its softmax bar in both forms
	}
	loss, _, grad, msg := evalSoftmax(k, c)
	if msg != "" {
		return msg
	}
	fc := Case{X: z, T: t, Alpha: c.Alpha, Gamma: c.Gamma, Off: c.Off}
	sLoss, _, sGrad, msg := eval(sig, fc)
	if msg != "" {
		return msg
	}
	tl := truthTol(bar)
	st := truthTol(sbar)
	tl.loss += st.loss
	tl.grad += st.grad
	tl.rel += st.rel
	for n := range c.N() {
		if !softmaxInRange(bar, c, n) || !sbar.InRange(z[n], c.Gamma) {
			continue
		}
		if !closeLoss(loss[n], sLoss[n], b, tl) {
			return fmt.Sprintf("%s: %s: loss %v, %s's sigmoid focal loss of z=%v t=%v: %v (%s)",
				k.Name(), rowStr(c, n), loss[n], sig.Name(), z[n], t[n], sLoss[n], lossDist(loss[n], sLoss[n], b))
		}
		g0, g1 := grad[2*n], grad[2*n+1]
		if !closeRel(g1, sGrad[n], b, tl) || !closeRel(-g0, sGrad[n], b, tl) {
			return fmt.Sprintf("%s: %s: grad (%v, %v), %s's sigmoid gradient of z=%v t=%v: %v, want (-g, g)",
				k.Name(), rowStr(c, n), g0, g1, sig.Name(), z[n], t[n], sGrad[n])
		}
	}
	return ""
}

// softmaxShift: adding an integer s to every logit of a row (the logits
// multiples of 2^-8 within ±1024, so that x + s is exact in float32)
// changes neither the loss nor the gradient beyond twice the bar: both
// rows have the same truth.
func softmaxShift[F focal.Float](k focal.SoftmaxKernel[F], c SoftmaxCase, bar focal.Bar) string {
	b := bitsOf[F]()
	for i, x := range c.X {
		c.X[i] = math.Round(x*256) / 256
	}
	d := c.clone()
	s := float64((c.Off*37+c.N()*11)%2049 - 1024)
	for i := range d.X {
		d.X[i] += s
	}
	loss, _, grad, dLoss, dGrad, msg := evalTwo(evalSoftmax[F], k, c, k, d)
	if msg != "" {
		return msg
	}
	tl := truthTol(bar).twice()
	for n := range c.N() {
		if !softmaxInRange(bar, c, n) || !softmaxInRange(bar, d, n) {
			continue
		}
		if !closeLoss(dLoss[n], loss[n], b, tl) {
			return fmt.Sprintf("%s: %s: loss %v, shifted by %v: %v (%s)", k.Name(), rowStr(c, n), loss[n], s, dLoss[n], lossDist(dLoss[n], loss[n], b))
		}
		for j := range c.C {
			i := n*c.C + j
			if !closeRel(dGrad[i], grad[i], b, tl) {
				return fmt.Sprintf("%s: %s, class %d: grad %v, shifted by %v: %v", k.Name(), rowStr(c, n), j, grad[i], s, dGrad[i])
			}
		}
	}
	return ""
}

// softmaxGradSumZero: Σ_j grad_j = 0 for every row, within the bar's error
// on each component: |Σ g_j| ≤ (Grad+1)·eps·Σ max(|g_j|, smallest normal)
// (Rel·… for a relative bar). Rows with a NaN are skipped.
func softmaxGradSumZero[F focal.Float](k focal.SoftmaxKernel[F], c SoftmaxCase, bar focal.Bar) string {
	b := bitsOf[F]()
	_, _, grad, msg := evalSoftmax(k, c)
	if msg != "" {
		return msg
	}
	tl := truthTol(bar)
	for n := range c.N() {
		g := grad[n*c.C : (n+1)*c.C]
		if !softmaxInRange(bar, c, n) || !finiteVals(g) {
			continue
		}
		s, abs := sumOfLosses(g)
		abs += float64(c.C) * minNormal(b)
		bound := float64((tl.grad + 1) * eps(b) * abs)
		if tl.relative() {
			bound = float64(tl.rel * abs)
		}
		if !(math.Abs(s) <= bound) {
			return fmt.Sprintf("%s: %s: grad %v sums to %v, bound %.3g", k.Name(), rowStr(c, n), g, s, bound)
		}
	}
	return ""
}

func finiteVals(v []float64) bool { return finiteRow(v) }

// finiteTruth reports whether row n's true loss is finite: its label's
// logit is finite, no logit is +Inf or NaN (an infinite loss of such a row
// in F is an overflow of F).
func finiteTruth(c SoftmaxCase, n int) bool {
	l := int(c.Labels[n])
	if l < 0 {
		return true
	}
	x := c.Row(n)
	for _, v := range x {
		if v != v || math.IsInf(v, 1) {
			return false
		}
	}
	return !math.IsInf(x[l], 0)
}

func hasNaN(v []float64) bool {
	for _, x := range v {
		if x != x {
			return true
		}
	}
	return false
}

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
