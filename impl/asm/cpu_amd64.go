//go:build !purego

package asm

import "github.com/klauspost/cpuid/v2"

// cpuLevel returns the highest level this CPU supports. AVX-512 needs F, DQ
// (VPMOVD2M), VL and BMI2 (BZHI for the tail mask) besides the OS saving the
// ZMM state, which cpuid checks.
func cpuLevel() Level {
	c := cpuid.CPU
	switch {
	case c.Supports(cpuid.AVX512F, cpuid.AVX512DQ, cpuid.AVX512VL, cpuid.BMI2, cpuid.AVX2, cpuid.FMA3):
		return AVX512
	case c.Supports(cpuid.AVX2, cpuid.FMA3):
		return AVX2
	}
	return Generic
}

type (
	lossFn     func(dst, x, t []float32, a1, a0, a1lo, a0lo, g, glo float32) bool
	sumFn      func(x, t []float32, a1, a0, a1lo, a0lo, g, glo float32) (float64, bool)
	lossGradFn func(loss, grad, x, t []float32, a1, a0, a1lo, a0lo, g, glo float32) bool
)

// The generated kernels by level (AVX2, AVX512) and mode (mode0, mode1, mode2, modeGen).
var (
	lossFns = [2][nModes]lossFn{
		{lossAVX2M0, lossAVX2M1, lossAVX2M2, lossAVX2MGen},
		{lossAVX512M0, lossAVX512M1, lossAVX512M2, lossAVX512MGen},
	}
	sumFns = [2][nModes]sumFn{
		{sumAVX2M0, sumAVX2M1, sumAVX2M2, sumAVX2MGen},
		{sumAVX512M0, sumAVX512M1, sumAVX512M2, sumAVX512MGen},
	}
	lossGradFns = [2][nModes]lossGradFn{
		{lossGradAVX2M0, lossGradAVX2M1, lossGradAVX2M2, lossGradAVX2MGen},
		{lossGradAVX512M0, lossGradAVX512M1, lossGradAVX512M2, lossGradAVX512MGen},
	}
)

// The simd functions run the level's kernel on len(x) > 0 elements and report
// whether every target was hard; if not, the caller fills in the soft ones.
// The slices are cut to len(x) first, so that a short output panics here
// instead of being written past its end.

func simdLoss(l Level, dst, x, t []float32, p *params) bool {
	n := len(x)
	return lossFns[l-AVX2][p.mode](dst[:n], x, t[:n], p.a1, p.a0, p.a1lo, p.a0lo, p.g, p.glo)
}

func simdSum(l Level, x, t []float32, p *params) (float64, bool) {
	return sumFns[l-AVX2][p.mode](x, t[:len(x)], p.a1, p.a0, p.a1lo, p.a0lo, p.g, p.glo)
}

func simdLossGrad(l Level, loss, grad, x, t []float32, p *params) bool {
	n := len(x)
	if loss == nil {
		loss = grad
	}
	return lossGradFns[l-AVX2][p.mode](loss[:n], grad[:n], x, t[:n], p.a1, p.a0, p.a1lo, p.a0lo, p.g, p.glo)
}
