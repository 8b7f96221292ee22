package fast

import (
	"github.com/focalkernels/focal/impl/internal/csum"
	"github.com/focalkernels/focal/impl/internal/dd"
)

// Loss32 writes the focal loss of each element of x against t into dst.
func Loss32(dst, x, t []float32, alpha, gamma float64) {
	w, g := NewWeight(alpha), NewGamma(gamma)
	t = t[:len(x)]
	dst = dst[:len(x)]
	var b block32
	for k := 0; k < len(x); k += blockN {
		xs := x[k:min(k+blockN, len(x))]
		b.run(xs, t[k:], &w, &g, false)
		round32(dst[k:], b.loss[:len(xs)])
	}
}

// round32 writes src rounded to float32 into dst (len(dst) ≥ len(src)).
func round32(dst []float32, src []float64) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = float32(v)
	}
}

// Sum32 returns the sum of the focal loss over the elements, the float64
// losses added with their rounding errors carried (TwoSum, as package csum
// adds them), so that the sum's error does not grow with the length.
func Sum32(x, t []float32, alpha, gamma float64) float64 {
	w, g := NewWeight(alpha), NewGamma(gamma)
	t = t[:len(x)]
	var s csum.Sum
	var b block32
	for k := 0; k < len(x); k += blockN {
		xs := x[k:min(k+blockN, len(x))]
		b.run(xs, t[k:], &w, &g, false)
		addBlock(&s, b.loss[:len(xs)])
	}
	return s.Value()
}

// addBlock adds a block's losses to s: compensated within the block in
// registers (csum.Sum's fields live in memory, a store and a load on every
// addition's chain), then the block's sum and error to s. A loss of +Inf
// or NaN leaves the error NaN, which s must not take.
func addBlock(s *csum.Sum, loss []float64) {
	var bs, bc float64
	for _, l := range loss {
		r := dd.TwoSum(bs, l)
		bs, bc = r.Hi, bc+r.Lo
	}
	s.Add(bs)
	if bc == bc {
		s.Add(bc)
	}
}

// LossGrad32 writes the focal loss (unless loss is nil) and its derivative
// with respect to x.
func LossGrad32(loss, grad, x, t []float32, alpha, gamma float64) {
	w, g := NewWeight(alpha), NewGamma(gamma)
	t = t[:len(x)]
	grad = grad[:len(x)]
	if loss != nil {
		loss = loss[:len(x)]
	}
	var b block32
	for k := 0; k < len(x); k += blockN {
		xs := x[k:min(k+blockN, len(x))]
		b.run(xs, t[k:], &w, &g, true)
		round32(grad[k:], b.grad[:len(xs)])
		if loss != nil {
			round32(loss[k:], b.loss[:len(xs)])
		}
	}
}

// Loss64 is Loss32 for float64.
func Loss64(dst, x, t []float64, alpha, gamma float64) {
	w, g := NewWeight(alpha), NewGamma(gamma)
	t = t[:len(x)]
	dst = dst[:len(x)]
	var b block64
	for k := 0; k < len(x); k += blockN {
		xs := x[k:min(k+blockN, len(x))]
		b.run(xs, t[k:], &w, &g, false)
		copy(dst[k:], b.loss[:len(xs)])
	}
}

// Sum64 is Sum32 for float64.
func Sum64(x, t []float64, alpha, gamma float64) float64 {
	w, g := NewWeight(alpha), NewGamma(gamma)
	t = t[:len(x)]
	var s csum.Sum
	var b block64
	for k := 0; k < len(x); k += blockN {
		xs := x[k:min(k+blockN, len(x))]
		b.run(xs, t[k:], &w, &g, false)
		addBlock(&s, b.loss[:len(xs)])
	}
	return s.Value()
}

// LossGrad64 is LossGrad32 for float64.
func LossGrad64(loss, grad, x, t []float64, alpha, gamma float64) {
	w, g := NewWeight(alpha), NewGamma(gamma)
	t = t[:len(x)]
	grad = grad[:len(x)]
	if loss != nil {
		loss = loss[:len(x)]
	}
	var b block64
	for k := 0; k < len(x); k += blockN {
		xs := x[k:min(k+blockN, len(x))]
		b.run(xs, t[k:], &w, &g, true)
		copy(grad[k:], b.grad[:len(xs)])
		if loss != nil {
			copy(loss[k:], b.loss[:len(xs)])
		}
	}
}
