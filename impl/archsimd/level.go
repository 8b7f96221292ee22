//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"simd/archsimd"

	"github.com/focalkernels/focal/impl/internal/level"
)

// Level is a dispatch level: the instruction set a kernel uses.
type Level uint8

const (
	Generic Level = iota // pure Go, scalar: the model of the vector levels
	AVX2                 // AVX2 + FMA: Float32x8, Float64x4
	AVX512               // AVX-512 F+CD+BW+DQ+VL: Float32x16, Float64x8
)

// chain is the package's levels for the shared level machinery.
var chain = level.Chain{Names: []string{"generic", "avx2", "avx512"}, Scalar: 1}

// String returns "generic", "avx2" or "avx512"; the registry names the
// kernels "archsimd-" + String().
func (l Level) String() string { return chain.Name(int(l)) }

// usable is the highest level this CPU has and FOCAL_DISABLE allows, set at
// init. FOCAL_DISABLE is read as impl/asm reads it, so that one setting
// lowers both.
var usable = Level(chain.Top(int(cpuLevel()), level.Disable()))

// cpuLevel returns the highest level this CPU supports, by archsimd's own
// detection (which also checks that the OS saves the vector state). AVX512
// is archsimd's bundle of F, CD, BW, DQ and VL; FMA is checked on its own.
func cpuLevel() Level {
	switch {
	case archsimd.X86.AVX512() && archsimd.X86.AVX2() && archsimd.X86.FMA():
		return AVX512
	case archsimd.X86.AVX2() && archsimd.X86.FMA():
		return AVX2
	}
	return Generic
}

// AllLevels returns every level of the package, usable here or not, lowest first.
func AllLevels() []Level { return []Level{Generic, AVX2, AVX512} }

// Levels returns the levels usable here, lowest first; Generic is always first.
func Levels() []Level { return AllLevels()[:usable+1] }

// Best returns the highest usable level, the one the package-level functions use.
func Best() Level { return usable }

// Usable reports whether level l runs here: the CPU has what it needs (see
// Needs) and FOCAL_DISABLE leaves it on.
func (l Level) Usable() bool { return l <= usable }

// Needs returns the CPU features level l needs, as
// github.com/klauspost/cpuid/v2 names them; none for Generic. AVX512 is what
// archsimd.X86.AVX512 checks (F, CD, BW, DQ and VL together), with AVX2 and FMA.
func (l Level) Needs() []string {
	switch l {
	case AVX2:
		return []string{"AVX2", "FMA3"}
	case AVX512:
		return []string{"AVX2", "FMA3", "AVX512F", "AVX512CD", "AVX512BW", "AVX512DQ", "AVX512VL"}
	}
	return nil
}

// check panics if l is not usable here: calling a level the CPU lacks (or that
// FOCAL_DISABLE turned off) is a programming error, not a silent fallback.
func (l Level) check() {
	if l > usable {
		panic("focal/impl/archsimd: level " + l.String() + " is not available on this CPU (or is disabled by FOCAL_DISABLE); use Levels()")
	}
}

// Loss32 writes the per-element focal loss of x against t into dst, at the best level.
func Loss32(dst, x, t []float32, alpha, gamma float64) { usable.Loss32(dst, x, t, alpha, gamma) }

// Sum32 returns the sum of the focal loss over x and t, at the best level.
func Sum32(x, t []float32, alpha, gamma float64) float64 { return usable.Sum32(x, t, alpha, gamma) }

// LossGrad32 writes the loss (unless loss is nil) and its derivative with
// respect to x, at the best level.
func LossGrad32(loss, grad, x, t []float32, alpha, gamma float64) {
	usable.LossGrad32(loss, grad, x, t, alpha, gamma)
}

// Loss64 is Loss32 for float64.
func Loss64(dst, x, t []float64, alpha, gamma float64) { usable.Loss64(dst, x, t, alpha, gamma) }

// Sum64 is Sum32 for float64.
func Sum64(x, t []float64, alpha, gamma float64) float64 { return usable.Sum64(x, t, alpha, gamma) }

// LossGrad64 is LossGrad32 for float64.
func LossGrad64(loss, grad, x, t []float64, alpha, gamma float64) {
	usable.LossGrad64(loss, grad, x, t, alpha, gamma)
}
