//go:build !purego

package asm

import "github.com/klauspost/cpuid/v2"

// The vector levels of amd64.
const (
	AVX2   Level = firstVector + iota // AVX2 + FMA: 8 float32 or 4 float64 lanes
	AVX512                            // AVX-512 F+DQ+VL (and BMI2): 16 or 8 lanes, masked tails
)

var levelNames = []string{"generic", "purego", "avx2", "avx512"}

// Needs returns the CPU features level l needs, as github.com/klauspost/cpuid/v2
// names them; none for a scalar level. AVX-512 needs F, DQ (VPMOVD2M) and VL, and
// BMI2 (BZHI for the tail mask), besides AVX2 and FMA; the OS must save the
// ZMM state, which cpuid checks.
func (l Level) Needs() []string {
	switch l {
	case AVX2:
		return []string{"AVX2", "FMA3"}
	case AVX512:
		return []string{"AVX2", "FMA3", "AVX512F", "AVX512DQ", "AVX512VL", "BMI2"}
	}
	return nil
}

// cpuLevel returns the highest level this CPU supports.
func cpuLevel() Level {
	for _, l := range []Level{AVX512, AVX2} {
		if cpuid.CPU.Supports(features(l)...) {
			return l
		}
	}
	return PureGo
}

// features is Needs as cpuid's IDs.
func features(l Level) []cpuid.FeatureID {
	var ids []cpuid.FeatureID
	for _, n := range l.Needs() {
		ids = append(ids, cpuid.ParseFeature(n))
	}
	return ids
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
