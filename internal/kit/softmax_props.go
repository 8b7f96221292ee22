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
