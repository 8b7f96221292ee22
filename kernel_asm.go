package focal

import "github.com/focalkernels/focal/impl/asm"

// asmEntries declares one kernel per level of impl/asm, lowest first, with
// what the level needs from the CPU; those this CPU has and FOCAL_DISABLE
// allows run, and the highest of them is Best for float32 and float64.
func asmEntries() []entry {
	var es []entry
	for _, l := range asm.AllLevels() {
		es = append(es, entry{name: "asm-" + l.String(), needs: l.Needs(), scalar: l == asm.Generic || l == asm.PureGo, runs: l.Usable(), level: &l,
			f32: &funcs[float32]{l.Loss32, l.Sum32, l.LossGrad32, Bar{LossULP: 4, Grad: 8},
				rowsFuncs[float32]{l.LossRows32, l.SumRows32, l.LossGradRows32},
				softmaxFuncs[float32]{l.SoftmaxLoss32, l.SoftmaxSum32, l.SoftmaxLossGrad32, softmaxBar}},
			f64: &funcs[float64]{l.Loss64, l.Sum64, l.LossGrad64, Bar{LossULP: 4, Grad: 8},
				rowsFuncs[float64]{l.LossRows64, l.SumRows64, l.LossGradRows64},
				softmaxFuncs[float64]{l.SoftmaxLoss64, l.SoftmaxSum64, l.SoftmaxLossGrad64, softmaxBar}}})
	}
	return es
}

// levelKernel is an impl/asm level's kernel: the adapter, whose flat
// methods call the level's own instead of funcs' method values. A method
// value is a closure that calls the method, so the adapter paid two indirect
// calls on top of the interface's; on a small call that showed (about 1.5 ns
// of a 16-element float32 Sum's 33 at AVX512). Its methods take a pointer, so
// that the interface's call does not first copy the struct (0.3 ns more).
// results/<machine>/bars.md's small-call section has the figures.
type levelKernel[F Float, E float32 | float64] struct {
	kernel[F, E]
	l asm.Level
}

// direct returns k as a levelKernel where e is one of impl/asm's levels, and k otherwise.
func direct[F Float, E float32 | float64](e entry, k kernel[F, E]) Kernel[F] {
	if e.level == nil {
		return k
	}
	return &levelKernel[F, E]{k, *e.level}
}

func (k *levelKernel[F, E]) Loss(dst, x, t []F, p Params) {
	if is32[F]() {
		k.l.Loss32(as[float32](dst), as[float32](x), as[float32](t), p.Alpha, p.Gamma)
		return
	}
	k.l.Loss64(as[float64](dst), as[float64](x), as[float64](t), p.Alpha, p.Gamma)
}

func (k *levelKernel[F, E]) Sum(x, t []F, p Params) float64 {
	if is32[F]() {
		return k.l.Sum32(as[float32](x), as[float32](t), p.Alpha, p.Gamma)
	}
	return k.l.Sum64(as[float64](x), as[float64](t), p.Alpha, p.Gamma)
}

func (k *levelKernel[F, E]) LossGrad(loss, grad, x, t []F, p Params) {
	if is32[F]() {
		k.l.LossGrad32(as[float32](loss), as[float32](grad), as[float32](x), as[float32](t), p.Alpha, p.Gamma)
		return
	}
	k.l.LossGrad64(as[float64](loss), as[float64](grad), as[float64](x), as[float64](t), p.Alpha, p.Gamma)
}
