package focal

import "github.com/focalkernels/focal/impl/asm"

// firstBadTarget returns the index of the first target that is NaN or
// outside [0, 1], or -1 if there is none.
//
// It runs at close to memory speed, because the checked functions pay it on
// every call before the kernel: impl/asm scans the targets with vector
// compares at its best level (AVX2 or AVX-512), or a machine word at a time
// in Go (its Generic level, on other CPUs and with -tags purego).
func firstBadTarget[F Float](t []F) int {
	if is32[F]() {
		return asm.FirstBadTarget32(as[float32](t))
	}
	return asm.FirstBadTarget64(as[float64](t))
}
