package asm

import (
	"github.com/focalkernels/focal/impl/internal/fast"
	"github.com/focalkernels/focal/impl/internal/model"
)

// The float64 functions: Loss64, Sum64 and LossGrad64 at each level, with
// the float32 functions' contract (asm.go) on float64 slices. The lanes take
// hard and soft targets for γ ≤ 5 (generic64.go, soft64.go); a call with a
// larger γ, or a tiny α, computes every element in the scalar float64 path
// (wide64.go).

// Loss64 writes the per-element focal loss of x against t into dst, at the best level.
func Loss64(dst, x, t []float64, alpha, gamma float64) { usable.Loss64(dst, x, t, alpha, gamma) }

// Sum64 returns the sum of the focal loss over x and t, at the best level.
func Sum64(x, t []float64, alpha, gamma float64) float64 { return usable.Sum64(x, t, alpha, gamma) }

// LossGrad64 writes the loss (unless loss is nil) and its derivative with
// respect to x, at the best level.
func LossGrad64(loss, grad, x, t []float64, alpha, gamma float64) {
	usable.LossGrad64(loss, grad, x, t, alpha, gamma)
}

// Loss64 is the package's Loss64 at level l. It panics if l is not in Levels().
func (l Level) Loss64(dst, x, t []float64, alpha, gamma float64) {
	l.check()
	if l == PureGo {
		fast.Loss64(dst, x, t, alpha, gamma)
		return
	}
	p := model.Cached64(alpha, gamma)
	if p == nil {
		p = model.Fill64(new(model.Params64), alpha, gamma)
	}
	l.loss64(dst, x, t, p)
}

func (l Level) loss64(dst, x, t []float64, p *model.Params64) {
	if l == Generic || p.Wide || len(x) == 0 {
		model.Loss64(dst, x, t, p)
		return
	}
	model.Fix64(dst, nil, x, t, p, simdLoss64(l, dst, x, t, p))
}

// Sum64 is the package's Sum64 at level l. It panics if l is not in Levels().
// The lanes sum blocks of 8 vectors in float64 and add each block to the
// sum so far with its rounding error carried (TwoSum), and add the two at
// the end; a NaN sum (a lane left to the scalar path, α_t = 0 at x = ±Inf,
// or a NaN input) is summed again by chunks (model.Resum64).
func (l Level) Sum64(x, t []float64, alpha, gamma float64) float64 {
	l.check()
	if l == PureGo {
		return fast.Sum64(x, t, alpha, gamma)
	}
	p := model.Cached64(alpha, gamma)
	if p == nil {
		p = model.Fill64(new(model.Params64), alpha, gamma)
	}
	if l == Generic || p.Wide || len(x) == 0 {
		return model.Sum64(x, t, p)
	}
	if s := simdSum64(l, x, t, p); s == s {
		return s
	}
	return model.Resum64(x, t, p, func(x, t []float64) float64 { return simdSum64(l, x, t, p) })
}

// LossGrad64 is the package's LossGrad64 at level l. It panics if l is not in Levels().
func (l Level) LossGrad64(loss, grad, x, t []float64, alpha, gamma float64) {
	l.check()
	if l == PureGo {
		fast.LossGrad64(loss, grad, x, t, alpha, gamma)
		return
	}
	p := model.Cached64(alpha, gamma)
	if p == nil {
		p = model.Fill64(new(model.Params64), alpha, gamma)
	}
	if l == Generic || p.Wide || len(x) == 0 {
		model.LossGrad64(loss, grad, x, t, p)
		return
	}
	model.Fix64(loss, grad, x, t, p, simdLossGrad64(l, loss, grad, x, t, p))
}
