//go:build goexperiment.simd && amd64 && !purego

package focal

import "github.com/focalkernels/focal/impl/archsimd"

// archsimdEntries declares the vector levels of impl/archsimd (the algorithm
// of impl/asm written with Go's simd/archsimd intrinsics), lowest first,
// with what each needs from the CPU. Built only with GOEXPERIMENT=simd; its
// scalar model (Generic) is not registered: asm-generic is the same float32
// algorithm, and the float64 model is what the lanes are tested against.
// known lists them before impl/asm's levels, which are faster, so Best stays
// impl/asm's for both types.
func archsimdEntries() []entry {
	var es []entry
	for _, l := range archsimd.AllLevels() {
		if l == archsimd.Generic {
			continue
		}
		es = append(es, entry{name: "archsimd-" + l.String(), needs: l.Needs(), runs: l.Usable(),
			f32: &funcs[float32]{l.Loss32, l.Sum32, l.LossGrad32, Bar{LossULP: 4, Grad: 8},
				rowsFuncs[float32]{l.LossRows32, l.SumRows32, l.LossGradRows32},
				softmaxFuncs[float32]{l.SoftmaxLoss32, l.SoftmaxSum32, l.SoftmaxLossGrad32, softmaxBar}},
			f64: &funcs[float64]{l.Loss64, l.Sum64, l.LossGrad64, Bar{LossULP: 4, Grad: 8},
				rowsFuncs[float64]{l.LossRows64, l.SumRows64, l.LossGradRows64},
				softmaxFuncs[float64]{l.SoftmaxLoss64, l.SoftmaxSum64, l.SoftmaxLossGrad64, softmaxBar}}})
	}
	return es
}
