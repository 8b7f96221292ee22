package kit

// The properties: each is a statement of the math that any correct kernel
// meets within its declared bar (see Properties for the list).

import (
	"fmt"
	"iter"
	"math"

	"github.com/focalkernels/focal"
)

// bceAtGamma0: with γ = 0 the focal loss is α_t-weighted binary cross-entropy,
// checked against bce in ref.go (not against another kernel).
func bceAtGamma0[F focal.Float](k focal.Kernel[F], c Case, bar focal.Bar) string {
	b := bitsOf[F]()
	return atGamma0(k, c, bar, func(c Case, i int, loss, _ float64, tl tol) string {
		want := alphaT(c.T[i], c.Alpha) * bce(c.X[i], c.T[i])
		if !closeLoss(loss, want, b, tl) {
			return fmt.Sprintf("%s: %s: loss %v, α_t·BCE = %v (%s)", k.Name(), elemStr(c, i), loss, want, lossDist(loss, want, b))
		}
		return ""
	})
}

// atGamma0 evaluates k on c at γ = 0, where the focal loss and its gradient
// have closed forms, and holds each element in bar's range to check (given
// the case at γ = 0, the element's loss and gradient, and the tolerance
// against the reference): the first failure, or "".
func atGamma0[F focal.Float](k focal.Kernel[F], c Case, bar focal.Bar, check func(c Case, i int, loss, grad float64, tl tol) string) string {
	c.Gamma = 0
	loss, _, grad, msg := eval(k, c)
	if msg != "" {
		return msg
	}
	tl := vsRef(bar, bitsOf[F]())
	for i := range inRange(bar, c) {
		if m := check(c, i, loss[i], grad[i], tl); m != "" {
			return m
		}
	}
	return ""
}

// inRange yields the elements of c, index and logit, that bar is valid on.
func inRange(bar focal.Bar, c Case) iter.Seq2[int, float64] {
	return func(yield func(int, float64) bool) {
		for i, x := range c.X {
			if bar.InRange(x, c.Gamma) && !yield(i, x) {
				return
			}
		}
	}
}

// nonnegFinite: the loss is ≥ 0 (and not NaN) for every input, ±Inf logits
// included; for finite logits loss and gradient are finite.
func nonnegFinite[F focal.Float](k focal.Kernel[F], c Case, bar focal.Bar) string {
	loss, lgLoss, grad, msg := eval(k, c)
	if msg != "" {
		return msg
	}
	for i, x := range inRange(bar, c) {
		if !(loss[i] >= 0) || !(lgLoss[i] >= 0) {
			return fmt.Sprintf("%s: %s: loss %v (LossGrad: %v), want ≥ 0", k.Name(), elemStr(c, i), loss[i], lgLoss[i])
		}
		if math.IsInf(x, 0) {
			if grad[i] != grad[i] {
				return fmt.Sprintf("%s: %s: grad NaN at an infinite logit, want the limit", k.Name(), elemStr(c, i))
			}
			continue
		}
		if math.IsInf(loss[i], 0) || math.IsInf(grad[i], 0) || grad[i] != grad[i] {
			return fmt.Sprintf("%s: %s: loss %v grad %v, want finite", k.Name(), elemStr(c, i), loss[i], grad[i])
		}
	}
	return ""
}

// agreeStable: every kernel's loss (from Loss and LossGrad) and gradient are
// within vsStable of the stable kernel's, NaN where stable gives NaN; at
// ±Inf logits the gradient is held to a relative error instead.
func agreeStable[F focal.Float](k focal.Kernel[F], c Case, bar focal.Bar) string {
	b := bitsOf[F]()
	loss, lgLoss, grad, sLoss, sGrad, msg := evalTwo(eval[F], k, c, stableKernel[F](), c)
	if msg != "" {
		return msg
	}
	tl := vsStable(bar, stableBar[F]())
	for i, x := range inRange(bar, c) {
		for _, l := range []float64{loss[i], lgLoss[i]} {
			if !closeLoss(l, sLoss[i], b, tl) {
				return fmt.Sprintf("%s: %s: loss %v, stable %v (%s)", k.Name(), elemStr(c, i), l, sLoss[i], lossDist(l, sLoss[i], b))
			}
		}
		scale := ref(x, c.T[i], c.Alpha, c.Gamma).scaleFor(tl)
		if math.IsInf(x, 0) || x != x {
			scale = math.Abs(sGrad[i])
		}
		if !closeGrad(grad[i], sGrad[i], scale, b, tl) {
			return fmt.Sprintf("%s: %s: grad %v, stable %v: error %.3g·scale·eps (scale %.6g), tolerance %v",
				k.Name(), elemStr(c, i), grad[i], sGrad[i], gradErr(grad[i], sGrad[i], scale, b), scale, tl.grad)
		}
	}
	return ""
}

// labelSymmetry: FL(x, t, α, γ) = FL(-x, 1-t, 1-α, γ) for α ≥ 0, and the
// gradient changes sign. Checked where 1-(1-α) = α and, per element, where
// 1-t is exact in F; the
// tolerance is the kernel's bar against the truth on both sides.
func labelSymmetry[F focal.Float](k focal.Kernel[F], c Case, bar focal.Bar) string {
	if c.Alpha < 0 || 1-(1-c.Alpha) != c.Alpha {
		return "" // the mirrored α_t would differ by the rounding of 1-α
	}
	b := bitsOf[F]()
	m := c.clone()
	m.Alpha = 1 - c.Alpha
	for i := range m.X {
		m.X[i] = -c.X[i]
		m.T[i] = float64(F(1 - c.T[i]))
	}
	loss, _, grad, mLoss, mGrad, msg := evalTwo(eval[F], k, c, k, m)
	if msg != "" {
		return msg
	}
	tl := truthTol(bar).twice()
	if b == 32 && !tl.relative() {
		// α and 1-α, t and 1-t round differently in float32: one more ULP.
		tl.loss++
		tl.grad++
	}
	for i, x := range c.X {
		if !bar.InRange(x, c.Gamma) || 1-m.T[i] != c.T[i] {
			continue
		}
		if !closeLoss(loss[i], mLoss[i], b, tl) {
			return fmt.Sprintf("%s: %s: loss %v, mirrored (x=%v t=%v α=%v) %v (%s)",
				k.Name(), elemStr(c, i), loss[i], m.X[i], m.T[i], m.Alpha, mLoss[i], lossDist(loss[i], mLoss[i], b))
		}
		scale := ref(x, c.T[i], c.Alpha, c.Gamma).scaleFor(tl)
		if math.IsInf(x, 0) {
			scale = math.Abs(grad[i])
		}
		if !closeGrad(grad[i], -mGrad[i], scale, b, tl) {
			return fmt.Sprintf("%s: %s: grad %v, mirrored grad %v: error %.3g·scale·eps", k.Name(), elemStr(c, i), grad[i], mGrad[i],
				gradErr(grad[i], -mGrad[i], scale, b))
		}
	}
	return ""
}

// monotoneGamma: for fixed x, t, α the loss does not increase with γ
// (checked at γ, γ+1/4 and γ+1), and FL ≤ α_t·CE. Both sides carry the
// kernel's rounding, so each comparison allows the kernel's bar twice.
func monotoneGamma[F focal.Float](k focal.Kernel[F], c Case, bar focal.Bar) string {
	b := bitsOf[F]()
	var losses [3][]float64
	for j, dg := range []float64{0, 0.25, 1} {
		d := c
		d.Gamma = c.Gamma + dg
		l, _, _, msg := eval(k, d)
		if msg != "" {
			return msg
		}
		losses[j] = l
	}
	tl := truthTol(bar)
	slack := 1 + float64(2*float64(tl.loss+1)*eps(b))
	if tl.relative() {
		slack = 1 + float64(2*tl.rel)
	}
	for i, x := range inRange(bar, c) {
		for j := 1; j < 3; j++ {
			if losses[j][i] > float64(losses[j-1][i]*slack)+minNormal(b) || losses[j][i] != losses[j][i] {
				return fmt.Sprintf("%s: %s: loss %v at γ=%v > %v at γ=%v", k.Name(), elemStr(c, i),
					losses[j][i], c.Gamma+[]float64{0, 0.25, 1}[j], losses[j-1][i], c.Gamma+[]float64{0, 0.25, 1}[j-1])
			}
		}
		ce := alphaT(c.T[i], c.Alpha) * bce(x, c.T[i])
		if b == 32 {
			ce = float64(float32(ce))
		}
		if losses[0][i] > float64(ce*slack)+minNormal(b) {
			return fmt.Sprintf("%s: %s: loss %v > α_t·CE = %v", k.Name(), elemStr(c, i), losses[0][i], ce)
		}
	}
	return ""
}

// gradFD: the gradient matches a central finite difference (gonum diff/fd),
// in float64, for |x| ≤ 50 and γ ≤ 50. FL is smooth in x (the kinks are in the
// implementations: max(z,0), regime switches), so a step of 2^-20·max(1,|x|)
// stays clear of trouble: its truncation error is below 1e-8 of the scale and
// its rounding error below 1e-9 of the loss. float64 kernels are differenced
// on their own Loss, to 1e-6 of the gradient's scale; float32 kernels, whose
// own loss is too coarse to difference, are held against the difference of
// the float64 reference loss, to their gradient bar + 2.
func gradFD[F focal.Float](k focal.Kernel[F], c Case, bar focal.Bar) string {
	b := bitsOf[F]()
	_, _, grad, msg := eval(k, c)
	if msg != "" || c.Gamma > 50 {
		return msg // above γ = 50 the loss varies like e^(-γ·…): no step is both small and above rounding
	}
	tl := fdTol(bar, b)
	for i, x := range inRange(bar, c) {
		t := c.T[i]
		lossAt := func(v float64) float64 { return ref(v, t, c.Alpha, c.Gamma).loss }
		if b == 64 && !tl.relative() {
			one := []F{0}
			tt := []F{F(t)}
			lossAt = func(v float64) float64 {
				k.Loss(one, []F{F(v)}, tt, params(c))
				return float64(one[0])
			}
		}
		d, h := centralDiff(lossAt, x)
		rv := ref(x, t, c.Alpha, c.Gamma)
		l, scale := rv.loss, rv.scaleFor(tl)
		var ok bool
		switch {
		case tl.relative():
			ok = math.Abs(grad[i]-d) <= float64(tl.rel*scale)+float64(1e-9*math.Abs(l))+minNormal(b)
		case b == 64:
			ok = math.Abs(grad[i]-d) <= float64(1e-6*scale)+float64(1e-9*math.Abs(l))+minNormal(64)
		default:
			ok = closeGrad(grad[i], d, scale, 32, tl) || math.Abs(grad[i]-d) <= 1e-9*math.Abs(l)
		}
		if !ok {
			return fmt.Sprintf("%s: %s: grad %v, central difference %v (step %g): error %.3g·scale·eps (scale %.6g)",
				k.Name(), elemStr(c, i), grad[i], d, h, gradErr(grad[i], d, scale, b), scale)
		}
	}
	return ""
}

// gradGamma0: with γ = 0 the gradient is α_t·(σ(x) - t), from the reference's
// cancellation-free σ(x) - t.
func gradGamma0[F focal.Float](k focal.Kernel[F], c Case, bar focal.Bar) string {
	b := bitsOf[F]()
	return atGamma0(k, c, bar, func(c Case, i int, _, grad float64, tl tol) string {
		x := c.X[i]
		want := alphaT(c.T[i], c.Alpha) * sigmaMinusT(x, c.T[i])
		scale := ref(x, c.T[i], c.Alpha, 0).scaleFor(tl)
		if !closeGrad(grad, want, scale, b, tl) {
			return fmt.Sprintf("%s: %s: grad %v, α_t(σ(x)-t) = %v: error %.3g·scale·eps", k.Name(), elemStr(c, i), grad, want,
				gradErr(grad, want, scale, b))
		}
		return ""
	})
}

// gradSignHard: for hard targets the gradient has the sign of σ(x) - t (≥ 0
// for t = 0, ≤ 0 for t = 1; zero allowed where it underflows or α_t = 0, and
// exactly zero when α_t = 0), for every logit including ±Inf.
func gradSignHard[F focal.Float](k focal.Kernel[F], c Case, bar focal.Bar) string {
	for i := range c.T {
		c.T[i] = math.Round(c.T[i])
	}
	_, _, grad, msg := eval(k, c)
	if msg != "" {
		return msg
	}
	for i := range inRange(bar, c) {
		g, t := grad[i], c.T[i]
		bad := g != g || (t == 0 && g < 0) || (t == 1 && g > 0) || (alphaT(t, c.Alpha) == 0 && g != 0)
		if bad {
			return fmt.Sprintf("%s: %s: grad %v, want the sign of σ(x)-t", k.Name(), elemStr(c, i), g)
		}
	}
	return ""
}

// sumBound is the allowed |Sum - Σ loss_i| over losses with Σ|loss_i| = abs:
// each element's loss may differ between Sum and Loss by both sides' bar (a
// Sum need not round its elements to F, as Loss does), the float64 summation
// adds a few units of 2^-53, and elements below the smallest normal one
// smallest normal each.
func sumBound(bar focal.Bar, bits, n int, abs float64) float64 {
	u := 2 * float64(bar.LossULP+1) * eps(bits)
	if bar.Rel > 0 {
		u = 2 * bar.Rel
	}
	return float64((u+8*0x1p-53)*abs) + float64(float64(n)*minNormal(bits))
}

// sumOfLosses adds the losses with Neumaier's compensation and returns the
// sum and the sum of magnitudes.
func sumOfLosses(ls []float64) (s, abs float64) {
	var c float64
	for _, v := range ls {
		u := s + v
		if math.Abs(s) >= math.Abs(v) {
			c += (s - u) + v
		} else {
			c += (v - u) + s
		}
		s = u
		abs += math.Abs(v)
	}
	if math.IsInf(s, 0) || s != s {
		return s, abs
	}
	return s + c, abs
}

// sameClass compares sums where one may be NaN or infinite.
func sumClose(got, want, bound float64) bool {
	if want != want || math.IsInf(want, 0) {
		return same(got, want) || (got != got && want != want)
	}
	return math.Abs(got-want) <= bound
}

// sumVsLoss: Sum equals the sum of the losses that Loss writes, within sumBound.
func sumVsLoss[F focal.Float](k focal.Kernel[F], c Case, bar focal.Bar) string {
	b := bitsOf[F]()
	for _, x := range c.X {
		if !bar.InRange(x, c.Gamma) {
			return ""
		}
	}
	loss, _, _, msg := eval(k, c)
	if msg != "" {
		return msg
	}
	want, abs := sumOfLosses(loss)
	got := sumOf(k, c)
	if bd := sumBound(bar, b, len(c.X), abs); !sumClose(got, want, bd) {
		return fmt.Sprintf("%s: n=%d: Sum %v, sum of Loss %v: |diff| %.3g > bound %.3g", k.Name(), len(c.X), got, want, math.Abs(got-want), bd)
	}
	return ""
}

// sumConcat: the Sum of a concatenation equals the sum of its parts' Sums
// (split at c.Split), within sumBound, so no element is lost or counted twice
// at the seams of vector loops and their tails.
func sumConcat[F focal.Float](k focal.Kernel[F], c Case, bar focal.Bar) string {
	b := bitsOf[F]()
	for _, x := range c.X {
		if !bar.InRange(x, c.Gamma) {
			return ""
		}
	}
	s := c.Split
	left, right := c.clone(), c.clone()
	left.X, left.T = left.X[:s], left.T[:s]
	right.X, right.T = right.X[s:], right.T[s:]
	right.Off = (c.Off + s) % 16
	whole := sumOf(k, c)
	a, z := sumOf(k, left), sumOf(k, right)
	loss, _, _, msg := eval(k, c)
	if msg != "" {
		return msg
	}
	_, abs := sumOfLosses(loss)
	if bd := sumBound(bar, b, len(c.X), abs); !sumClose(whole, a+z, bd) {
		return fmt.Sprintf("%s: n=%d split=%d: Sum %v, Sum(x[:%d]) + Sum(x[%d:]) = %v + %v = %v: |diff| %.3g > bound %.3g",
			k.Name(), len(c.X), s, whole, s, s, a, z, a+z, math.Abs(whole-(a+z)), bd)
	}
	return ""
}

// lossGradExact: the loss that LossGrad writes equals Loss's bit for bit
// (eval also holds LossGrad(nil, …) to the same gradient bit for bit).
func lossGradExact[F focal.Float](k focal.Kernel[F], c Case, bar focal.Bar) string {
	return lossGradSame(eval[F], k, c, elemStr, "Loss", "LossGrad")
}

// stableKernel returns the registered stable kernel for F, the reference
// kernel of agree-stable and of Fuzz, and stableBar its declared bar.
func stableKernel[F focal.Float]() focal.Kernel[F] {
	k, ok := focal.Lookup[F]("stable")
	if !ok {
		panic("focaltest: no stable kernel registered")
	}
	return k
}

func stableBar[F focal.Float]() focal.Bar {
	b, _ := focal.BarOf[F]("stable")
	return b
}
