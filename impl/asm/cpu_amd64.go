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

// The simd functions run the level's kernel on len(x) > 0 elements. Loss and
// LossGrad report ok = false if a lane was left to float64 (its loss or
// gradient is NaN; the caller recomputes it, see fixSoft); Sum's ok = false
// means a float32 lane of its block sums overflowed.
// The slices are cut to len(x) first, so that a short output panics here
// instead of being written past its end. The calls are direct (no function
// values), so that the stubs' //go:noescape keeps the caller's slices on its
// stack.

func simdLoss(l Level, dst, x, t []float32, p *params) (ok bool) {
	n := len(x)
	dst, t = dst[:n], t[:n]
	a1, a0, a1lo, a0lo, g, glo := p.a1, p.a0, p.a1lo, p.a0lo, p.g, p.glo
	if l == AVX512 {
		switch p.mode {
		case mode0:
			return lossAVX512M0(dst, x, t, a1, a0, a1lo, a0lo, g, glo)
		case mode1:
			return lossAVX512M1(dst, x, t, a1, a0, a1lo, a0lo, g, glo)
		case mode2:
			return lossAVX512M2(dst, x, t, a1, a0, a1lo, a0lo, g, glo)
		}
		return lossAVX512MGen(dst, x, t, a1, a0, a1lo, a0lo, g, glo)
	}
	switch p.mode {
	case mode0:
		return lossAVX2M0(dst, x, t, a1, a0, a1lo, a0lo, g, glo)
	case mode1:
		return lossAVX2M1(dst, x, t, a1, a0, a1lo, a0lo, g, glo)
	case mode2:
		return lossAVX2M2(dst, x, t, a1, a0, a1lo, a0lo, g, glo)
	}
	return lossAVX2MGen(dst, x, t, a1, a0, a1lo, a0lo, g, glo)
}

// simdSum's ok is false if a float32 lane of the block sums overflowed; the
// caller then sums again (see Level.Sum32), as it does if s is NaN.
func simdSum(l Level, x, t []float32, p *params) (s float64, ok bool) {
	t = t[:len(x)]
	a1, a0, a1lo, a0lo, g, glo := p.a1, p.a0, p.a1lo, p.a0lo, p.g, p.glo
	if l == AVX512 {
		switch p.mode {
		case mode0:
			return sumAVX512M0(x, t, a1, a0, a1lo, a0lo, g, glo)
		case mode1:
			return sumAVX512M1(x, t, a1, a0, a1lo, a0lo, g, glo)
		case mode2:
			return sumAVX512M2(x, t, a1, a0, a1lo, a0lo, g, glo)
		}
		return sumAVX512MGen(x, t, a1, a0, a1lo, a0lo, g, glo)
	}
	switch p.mode {
	case mode0:
		return sumAVX2M0(x, t, a1, a0, a1lo, a0lo, g, glo)
	case mode1:
		return sumAVX2M1(x, t, a1, a0, a1lo, a0lo, g, glo)
	case mode2:
		return sumAVX2M2(x, t, a1, a0, a1lo, a0lo, g, glo)
	}
	return sumAVX2MGen(x, t, a1, a0, a1lo, a0lo, g, glo)
}

func simdLossGrad(l Level, loss, grad, x, t []float32, p *params) (ok bool) {
	n := len(x)
	if loss == nil {
		loss = grad // the kernel stores the loss first, then the gradient
	}
	loss, grad, t = loss[:n], grad[:n], t[:n]
	a1, a0, a1lo, a0lo, g, glo := p.a1, p.a0, p.a1lo, p.a0lo, p.g, p.glo
	if l == AVX512 {
		switch p.mode {
		case mode0:
			return lossGradAVX512M0(loss, grad, x, t, a1, a0, a1lo, a0lo, g, glo)
		case mode1:
			return lossGradAVX512M1(loss, grad, x, t, a1, a0, a1lo, a0lo, g, glo)
		case mode2:
			return lossGradAVX512M2(loss, grad, x, t, a1, a0, a1lo, a0lo, g, glo)
		}
		return lossGradAVX512MGen(loss, grad, x, t, a1, a0, a1lo, a0lo, g, glo)
	}
	switch p.mode {
	case mode0:
		return lossGradAVX2M0(loss, grad, x, t, a1, a0, a1lo, a0lo, g, glo)
	case mode1:
		return lossGradAVX2M1(loss, grad, x, t, a1, a0, a1lo, a0lo, g, glo)
	case mode2:
		return lossGradAVX2M2(loss, grad, x, t, a1, a0, a1lo, a0lo, g, glo)
	}
	return lossGradAVX2MGen(loss, grad, x, t, a1, a0, a1lo, a0lo, g, glo)
}

func simdFirstBad32(l Level, t []float32) int {
	if l == AVX512 {
		return firstBadAVX512F32(t)
	}
	return firstBadAVX2F32(t)
}

func simdFirstBad64(l Level, t []float64) int {
	if l == AVX512 {
		return firstBadAVX512F64(t)
	}
	return firstBadAVX2F64(t)
}

func simdLoss64(l Level, dst, x, t []float64, p *params64) bool {
	genericLoss64(dst, x, t, p)
	return true
}

func simdSum64(l Level, x, t []float64, p *params64) float64 { return genericSum64(x, t, p) }

func simdLossGrad64(l Level, loss, grad, x, t []float64, p *params64) bool {
	genericLossGrad64(loss, grad, x, t, p)
	return true
}
