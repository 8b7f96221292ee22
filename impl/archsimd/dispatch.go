//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"simd/archsimd"

	"github.com/focalkernels/focal/impl/internal/csum"
	"github.com/focalkernels/focal/impl/internal/model"
)

// The flat form's methods of Level, float32 and float64 side by side: each
// forms the call's parameters, runs its level's kernel at the γ mode's
// instance and leaves what the lanes do not take to the model.

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

// Loss64 is the package's Loss64 at level l. It panics if l is not in Levels().
func (l Level) Loss64(dst, x, t []float64, alpha, gamma float64) {
	l.check()
	p := model.NewParams64(alpha, gamma)
	l.loss64(dst, x, t, &p)
}

func (l Level) loss64(dst, x, t []float64, p *model.Params64) {
	if l == Generic || p.Wide || len(x) == 0 {
		model.Loss64(dst, x, t, p)
		return
	}
	if _, hard := vec64[kLoss](l, dst, nil, x, t, p); !hard {
		soft64(dst, nil, x, t, p)
	}
	model.Fix64(dst, nil, x, t, p, true) // clean: soft64 computed the soft elements
}

// Sum64 is the package's Sum64 at level l. It panics if l is not in Levels().
// Each lane sums blocks of 8 vectors, each block added to the lane's sum
// with TwoSum and its rounding error carried into the next block; the
// lanes, their errors and the soft elements are added with the same
// compensation. A NaN sum (α_t = 0 at x = ±Inf, or a NaN input) is done
// again by chunks (model.Resum64).
func (l Level) Sum64(x, t []float64, alpha, gamma float64) float64 {
	l.check()
	p := model.NewParams64(alpha, gamma)
	if l == Generic || p.Wide || len(x) == 0 {
		return model.Sum64(x, t, &p)
	}
	if s := l.sum64(x, t, &p); s == s {
		return s
	}
	return model.Resum64(x, t, &p, func(x, t []float64) float64 { return l.sum64(x, t, &p) })
}

// sum64 is level l's vector Sum with the soft elements' losses, which the
// lanes leave out, added.
func (l Level) sum64(x, t []float64, p *model.Params64) float64 {
	s, hard := vec64[kSum](l, nil, nil, x, t, p)
	if hard {
		return s
	}
	acc := csum.Of(s)
	for i, tv := range t[:len(x)] {
		if !(tv == 0 || tv == 1) {
			acc.Add(model.ElemLoss64(x[i], tv, p))
		}
	}
	return acc.Value()
}

// LossGrad64 is the package's LossGrad64 at level l. It panics if l is not in Levels().
func (l Level) LossGrad64(loss, grad, x, t []float64, alpha, gamma float64) {
	l.check()
	p := model.NewParams64(alpha, gamma)
	if l == Generic || p.Wide || len(x) == 0 {
		model.LossGrad64(loss, grad, x, t, &p)
		return
	}
	out := loss
	if out == nil {
		out = grad // the kernel stores the loss first, then the gradient
	}
	if _, hard := vec64[kLossGrad](l, out, grad, x, t, &p); !hard {
		soft64(loss, grad, x, t, &p)
	}
	model.Fix64(loss, grad, x, t, &p, true) // clean: soft64 computed the soft elements
}

// vec64 runs operation O of level l's float64 kernel at p's γ mode.
func vec64[O opKind](l Level, loss, grad, x, t []float64, p *model.Params64) (float64, bool) {
	s, hard := kern64[O](l, loss, grad, x, t, p)
	archsimd.ClearAVXUpperBits() // see vec32
	return s, hard
}

// kern64 is vec64 without the clearing of the upper halves.
func kern64[O opKind](l Level, loss, grad, x, t []float64, p *model.Params64) (float64, bool) {
	if l == AVX512 {
		switch p.Mode {
		case model.Mode0:
			return kernel64AVX512[O, kMode0, kFlat](loss, grad, x, t, p, nil)
		case model.Mode1:
			return kernel64AVX512[O, kMode1, kFlat](loss, grad, x, t, p, nil)
		case model.Mode2:
			return kernel64AVX512[O, kMode2, kFlat](loss, grad, x, t, p, nil)
		}
		return kernel64AVX512[O, kModeGen, kFlat](loss, grad, x, t, p, nil)
	}
	switch p.Mode {
	case model.Mode0:
		return kernel64AVX2[O, kMode0, kFlat](loss, grad, x, t, p, nil)
	case model.Mode1:
		return kernel64AVX2[O, kMode1, kFlat](loss, grad, x, t, p, nil)
	case model.Mode2:
		return kernel64AVX2[O, kMode2, kFlat](loss, grad, x, t, p, nil)
	}
	return kernel64AVX2[O, kModeGen, kFlat](loss, grad, x, t, p, nil)
}

// soft64 computes the soft-target elements (t not 0 or 1, or NaN), which
// the float64 kernels leave to the caller, with the model's scalar general
// form (model.Elem64, impl/asm's Generic): the lanes of the other elements
// are theirs already.
func soft64(loss, grad, x, t []float64, p *model.Params64) {
	t = t[:len(x)]
	for i, tv := range t {
		if tv == 0 || tv == 1 {
			continue
		}
		if grad == nil {
			loss[i] = model.ElemLoss64(x[i], tv, p)
			continue
		}
		lv, gv := model.Elem64(x[i], tv, p)
		if loss != nil {
			loss[i] = lv
		}
		grad[i] = gv
	}
}
