//go:build cpeer

package cpeer

import (
	"github.com/klauspost/cpuid/v2"

	"github.com/focalkernels/focal/bench/cpeer/avx2"
	"github.com/focalkernels/focal/bench/cpeer/avx512"
)

// Peers returns the C peers this CPU can run: c-avx2 with AVX2 and FMA,
// c-avx512 with AVX-512 F, BW, CD, DQ and VL (-march=x86-64-v4).
func Peers() []Peer {
	var ps []Peer
	if cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3) {
		ps = append(ps, Peer{"c-avx2", avx2.Sum32})
	}
	if cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3, cpuid.AVX512F, cpuid.AVX512BW, cpuid.AVX512CD, cpuid.AVX512DQ, cpuid.AVX512VL) {
		ps = append(ps, Peer{"c-avx512", avx512.Sum32})
	}
	return ps
}
