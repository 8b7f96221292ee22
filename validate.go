package focal

import (
	"encoding/binary"
	"unsafe"
)

// firstBadTarget returns the index of the first target that is NaN or
// outside [0, 1], or -1 if there is none.
//
// It runs at close to memory speed, because the checked functions pay it on
// every call before the kernel: it tests the targets' bits a machine word at
// a time. A float in [0, 1] has the sign bit clear and bits at most those of
// 1.0, or is -0; everything else (negative values, NaN, values above 1,
// +Inf) has the sign bit set or lies above 1.0's bits. For each word w of
// floats, w | (w + k), with k adding to each float's bits what lifts 1.0's
// bits plus one to the sign bit, has a sign bit set for every float that is
// not in [+0, 1]; a block of words is ORed together and tested once. A
// flagged block (rare: a bad target, or -0) is scanned again one float at a
// time to find the first bad one exactly. A carry out of a float that already
// has its sign bit set can disturb only the word's other half, which does not
// matter: the word is flagged either way.
func firstBadTarget[F Float](t []F) int {
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(t))), len(t)*int(unsafe.Sizeof(F(0))))
	const block = 64 // bytes tested per OR-reduction: 16 float32 or 8 float64
	mask, k := uint64(0x8000000080000000), uint64(0x407fffff407fffff)
	if !is32[F]() {
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
			if at := scanTargets(t, i/int(unsafe.Sizeof(F(0))), block/int(unsafe.Sizeof(F(0)))); at >= 0 {
				return at
			}
		}
	}
	tail := len(b) / block * block / int(unsafe.Sizeof(F(0)))
	return scanTargets(t, tail, len(t)-tail)
}

// scanTargets returns the index of the first bad target in t[from:from+n], or -1.
func scanTargets[F Float](t []F, from, n int) int {
	for i, v := range t[from : from+n] {
		if !(v >= 0 && v <= 1) {
			return from + i
		}
	}
	return -1
}
