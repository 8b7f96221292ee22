package focal

import "github.com/focalkernels/focal/impl/asm"

// asmEntries declares one kernel per level of impl/asm, lowest first, with
// what the level needs from the CPU; those this CPU has and FOCAL_DISABLE
// allows run, and the highest of them is Best for float32 and float64.
func asmEntries() []entry {
	var es []entry
	for _, l := range asm.AllLevels() {
		es = append(es, entry{name: "asm-" + l.String(), needs: l.Needs(), scalar: l == asm.Generic || l == asm.PureGo, runs: l.Usable(),
			f32: &funcs[float32]{l.Loss32, l.Sum32, l.LossGrad32, Bar{LossULP: 4, Grad: 8},
				rowsFuncs[float32]{l.LossRows32, l.SumRows32, l.LossGradRows32},
				softmaxFuncs[float32]{l.SoftmaxLoss32, l.SoftmaxSum32, l.SoftmaxLossGrad32, softmaxBar}},
			f64: &funcs[float64]{l.Loss64, l.Sum64, l.LossGrad64, Bar{LossULP: 4, Grad: 8},
				rowsFuncs[float64]{l.LossRows64, l.SumRows64, l.LossGradRows64},
				softmaxFuncs[float64]{l.SoftmaxLoss64, l.SoftmaxSum64, l.SoftmaxLossGrad64, softmaxBar}}})
	}
	return es
}
