//go:build cpeer

package cpeer

import (
	"github.com/klauspost/cpuid/v2"

	"github.com/focalkernels/focal/bench/cpeer/avx2"
	"github.com/focalkernels/focal/bench/cpeer/avx512"
)

// isas lists the instruction sets of the peer: AVX2 with FMA
// (-march=x86-64-v3), and AVX-512 F, BW, CD, DQ and VL (-march=x86-64-v4).
func isas() []isa {
	return []isa{
		{"avx2", cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3),
			funcs[float32]{avx2.Loss32, avx2.Sum32, avx2.LossGrad32, avx2.SumHard32},
			funcs[float64]{avx2.Loss64, avx2.Sum64, avx2.LossGrad64, avx2.SumHard64}},
		{"avx512", cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3, cpuid.AVX512F, cpuid.AVX512BW, cpuid.AVX512CD, cpuid.AVX512DQ, cpuid.AVX512VL),
			funcs[float32]{avx512.Loss32, avx512.Sum32, avx512.LossGrad32, avx512.SumHard32},
			funcs[float64]{avx512.Loss64, avx512.Sum64, avx512.LossGrad64, avx512.SumHard64}},
	}
}
