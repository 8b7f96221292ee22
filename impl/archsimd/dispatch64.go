//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"math"
	"simd/archsimd"
)

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
	if _, hard := vec64[kLoss](l, dst, nil, x, t, p); !hard {
		soft64(dst, nil, x, t, p)
	}
	if p.zeroWeight() {
		fixZeroWeight64(dst, nil, x, t, p)
	}
}

// Sum64 is the package's Sum64 at level l. It panics if l is not in Levels().
// Each lane sums with TwoSum, its rounding errors carried in a second lane;
// the lanes and their errors are added with Neumaier's compensation.
func (l Level) Sum64(x, t []float64, alpha, gamma float64) float64 {
	l.check()
	p := mkParams64(alpha, gamma)
	if l == Generic || p.wide || len(x) == 0 {
		return genericSum64(x, t, &p)
	}
	s, hard := vec64[kSum](l, nil, nil, x, t, &p)
	if s != s && p.zeroWeight() {
		// NaN where α_t can be 0 (see fixZeroWeight64): sum the losses
		// again, a stack buffer at a time.
		var buf [128]float64
		var acc neumaier
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
	if !hard {
		acc := neumaier{s: s}
		t = t[:len(x)]
		for i, tv := range t {
			if !(tv == 0 || tv == 1) {
				v, _ := elemSoft64(x[i], tv, &p)
				acc.add(v)
			}
		}
		s = acc.sum()
	}
	return s
}

// LossGrad64 is the package's LossGrad64 at level l. It panics if l is not in Levels().
func (l Level) LossGrad64(loss, grad, x, t []float64, alpha, gamma float64) {
	l.check()
	p := mkParams64(alpha, gamma)
	if l == Generic || p.wide || len(x) == 0 {
		genericLossGrad64(loss, grad, x, t, &p)
		return
	}
	out := loss
	if out == nil {
		out = grad // the kernel stores the loss first, then the gradient
	}
	if _, hard := vec64[kLossGrad](l, out, grad, x, t, &p); !hard {
		soft64(loss, grad, x, t, &p)
	}
	if p.zeroWeight() {
		fixZeroWeight64(loss, grad, x, t, &p)
	}
}

// vec64 runs operation O of level l's float64 kernel at p's γ mode.
func vec64[O opKind](l Level, loss, grad, x, t []float64, p *params64) (float64, bool) {
	s, hard := kern64[O](l, loss, grad, x, t, p)
	archsimd.ClearAVXUpperBits() // see vec32
	return s, hard
}

// rowsKern64 runs level l's rows kernel for operation O (γ mode 2 or the
// general one: rowsMode) on x with rw (hard targets: the Go side leaves
// smoothed ones to the model), clearing the upper halves after it.
func rowsKern64[O opKind](l Level, loss, grad, x []float64, p *params64, rw *rowsIn[float64]) (float64, bool) {
	var s float64
	var hard bool
	switch {
	case l == AVX512 && p.mode == mode2:
		s, hard = kernel64AVX512[O, kMode2, kRows](loss, grad, x, nil, p, rw)
	case l == AVX512:
		s, hard = kernel64AVX512[O, kModeGen, kRows](loss, grad, x, nil, p, rw)
	case p.mode == mode2:
		s, hard = kernel64AVX2[O, kMode2, kRows](loss, grad, x, nil, p, rw)
	default:
		s, hard = kernel64AVX2[O, kModeGen, kRows](loss, grad, x, nil, p, rw)
	}
	archsimd.ClearAVXUpperBits()
	return s, hard
}

// kern64 is vec64 without the clearing of the upper halves.
func kern64[O opKind](l Level, loss, grad, x, t []float64, p *params64) (float64, bool) {
	if l == AVX512 {
		switch p.mode {
		case mode0:
			return kernel64AVX512[O, kMode0, kFlat](loss, grad, x, t, p, nil)
		case mode1:
			return kernel64AVX512[O, kMode1, kFlat](loss, grad, x, t, p, nil)
		case mode2:
			return kernel64AVX512[O, kMode2, kFlat](loss, grad, x, t, p, nil)
		}
		return kernel64AVX512[O, kModeGen, kFlat](loss, grad, x, t, p, nil)
	}
	switch p.mode {
	case mode0:
		return kernel64AVX2[O, kMode0, kFlat](loss, grad, x, t, p, nil)
	case mode1:
		return kernel64AVX2[O, kMode1, kFlat](loss, grad, x, t, p, nil)
	case mode2:
		return kernel64AVX2[O, kMode2, kFlat](loss, grad, x, t, p, nil)
	}
	return kernel64AVX2[O, kModeGen, kFlat](loss, grad, x, t, p, nil)
}

func soft64(loss, grad, x, t []float64, p *params64) {
	t = t[:len(x)]
	for i, tv := range t {
		if tv == 0 || tv == 1 {
			continue
		}
		lv, gv := elemSoft64(x[i], tv, p)
		if loss != nil {
			loss[i] = lv
		}
		if grad != nil {
			grad[i] = gv
		}
	}
}

// fixZeroWeight64 redoes with the model the hard-target elements at x = ±Inf
// when α_t can be 0, where the lanes compute 0·(+Inf) = NaN (see fixZeroWeight32).
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

func genericLoss64(dst, x, t []float64, p *params64) {
	t = t[:len(x)]
	dst = dst[:len(x)]
	for i := range x {
		dst[i], _ = elem64(x[i], t[i], p)
	}
}

func genericSum64(x, t []float64, p *params64) float64 {
	t = t[:len(x)]
	var acc neumaier
	for i := range x {
		l, _ := elem64(x[i], t[i], p)
		acc.add(l)
	}
	return acc.sum()
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

// neumaier is Neumaier's compensated sum: the rounding error of each addition
// is carried in c.
type neumaier struct{ s, c float64 }

func (n *neumaier) add(v float64) {
	t := n.s + v
	if math.Abs(n.s) >= math.Abs(v) {
		n.c += (n.s - t) + v
	} else {
		n.c += (v - t) + n.s
	}
	n.s = t
}

func (n *neumaier) sum() float64 {
	if math.IsInf(n.s, 0) || n.s != n.s {
		return n.s
	}
	return n.s + n.c
}
