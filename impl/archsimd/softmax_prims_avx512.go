//go:build goexperiment.simd && amd64 && !purego

package archsimd

import "simd/archsimd"

// The AVX-512 level's softmax pieces (see softmax_prims_avx2.go).

type h32AVX512 = archsimd.Float32x8

func loadH32AVX512(s []float32) h32AVX512 {
	return archsimd.LoadFloat32x8((*[lanes64AVX512]float32)(s))
}

func storeH32AVX512(v h32AVX512, s []float32) { v.Store((*[lanes64AVX512]float32)(s)) }

// loadPartH32AVX512 and storePartH32AVX512: the half-vector is AVX2's
// float32 vector (Float32x8), so AVX2's partial moves serve.
func loadPartH32AVX512(s []float32) h32AVX512 { return loadPart32AVX2(s) }

func storePartH32AVX512(v h32AVX512, s []float32) { storePart32AVX2(v, s) }

var iota64AVX512 = [lanes64AVX512]int64{0, 1, 2, 3, 4, 5, 6, 7}

func iotaI64AVX512() i64AVX512 { return archsimd.LoadInt64x8(&iota64AVX512) }

func splatI64AVX512(v int64) i64AVX512 { return archsimd.BroadcastInt64x8(v) }

func splatF64AVX512(v float64) f64AVX512 { return archsimd.BroadcastFloat64x8(v) }

func splatF32AVX512(v float32) f32AVX512 { return archsimd.BroadcastFloat32x16(v) }

// scaleBy64AVX512 returns v·2^(k+s), s the constant b (VSCALEFPD, rounded
// once: for a normal 2^(k+s), the one product AVX2's scaleBy64AVX2 forms).
func scaleBy64AVX512(v, k f64AVX512, b, eb int) f64AVX512 {
	return v.Scale(k.Add(c64AVX512(b)))
}

// expBits64AVX512 is expBits64AVX2 for 8 lanes.
func expBits64AVX512(v i64AVX512) i64AVX512 { return v.AsUint64x8().ShiftAllRight(52).AsInt64x8() }
