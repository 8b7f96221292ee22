package fast

import "math"

// blockN is the number of elements the loops take through each step at a
// time: enough for the processor to overlap many elements' chains, few
// enough that the block's intermediate values stay in the L1 cache (about
// 6 KiB of them in float64).
const blockN = 64

// block32 holds a block's float32 intermediates and results.
type block32 struct {
	pre        [blockN]pre32
	loss, grad [blockN]float64
}

// run computes x's (at most blockN elements) losses and, if grad is set,
// gradients into b.loss and b.grad, in float64, one step at a time.
func (b *block32) run(x, t []float32, w *Weight, g *Gamma, grad bool) {
	x = x[:min(len(x), blockN)]
	t = t[:len(x)]
	for i, v := range x {
		b.pre[i].e = expPoly32(expReduce32(-math.Abs(float64(v)))) // exp32, inlined
	}
	for i, v := range x {
		b.pre[i].sigma(float64(v))
	}
	// the common element, a finite x with a hard target and γ ∈ {0, 1, 2},
	// as fin32 takes it but without a call (its parts are inlined)
	simple := g.mode != modeGen && !g.wide32
	for i, v := range x {
		xv, tv := float64(v), float64(t[i])
		if simple && (tv == 0 || tv == 1) && math.Abs(xv) <= math.MaxFloat32 {
			sz, snz, ce, _, at := hardZ32(tv, &b.pre[i], w)
			b.loss[i], b.grad[i] = hardOut32(tv, at, powInt(sz, g.mode), sz, snz, ce, g.g, grad)
			continue
		}
		b.loss[i], b.grad[i] = fin32(xv, tv, &b.pre[i], w, g, grad)
	}
}

// block64 holds a block's float64 intermediates and results.
type block64 struct {
	pre        [blockN]sig64
	loss, grad [blockN]float64
}

// run is block32's run for float64.
func (b *block64) run(x, t []float64, w *Weight, g *Gamma, grad bool) {
	x = x[:min(len(x), blockN)]
	t = t[:len(x)]
	for i, v := range x {
		b.pre[i].e, b.pre[i].el = expHL(-math.Abs(v), 0)
	}
	for i, v := range x {
		b.pre[i].sigmoids(v)
	}
	for i, v := range x {
		b.loss[i], b.grad[i] = fin64(v, t[i], &b.pre[i], w, g, grad)
	}
}
