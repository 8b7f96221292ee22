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
