//go:build goexperiment.simd && amd64 && !purego

package archsimd

import "simd/archsimd"

// The softmax lanes' level-specific pieces (softmax_avx2.go is written with
// these names; its AVX-512 copy names softmax_prims_avx512.go's): the
// float32 half-vector that one vector of float64 lanes widens, and splats.

type h32AVX2 = archsimd.Float32x4

func loadH32AVX2(s []float32) h32AVX2 { return archsimd.LoadFloat32x4((*[lanes64AVX2]float32)(s)) }

func storeH32AVX2(v h32AVX2, s []float32) { v.Store((*[lanes64AVX2]float32)(s)) }

// loadPartH32AVX2 and storePartH32AVX2 move the first len(s) < 4 lanes as
// loadPart32AVX2 does: by masked moves where s's capacity holds the
// half-vector, else (at the end of an allocation, where checkptr would
// reject them) through a buffer.
func loadPartH32AVX2(s []float32) h32AVX2 {
	if cap(s) >= lanes64AVX2 {
		return archsimd.LoadFloat32x4SlicePart(s)
	}
	var b [lanes64AVX2]float32
	copy(b[:], s)
	return archsimd.LoadFloat32x4(&b)
}

func storePartH32AVX2(v h32AVX2, s []float32) {
	if cap(s) >= lanes64AVX2 {
		v.StoreSlicePart(s)
		return
	}
	var b [lanes64AVX2]float32
	v.Store(&b)
	copy(s, b[:])
}

func iotaI64AVX2() i64AVX2 { return archsimd.LoadInt64x4(&iota64AVX2) }

func splatI64AVX2(v int64) i64AVX2 { return archsimd.BroadcastInt64x4(v) }

func splatF64AVX2(v float64) f64AVX2 { return archsimd.BroadcastFloat64x4(v) }

func splatF32AVX2(v float32) f32AVX2 { return archsimd.BroadcastFloat32x8(v) }

// scaleBy64AVX2 returns v·2^(k+s) for integral k where 2^(k+s) is normal, in
// one product: 2^(k+s) from the bits of k + model.Magic64 and constant eb
// (jSmEb32 or jSmEb64), as impl/asm's AVX2 lanes make it; b (jSmBias32 or
// jSmBias64, s itself) is AVX-512's.
func scaleBy64AVX2(v, k f64AVX2, b, eb int) f64AVX2 {
	return v.Mul(fromBits64AVX2(bits64AVX2(k.Add(c64AVX2(jMagic))).Add(bits64AVX2(c64AVX2(eb))).ShiftAllLeft(52)))
}

// expBits64AVX2 returns the biased exponents of v's lanes (v's bits shifted
// right by 52, logically: v ≥ 0).
func expBits64AVX2(v i64AVX2) i64AVX2 { return v.AsUint64x4().ShiftAllRight(52).AsInt64x4() }
