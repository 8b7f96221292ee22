package cpeer

import (
	"unsafe"

	"github.com/focalkernels/focal"
)

// funcs are one instruction set's C functions for one element type.
type funcs[E float32 | float64] struct {
	loss     func(dst, x, t []E, a, g float64)
	sum      func(x, t []E, a, g float64) float64
	lossGrad func(loss, grad, x, t []E, a, g float64)
	sumHard  func(x, t []E, a, g float64) float64
}

// kernel is a C peer as a focal.Kernel: the general formula, for any target
// in [0, 1]; or, with hard set, the z-form Sum for hard targets only.
type kernel[F focal.Float, E float32 | float64] struct {
	name string
	fn   funcs[E]
	hard bool
}

func (k kernel[F, E]) Name() string { return k.name }

// HardOnly reports that the kernel takes hard targets only (and has only
// Sum); the benchmarks time it on hard targets alone.
func (k kernel[F, E]) HardOnly() bool { return k.hard }

func (k kernel[F, E]) Loss(dst, x, t []F, p focal.Params) {
	k.mustGeneral()
	dst, t = dst[:len(x)], t[:len(x)]
	k.fn.loss(as[E](dst), as[E](x), as[E](t), p.Alpha, p.Gamma)
}

func (k kernel[F, E]) Sum(x, t []F, p focal.Params) float64 {
	t = t[:len(x)]
	if k.hard {
		return k.fn.sumHard(as[E](x), as[E](t), p.Alpha, p.Gamma)
	}
	return k.fn.sum(as[E](x), as[E](t), p.Alpha, p.Gamma)
}

func (k kernel[F, E]) LossGrad(loss, grad, x, t []F, p focal.Params) {
	k.mustGeneral()
	if loss == nil {
		loss = grad // the C writes the loss first, then the gradient
	}
	loss, grad, t = loss[:len(x)], grad[:len(x)], t[:len(x)]
	k.fn.lossGrad(as[E](loss), as[E](grad), as[E](x), as[E](t), p.Alpha, p.Gamma)
}

func (k kernel[F, E]) mustGeneral() {
	if k.hard {
		panic("cpeer: " + k.name + " has a Sum for hard targets only")
	}
}

// as views a slice of a type based on float32 or float64 as that type.
func as[E float32 | float64, F focal.Float](s []F) []E {
	return unsafe.Slice((*E)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// isa is one instruction set's peer: its name and functions, and whether
// this CPU runs it.
type isa struct {
	name string
	runs bool
	f32  funcs[float32]
	f64  funcs[float64]
}

// Kernels returns the C peers this CPU runs, for element type F: c-avx2 and
// c-avx512, the general formula for any target; and c-avx2-hard and
// c-avx512-hard, the z-form Sum for hard targets only (see HardOnly). None
// without -tags cpeer.
func Kernels[F focal.Float]() []focal.Kernel[F] {
	var ks []focal.Kernel[F]
	for _, hard := range []bool{false, true} {
		for _, s := range isas() {
			if !s.runs {
				continue
			}
			name := "c-" + s.name
			if hard {
				name += "-hard"
			}
			if unsafe.Sizeof(F(0)) == 4 {
				ks = append(ks, kernel[F, float32]{name, s.f32, hard})
			} else {
				ks = append(ks, kernel[F, float64]{name, s.f64, hard})
			}
		}
	}
	return ks
}
