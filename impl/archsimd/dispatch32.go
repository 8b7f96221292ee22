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
	_, clean, _ := vec32[kLoss](l, dst, nil, x, t, p)
	model.Fix32(dst, nil, x, t, p, clean)
}

// Sum32 is the package's Sum32 at level l. It panics if l is not in Levels().
// The vector lanes sum blocks of 8 vectors in float32, the blocks in float64;
// if a float32 lane overflows (losses near MaxFloat32) or the sum is NaN, it
// is done again by chunks (model.Resum32).
func (l Level) Sum32(x, t []float32, alpha, gamma float64) float64 {
	l.check()
	p := model.NewParams32(alpha, gamma)
	if l == Generic || p.Wide || len(x) == 0 {
		return model.Sum32(x, t, &p)
	}
	if s, ok := l.sum32(x, t, &p); ok && s == s {
		return s
	}
	return model.Resum32(x, t, &p, func(x, t []float32) (float64, bool) { return l.sum32(x, t, &p) })
}

// sum32 is level l's vector Sum: the sum, and false if a float32 block sum
// overflowed.
func (l Level) sum32(x, t []float32, p *model.Params32) (float64, bool) {
	s, _, ok := vec32[kSum](l, nil, nil, x, t, p)
	return s, ok
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
	_, clean, _ := vec32[kLossGrad](l, out, grad, x, t, &p)
	model.Fix32(loss, grad, x, t, &p, clean)
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
			return kernel32AVX512[O, kMode0, kFlat](loss, grad, x, t, p, nil)
		case model.Mode1:
			return kernel32AVX512[O, kMode1, kFlat](loss, grad, x, t, p, nil)
		case model.Mode2:
			return kernel32AVX512[O, kMode2, kFlat](loss, grad, x, t, p, nil)
		}
		return kernel32AVX512[O, kModeGen, kFlat](loss, grad, x, t, p, nil)
	}
	switch p.Mode {
	case model.Mode0:
		return kernel32AVX2[O, kMode0, kFlat](loss, grad, x, t, p, nil)
	case model.Mode1:
		return kernel32AVX2[O, kMode1, kFlat](loss, grad, x, t, p, nil)
	case model.Mode2:
		return kernel32AVX2[O, kMode2, kFlat](loss, grad, x, t, p, nil)
	}
	return kernel32AVX2[O, kModeGen, kFlat](loss, grad, x, t, p, nil)
}
