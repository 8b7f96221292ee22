//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"simd/archsimd"

	"github.com/focalkernels/focal/impl/internal/model"
)

// Loss32 is the package's Loss32 at level l. It panics if l is not in Levels().
func (l Level) Loss32(dst, x, t []float32, alpha, gamma float64) {
	l.check()
	p := model.NewParams32(alpha, gamma)
	l.loss32(dst, x, t, &p)
}

func (l Level) loss32(dst, x, t []float32, p *model.Params32) {
	if l == Generic || p.Wide || len(x) == 0 {
		model.Loss32(dst, x, t, p)
		return
	}
	if _, clean, _ := vec32[kLoss](l, dst, nil, x, t, p); !clean {
		model.FixSoft32(dst, nil, x, t, p)
	}
	if p.ZeroWeight() {
		model.FixZeroWeight32(dst, nil, x, t, p)
	}
}

// Sum32 is the package's Sum32 at level l. It panics if l is not in Levels().
// The vector lanes sum blocks of 8 vectors in float32, the blocks in float64;
// if a float32 lane overflows (losses near MaxFloat32) or the sum is NaN, the
// losses are summed again in float64 from Loss32, a stack buffer at a time.
func (l Level) Sum32(x, t []float32, alpha, gamma float64) float64 {
	l.check()
	p := model.NewParams32(alpha, gamma)
	if l == Generic || p.Wide || len(x) == 0 {
		return model.Sum32(x, t, &p)
	}
	s, _, ok := vec32[kSum](l, nil, nil, x, t, &p)
	if !ok || s != s {
		// A float32 block sum overflowed, or the sum is NaN: a lane left to
		// float64 (see model.FixSoft32), α_t = 0 at x = ±Inf (see
		// model.FixZeroWeight32), or a NaN input. Sum the losses again in float64.
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
	p := model.NewParams32(alpha, gamma)
	if l == Generic || p.Wide || len(x) == 0 {
		model.LossGrad32(loss, grad, x, t, &p)
		return
	}
	out := loss
	if out == nil {
		out = grad // the kernel stores the loss first, then the gradient
	}
	if _, clean, _ := vec32[kLossGrad](l, out, grad, x, t, &p); !clean {
		model.FixSoft32(loss, grad, x, t, &p)
	}
	if p.ZeroWeight() {
		model.FixZeroWeight32(loss, grad, x, t, &p)
	}
}

// vec32 runs operation O of level l's kernel at p's γ mode; the calls are
// direct, one instance per mode.
func vec32[O opKind](l Level, loss, grad, x, t []float32, p *model.Params32) (float64, bool, bool) {
	s, hard, ok := kern32[O](l, loss, grad, x, t, p)
	// The kernels leave the upper halves of the vector registers dirty; the
	// scalar code after them (the soft elements, the caller's) is SSE, which
	// pays for the dirty state on every instruction (a float64 soft element
	// took 14x its time after an AVX2 kernel).
	archsimd.ClearAVXUpperBits()
	return s, hard, ok
}

// kern32 is vec32 without the clearing of the upper halves.
func kern32[O opKind](l Level, loss, grad, x, t []float32, p *model.Params32) (float64, bool, bool) {
	if l == AVX512 {
		switch p.Mode {
		case model.Mode0:
			return kernel32AVX512[O, kMode0](loss, grad, x, t, p)
		case model.Mode1:
			return kernel32AVX512[O, kMode1](loss, grad, x, t, p)
		case model.Mode2:
			return kernel32AVX512[O, kMode2](loss, grad, x, t, p)
		}
		return kernel32AVX512[O, kModeGen](loss, grad, x, t, p)
	}
	switch p.Mode {
	case model.Mode0:
		return kernel32AVX2[O, kMode0](loss, grad, x, t, p)
	case model.Mode1:
		return kernel32AVX2[O, kMode1](loss, grad, x, t, p)
	case model.Mode2:
		return kernel32AVX2[O, kMode2](loss, grad, x, t, p)
	}
	return kernel32AVX2[O, kModeGen](loss, grad, x, t, p)
}
