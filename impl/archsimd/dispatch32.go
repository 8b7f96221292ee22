//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"math"
	"simd/archsimd"
)

// Loss32 is the package's Loss32 at level l. It panics if l is not in Levels().
func (l Level) Loss32(dst, x, t []float32, alpha, gamma float64) {
	l.check()
	p := mkParams32(alpha, gamma)
	l.loss32(dst, x, t, &p)
}

func (l Level) loss32(dst, x, t []float32, p *params32) {
	if l == Generic || p.wide || len(x) == 0 {
		genericLoss32(dst, x, t, p)
		return
	}
	if _, clean, _ := vec32[kLoss](l, dst, nil, x, t, p); !clean {
		fixSoft32(dst, nil, x, t, p)
	}
	if p.zeroWeight() {
		fixZeroWeight32(dst, nil, x, t, p)
	}
}

// Sum32 is the package's Sum32 at level l. It panics if l is not in Levels().
// The vector lanes sum blocks of 8 vectors in float32, the blocks in float64;
// if a float32 lane overflows (losses near MaxFloat32) or the sum is NaN, the
// losses are summed again in float64 from Loss32, a stack buffer at a time.
func (l Level) Sum32(x, t []float32, alpha, gamma float64) float64 {
	l.check()
	p := mkParams32(alpha, gamma)
	if l == Generic || p.wide || len(x) == 0 {
		return genericSum32(x, t, &p)
	}
	s, _, ok := vec32[kSum](l, nil, nil, x, t, &p)
	if !ok || s != s {
		// A float32 block sum overflowed, or the sum is NaN: a lane left to
		// float64 (see fixSoft32), α_t = 0 at x = ±Inf (see
		// fixZeroWeight32), or a NaN input. Sum the losses again in float64.
		var buf [256]float32
		s = 0
		for i := 0; i < len(x); i += len(buf) {
			xs := x[i:min(i+len(buf), len(x))]
			d := buf[:len(xs)]
			l.loss32(d, xs, t[i:i+len(xs)], &p)
			for _, v := range d {
				s += float64(v)
			}
		}
	}
	return s
}

// LossGrad32 is the package's LossGrad32 at level l. It panics if l is not in Levels().
func (l Level) LossGrad32(loss, grad, x, t []float32, alpha, gamma float64) {
	l.check()
	p := mkParams32(alpha, gamma)
	if l == Generic || p.wide || len(x) == 0 {
		genericLossGrad32(loss, grad, x, t, &p)
		return
	}
	out := loss
	if out == nil {
		out = grad // the kernel stores the loss first, then the gradient
	}
	if _, clean, _ := vec32[kLossGrad](l, out, grad, x, t, &p); !clean {
		fixSoft32(loss, grad, x, t, &p)
	}
	if p.zeroWeight() {
		fixZeroWeight32(loss, grad, x, t, &p)
	}
}

// vec32 runs operation O of level l's kernel at p's γ mode; the calls are
// direct, one instance per mode.
func vec32[O opKind](l Level, loss, grad, x, t []float32, p *params32) (float64, bool, bool) {
	s, hard, ok := kern32[O](l, loss, grad, x, t, p)
	// The kernels leave the upper halves of the vector registers dirty; the
	// scalar code after them (the soft elements, the caller's) is SSE, which
	// pays for the dirty state on every instruction (a float64 soft element
	// took 14x its time after an AVX2 kernel).
	archsimd.ClearAVXUpperBits()
	return s, hard, ok
}

// kern32 is vec32 without the clearing of the upper halves.
func kern32[O opKind](l Level, loss, grad, x, t []float32, p *params32) (float64, bool, bool) {
	if l == AVX512 {
		switch p.mode {
		case mode0:
			return kernel32AVX512[O, kMode0, kFlat](loss, grad, x, t, p, nil)
		case mode1:
			return kernel32AVX512[O, kMode1, kFlat](loss, grad, x, t, p, nil)
		case mode2:
			return kernel32AVX512[O, kMode2, kFlat](loss, grad, x, t, p, nil)
		}
		return kernel32AVX512[O, kModeGen, kFlat](loss, grad, x, t, p, nil)
	}
	switch p.mode {
	case mode0:
		return kernel32AVX2[O, kMode0, kFlat](loss, grad, x, t, p, nil)
	case mode1:
		return kernel32AVX2[O, kMode1, kFlat](loss, grad, x, t, p, nil)
	case mode2:
		return kernel32AVX2[O, kMode2, kFlat](loss, grad, x, t, p, nil)
	}
	return kernel32AVX2[O, kModeGen, kFlat](loss, grad, x, t, p, nil)
}

// rowsKern32 runs level l's rows kernel for operation O (γ mode 2 or the
// general one: rowsMode) on x with rw, clearing the upper halves after it
// as vec32 does.
func rowsKern32[O opKind](l Level, loss, grad, x []float32, p *params32, rw *rowsIn[float32]) (float64, bool, bool) {
	var s float64
	var clean, ok bool
	switch {
	case l == AVX512 && p.mode == mode2:
		s, clean, ok = kernel32AVX512[O, kMode2, kRows](loss, grad, x, nil, p, rw)
	case l == AVX512:
		s, clean, ok = kernel32AVX512[O, kModeGen, kRows](loss, grad, x, nil, p, rw)
	case p.mode == mode2:
		s, clean, ok = kernel32AVX2[O, kMode2, kRows](loss, grad, x, nil, p, rw)
	default:
		s, clean, ok = kernel32AVX2[O, kModeGen, kRows](loss, grad, x, nil, p, rw)
	}
	archsimd.ClearAVXUpperBits()
	return s, clean, ok
}

// fixSoft32 recomputes in float64 (elemSoft32) the lanes a kernel left to
// it: the soft-target elements whose gradient (or, with grad nil, loss) is
// NaN, and their loss where it is NaN. A flagged lane's inputs are never NaN
// (the flags are comparisons, false on NaN); an element whose input is NaN
// keeps the kernel's NaN, so that Loss32 and LossGrad32 give it the same bits.
func fixSoft32(loss, grad, x, t []float32, p *params32) {
	t = t[:len(x)]
	out := loss
	if grad != nil {
		out = grad
	}
	for i, v := range out[:len(x)] {
		if v == v || t[i] == 0 || t[i] == 1 || t[i] != t[i] || x[i] != x[i] {
			continue
		}
		l64, g64 := elemSoft32(x[i], t[i], p)
		if grad != nil {
			grad[i] = g64
		}
		if loss != nil && loss[i] != loss[i] {
			loss[i] = l64
		}
	}
}

// fixZeroWeight32 redoes with the model the hard-target elements at
// x = ±Inf when α_t can be 0: there the lanes compute α_t·CE = 0·(+Inf) = NaN
// where the loss is 0. Only calls with α = 0 or 1 pay for this scan.
func fixZeroWeight32(loss, grad, x, t []float32, p *params32) {
	t = t[:len(x)]
	for i, xv := range x {
		if math.Float32bits(xv)&0x7fffffff != 0x7f800000 || !(t[i] == 0 || t[i] == 1) {
			continue
		}
		lv, gv := elemHard32(xv, t[i], p)
		if loss != nil {
			loss[i] = lv
		}
		if grad != nil {
			grad[i] = gv
		}
	}
}

func genericLoss32(dst, x, t []float32, p *params32) {
	t = t[:len(x)]
	dst = dst[:len(x)]
	for i := range x {
		dst[i] = elemLoss32(x[i], t[i], p)
	}
}

func genericSum32(x, t []float32, p *params32) float64 {
	t = t[:len(x)]
	var s float64
	for i := range x {
		s += float64(elemLoss32(x[i], t[i], p))
	}
	return s
}

func genericLossGrad32(loss, grad, x, t []float32, p *params32) {
	t = t[:len(x)]
	grad = grad[:len(x)]
	if loss == nil {
		for i := range x {
			_, grad[i] = elem32(x[i], t[i], p)
		}
		return
	}
	loss = loss[:len(x)]
	for i := range x {
		loss[i], grad[i] = elem32(x[i], t[i], p)
	}
}
