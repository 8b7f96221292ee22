package asm

import (
	"encoding/binary"
	"unsafe"
)

// The target scan of the checked API (the root package's checkTargets): the
// index of the first target that is NaN or outside [0, 1], which the checked
// functions pay on every call before the kernel, so it runs at memory speed:
// AVX2 and AVX-512 compare whole vectors (0 ≤ t and 1 ≥ t, ordered, so that
// NaN fails and -0 passes), four per iteration, and Generic tests a machine
// word at a time (firstBadTarget).

// FirstBadTarget32 returns the index of the first element of t that is NaN or
// outside [0, 1] (-0 is inside), or -1 if there is none, at the best level.
func FirstBadTarget32(t []float32) int { return usable.FirstBadTarget32(t) }

// FirstBadTarget64 is FirstBadTarget32 for float64 targets.
func FirstBadTarget64(t []float64) int { return usable.FirstBadTarget64(t) }

// FirstBadTarget32 is the package's FirstBadTarget32 at level l. It panics if
// l is not in Levels().
func (l Level) FirstBadTarget32(t []float32) int {
	l.check()
	if l < firstVector || len(t) == 0 {
		return firstBadTarget(t)
	}
	return simdFirstBad32(l, t)
}

// FirstBadTarget64 is the package's FirstBadTarget64 at level l. It panics if
// l is not in Levels().
func (l Level) FirstBadTarget64(t []float64) int {
	l.check()
	if l < firstVector || len(t) == 0 {
		return firstBadTarget(t)
	}
	return simdFirstBad64(l, t)
}

// firstBadTarget is the scan in Go. It tests the targets' bits a machine
// word at a time. A float in [0, 1] has the sign bit clear and bits at most
// those of 1.0, or is -0; everything else (negative values, NaN, values
// above 1, +Inf) has the sign bit set or lies above 1.0's bits. For each
// word w of floats, w | (w + k), with k adding to each float's bits what
// lifts 1.0's bits plus one to the sign bit, has a sign bit set for every
// float that is not in [+0, 1]; a block of words is ORed together and tested
// once. A flagged block (rare: a bad target, or -0) is scanned again one
// float at a time to find the first bad one exactly. A carry out of a float
// that already has its sign bit set can disturb only the word's other half,
// which does not matter: the word is flagged either way.
func firstBadTarget[F float32 | float64](t []F) int {
	size := int(unsafe.Sizeof(F(0)))
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(t))), len(t)*size)
	const block = 64 // bytes tested per OR-reduction: 16 float32 or 8 float64
	mask, k := uint64(0x8000000080000000), uint64(0x407fffff407fffff)
	if size == 8 {
		mask, k = 1<<63, 0x400fffffffffffff
	}
	for i := 0; i+block <= len(b); i += block {
		// One bounds check per block; NativeEndian, so that each half of a
		// word is one whole float32 in either byte order.
		p := (*[block]byte)(b[i : i+block])
		w0, w1 := binary.NativeEndian.Uint64(p[0:]), binary.NativeEndian.Uint64(p[8:])
		w2, w3 := binary.NativeEndian.Uint64(p[16:]), binary.NativeEndian.Uint64(p[24:])
		w4, w5 := binary.NativeEndian.Uint64(p[32:]), binary.NativeEndian.Uint64(p[40:])
		w6, w7 := binary.NativeEndian.Uint64(p[48:]), binary.NativeEndian.Uint64(p[56:])
		acc := (w0 | (w0 + k)) | (w1 | (w1 + k)) | (w2 | (w2 + k)) | (w3 | (w3 + k)) |
			(w4 | (w4 + k)) | (w5 | (w5 + k)) | (w6 | (w6 + k)) | (w7 | (w7 + k))
		if acc&mask != 0 {
			if at := scanTargets(t, i/size, block/size); at >= 0 {
				return at
			}
		}
	}
	tail := len(b) / block * block / size
	return scanTargets(t, tail, len(t)-tail)
}

// scanTargets returns the index of the first bad target in t[from:from+n], or -1.
func scanTargets[F float32 | float64](t []F, from, n int) int {
	for i, v := range t[from : from+n] {
		if !(v >= 0 && v <= 1) {
			return from + i
		}
	}
	return -1
}
