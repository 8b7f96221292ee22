package asm

import "math"

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
	p := mkParams64(alpha, gamma)
	l.loss64(dst, x, t, &p)
}

func (l Level) loss64(dst, x, t []float64, p *params64) {
	if l == Generic || p.wide || len(x) == 0 {
		genericLoss64(dst, x, t, p)
		return
	}
	if !simdLoss64(l, dst, x, t, p) {
		fixSoft64(dst, nil, x, t, p)
	}
	if p.zeroWeight() {
		fixZeroWeight64(dst, nil, x, t, p)
	}
}

// Sum64 is the package's Sum64 at level l. It panics if l is not in Levels().
// The lanes sum in float64 with each addition's rounding error carried
// (TwoSum), and add the two at the end; a NaN sum (a lane left to the scalar path, α_t =
// 0 at x = ±Inf, or a NaN input) is summed again from Loss64.
func (l Level) Sum64(x, t []float64, alpha, gamma float64) float64 {
	l.check()
	p := mkParams64(alpha, gamma)
	if l == Generic || p.wide || len(x) == 0 {
		return genericSum64(x, t, &p)
	}
	s := simdSum64(l, x, t, &p)
	if s != s {
		var buf [256]float64
		var acc csum
		for i := 0; i < len(x); i += len(buf) {
			xs := x[i:min(i+len(buf), len(x))]
			d := buf[:len(xs)]
			l.loss64(d, xs, t[i:i+len(xs)], &p)
			for _, v := range d {
				acc.add(v)
			}
		}
		return acc.sum()
	}
	return s
}

// csum is a compensated sum: each addition's rounding error (TwoSum) is
// carried, as the kernels' lanes carry it, so that the error does not grow
// with the number of terms.
type csum struct{ s, c float64 }

func (a *csum) add(v float64) {
	s := a.s + v
	bb := s - a.s
	a.c += (a.s - (s - bb)) + (v - bb)
	a.s = s
}

// sum returns s + c; an infinite or NaN s is returned as it is.
func (a *csum) sum() float64 {
	if a.s-a.s != 0 {
		return a.s
	}
	return a.s + a.c
}

// LossGrad64 is the package's LossGrad64 at level l. It panics if l is not in Levels().
func (l Level) LossGrad64(loss, grad, x, t []float64, alpha, gamma float64) {
	l.check()
	p := mkParams64(alpha, gamma)
	if l == Generic || p.wide || len(x) == 0 {
		genericLossGrad64(loss, grad, x, t, &p)
		return
	}
	if p.zeroWeight() {
		defer fixZeroWeight64(loss, grad, x, t, &p)
	}
	if !simdLossGrad64(l, loss, grad, x, t, &p) {
		fixSoft64(loss, grad, x, t, &p)
	}
}

// fixZeroWeight64 is fixZeroWeight for float64.
func fixZeroWeight64(loss, grad, x, t []float64, p *params64) {
	t = t[:len(x)]
	for i, xv := range x {
		if !math.IsInf(xv, 0) || !(t[i] == 0 || t[i] == 1) {
			continue
		}
		lv, gv := elemHard64(xv, t[i], p)
		if loss != nil {
			loss[i] = lv
		}
		if grad != nil {
			grad[i] = gv
		}
	}
}

// fixSoft64 is fixSoft for float64: the lanes left to the scalar path.
func fixSoft64(loss, grad, x, t []float64, p *params64) {
	t = t[:len(x)]
	out := loss
	if grad != nil {
		out = grad[:len(x)]
	}
	for i, v := range out[:len(x)] {
		if v == v || t[i] == 0 || t[i] == 1 || t[i] != t[i] || x[i] != x[i] {
			continue
		}
		l64, g64 := elemSoft64(x[i], t[i], p)
		if grad != nil {
			grad[i] = g64
		}
		if loss != nil && loss[i] != loss[i] {
			loss[i] = l64
		}
	}
}

func elem64(x, t float64, p *params64) (loss, grad float64) {
	if t == 0 || t == 1 {
		if p.wide {
			return elemWide64(x, t, p)
		}
		return elemHard64(x, t, p)
	}
	if p.wide {
		return elemSoft64(x, t, p)
	}
	loss, grad, okLoss, okGrad := elemGen64(x, t, p, true)
	if !okGrad {
		l64, g64 := elemSoft64(x, t, p)
		grad = g64
		if !okLoss {
			loss = l64
		}
	}
	return loss, grad
}

func elemLoss64(x, t float64, p *params64) float64 {
	if t == 0 || t == 1 || p.wide {
		l, _ := elem64(x, t, p)
		return l
	}
	loss, _, ok, _ := elemGen64(x, t, p, false)
	if !ok {
		loss, _ = elemSoft64(x, t, p)
	}
	return loss
}

func genericLoss64(dst, x, t []float64, p *params64) {
	t = t[:len(x)]
	dst = dst[:len(x)]
	for i := range x {
		dst[i] = elemLoss64(x[i], t[i], p)
	}
}

func genericSum64(x, t []float64, p *params64) float64 {
	t = t[:len(x)]
	var s csum
	for i := range x {
		s.add(elemLoss64(x[i], t[i], p))
	}
	return s.sum()
}

func genericLossGrad64(loss, grad, x, t []float64, p *params64) {
	t = t[:len(x)]
	grad = grad[:len(x)]
	if loss == nil {
		for i := range x {
			_, grad[i] = elem64(x[i], t[i], p)
		}
		return
	}
	loss = loss[:len(x)]
	for i := range x {
		loss[i], grad[i] = elem64(x[i], t[i], p)
	}
}
