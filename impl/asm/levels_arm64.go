//go:build !purego

package asm

import "github.com/klauspost/cpuid/v2"

// The vector level of arm64.
const NEON Level = firstVector // Advanced SIMD: 4 float32 or 2 float64 lanes, FMA

var levelNames = []string{"generic", "purego", "neon"}

// Needs returns the CPU features level l needs, as github.com/klauspost/cpuid/v2
// names them; none for a scalar level. NEON needs ASIMD (Advanced SIMD, which
// includes the fused multiply-add and the IEEE division).
func (l Level) Needs() []string {
	if l == NEON {
		return []string{"ASIMD"}
	}
	return nil
}

// cpuLevel returns the highest level this CPU supports.
func cpuLevel() Level {
	if cpuid.CPU.Supports(cpuid.ASIMD) {
		return NEON
	}
	return PureGo
}

func simdFirstBad32(l Level, t []float32) int { return firstBadNEONF32(t) }

func simdFirstBad64(l Level, t []float64) int { return firstBadNEONF64(t) }
