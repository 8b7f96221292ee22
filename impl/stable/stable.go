// Package stable computes the sigmoid focal loss of Lin et al. (RetinaNet) and
// its gradient in log-sum-exp stable form. It is the accuracy reference among
// this module's kernels. Its algorithm is package impl/internal/ref's (which
// the vector kernels fall back to); it imports nothing else from its module,
// so it can be vendored with impl/internal.
//
// Per element, with logit x, target t ∈ [0,1], α and γ:
//
//	p     = σ(x) = 1/(1+e^-x)
//	CE    = t·softplus(-x) + (1-t)·softplus(x)
//	1-p_t = t·σ(-x) + (1-t)·σ(x)
//	α_t   = α·t + (1-α)·(1-t) if α ≥ 0, else 1 (α < 0 turns weighting off)
//	FL    = α_t · (1-p_t)^γ · CE,  with (1-p_t)^0 = 1
//	dFL/dx = α_t·[γ·(1-p_t)^(γ-1)·(1-2t)·σ(x)σ(-x)·CE + (1-p_t)^γ·(σ(x)-t)]
//
// For hard targets t ∈ {0,1} the kernel uses z = x·(1-2t): CE = softplus(z),
// 1-p_t = σ(z), (1-p_t)^γ = exp(-γ·softplus(-z)), and
// dFL/dx = (1-2t)·α_t·σ(z)^γ·(γ·σ(-z)·CE + σ(z)), whose terms never cancel.
// softplus(z) = max(z,0) + log1p(e^-|z|).
//
// Error bounds, measured over the module's golden vectors (mpmath references)
// and asserted in its tests: the float32 functions compute in float64 and round
// once, so loss and gradient are within 1 ULP (gradient: 2·scale·2^-23, where
// scale is the size of the gradient's two terms). The float64 functions are
// within the bounds stated in the module's README.
//
// The same code meets these bounds on every architecture: the double-double
// arithmetic needs each product to round on its own, which Go does not promise
// (it may fuse x*y + z into an FMA, and arm64 does), so every product that is
// added is written float64(x*y) and every wanted fusion is math.FMA (see
// impl/internal/dd).
//
// Special values: a NaN x or t gives NaN. x = ±Inf gives the limit of the
// formula. For finite inputs the result is never NaN and is ±Inf only where
// the true value overflows the float type.
//
// Preconditions, not checked: len(x) == len(t), and len(dst), len(loss) and
// len(grad) (loss may be nil in LossGrad) equal len(x); 0 ≤ t ≤ 1; α ≤ 1;
// γ ≥ 0 and finite. The functions never allocate and are safe for concurrent
// use on distinct outputs.
package stable

import (
	"github.com/focalkernels/focal/impl/internal/csum"
	"github.com/focalkernels/focal/impl/internal/ref"
)

// Loss32 writes the per-element focal loss of x against t into dst.
func Loss32(dst, x, t []float32, alpha, gamma float64) { lossInto(dst, x, t, alpha, gamma) }

// Loss64 writes the per-element focal loss of x against t into dst.
func Loss64(dst, x, t []float64, alpha, gamma float64) { lossInto(dst, x, t, alpha, gamma) }

// Sum32 returns the sum of the focal loss over all elements, accumulated in
// float64 with compensated summation (each addition's error carried), so its relative error is a
// few units of 2^-53 beyond the elements' own, for any length.
func Sum32(x, t []float32, alpha, gamma float64) float64 { return sum(x, t, alpha, gamma) }

// Sum64 is Sum32 for float64.
func Sum64(x, t []float64, alpha, gamma float64) float64 { return sum(x, t, alpha, gamma) }

// LossGrad32 writes the focal loss (when loss is not nil) and its derivative
// with respect to x.
func LossGrad32(loss, grad, x, t []float32, alpha, gamma float64) {
	lossGrad(loss, grad, x, t, alpha, gamma)
}

// LossGrad64 is LossGrad32 for float64.
func LossGrad64(loss, grad, x, t []float64, alpha, gamma float64) {
	lossGrad(loss, grad, x, t, alpha, gamma)
}

type float interface{ float32 | float64 }

func lossInto[F float](dst, x, t []F, alpha, gamma float64) {
	t = t[:len(x)]
	dst = dst[:len(x)]
	for i := range x {
		l, _ := ref.Elem(float64(x[i]), float64(t[i]), alpha, gamma, false)
		dst[i] = F(l)
	}
}

func lossGrad[F float](loss, grad, x, t []F, alpha, gamma float64) {
	t = t[:len(x)]
	grad = grad[:len(x)]
	if loss != nil {
		loss = loss[:len(x)]
	}
	for i := range x {
		l, g := ref.Elem(float64(x[i]), float64(t[i]), alpha, gamma, true)
		if loss != nil {
			loss[i] = F(l)
		}
		grad[i] = F(g)
	}
}

func sum[F float](x, t []F, alpha, gamma float64) float64 {
	t = t[:len(x)]
	var acc csum.Sum
	for i := range x {
		l, _ := ref.Elem(float64(x[i]), float64(t[i]), alpha, gamma, false)
		acc.Add(l)
	}
	return acc.Value()
}
