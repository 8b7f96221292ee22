package kit

// The rows form's properties against references: the finite-difference
// gradient, stable's kernel, and the differential fuzz target.

import (
	"fmt"
	"math"

	"github.com/focalkernels/focal"
)

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
