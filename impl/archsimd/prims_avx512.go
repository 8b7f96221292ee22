//go:build goexperiment.simd && amd64 && !purego

package archsimd

import "simd/archsimd"

// The AVX-512 level's types and the operations that differ between the
// levels (see prims_avx2.go): masks are K registers, a tail's mask comes from
// its bits, and exp's scaling is one VSCALEF.

type (
	f32AVX512 = archsimd.Float32x16
	i32AVX512 = archsimd.Int32x16
	m32AVX512 = archsimd.Mask32x16
	w64AVX512 = archsimd.Float64x8 // half a Float32x16, widened (Sum32's blocks)
	f64AVX512 = archsimd.Float64x8
	i64AVX512 = archsimd.Int64x8
	m64AVX512 = archsimd.Mask64x8
)

const (
	lanes32AVX512 = 16
	full32AVX512  = 1<<lanes32AVX512 - 1
	lanes64AVX512 = 8
	full64AVX512  = 1<<lanes64AVX512 - 1
)

// The loads, direct calls of archsimd's (a wrapper's call would cost the
// kernels' small functions their inlining): constant i and parameter i splat
// (their tables are in bcast_avx512.go), a whole vector of a slice, an array.
func c32AVX512(i int) f32AVX512              { return archsimd.LoadFloat32x16(&tab32AVX512[i]) }
func (b *bcast32AVX512) get(i int) f32AVX512 { return archsimd.LoadFloat32x16(&b[i]) }
func load32AVX512(s []float32) f32AVX512 {
	return archsimd.LoadFloat32x16((*[lanes32AVX512]float32)(s))
}
func loadArr32AVX512(a *[lanes32AVX512]float32) f32AVX512 { return archsimd.LoadFloat32x16(a) }
func c64AVX512(i int) f64AVX512                           { return archsimd.LoadFloat64x8(&tab64AVX512[i]) }
func (b *bcast64AVX512) get(i int) f64AVX512              { return archsimd.LoadFloat64x8(&b[i]) }
func load64AVX512(s []float64) f64AVX512                  { return archsimd.LoadFloat64x8((*[lanes64AVX512]float64)(s)) }
func loadArr64AVX512(a *[lanes64AVX512]float64) f64AVX512 { return archsimd.LoadFloat64x8(a) }

// Masked moves of the first len(s) lanes (fewer than a vector's; the
// others load as 0), for loadPart… and storePart…, which call them only
// where s's capacity holds a whole vector.
func slicePart32AVX512(s []float32) f32AVX512         { return archsimd.LoadFloat32x16SlicePart(s) }
func storeSlicePart32AVX512(v f32AVX512, s []float32) { v.StoreSlicePart(s) }
func slicePart64AVX512(s []float64) f64AVX512         { return archsimd.LoadFloat64x8SlicePart(s) }
func storeSlicePart64AVX512(v f64AVX512, s []float64) { v.StoreSlicePart(s) }

// first32AVX512 is the mask of the first n < 16 lanes.
func first32AVX512(n int) m32AVX512 { return archsimd.Mask32x16FromBits(uint16(1)<<n - 1) }

func first64AVX512(n int) m64AVX512 { return archsimd.Mask64x8FromBits(uint8(1)<<n - 1) }

// scale32AVX512 returns p·2^k and pLo·2^k (VSCALEFPS rounds once, so a
// subnormal result is what model.ExpSplit32's two halves give).
func scale32AVX512(p, pLo, k f32AVX512) (f32AVX512, f32AVX512) {
	return p.Scale(k), pLo.Scale(k)
}

func scaleOne32AVX512(v, k f32AVX512) f32AVX512 { return v.Scale(k) }

// scale64AVX512 returns p·2^k and pLo·2^k (VSCALEFPD rounds once).
func scale64AVX512(p, pLo, k f64AVX512) (f64AVX512, f64AVX512) {
	return p.Scale(k), pLo.Scale(k)
}

func maskInt32AVX512(m m32AVX512) i32AVX512 { return m.ToInt32x16() }

// hsum64AVX512 returns the sum of the lanes of v: halves added twice, then pairs.
func hsum64AVX512(v w64AVX512) float64 {
	h := v.GetLo().Add(v.GetHi())
	s := h.GetLo().Add(h.GetHi())
	return s.GetElem(0) + s.GetElem(1)
}

func bits32AVX512(v f32AVX512) i32AVX512 { return v.AsInt32x16() }

func fromBits32AVX512(v i32AVX512) f32AVX512 { return v.AsFloat32x16() }

func bits64AVX512(v f64AVX512) i64AVX512 { return v.AsInt64x8() }

func fromBits64AVX512(v i64AVX512) f64AVX512 { return v.AsFloat64x8() }

// round32AVX512 and round64AVX512 round to the nearest integer, ties to even
// (VRNDSCALE, 0 fraction bits).
func round32AVX512(v f32AVX512) f32AVX512 { return v.RoundToEvenScaled(0) }

func round64AVX512(v f64AVX512) f64AVX512 { return v.RoundToEvenScaled(0) }

// The rows kernels' loads and permutes (see prims_avx2.go).
func loadI32AVX512(s []int32) i32AVX512 {
	return archsimd.LoadInt32x16((*[lanes32AVX512]int32)(s[:lanes32AVX512]))
}

func permI32AVX512(v, idx i32AVX512) i32AVX512 { return v.Permute(idx.AsUint32x16()) }

func permF32AVX512(v f32AVX512, idx i32AVX512) f32AVX512 { return v.Permute(idx.AsUint32x16()) }

// rowLab64AVX512 returns the labels of labels' first 8 rows permuted by ro,
// and the classes cls, as int64 lanes.
func rowLab64AVX512(labels, ro, cls []int32) (lab, c i64AVX512) {
	l := archsimd.LoadInt32x8((*[8]int32)(labels[:8])).Permute(archsimd.LoadInt32x8((*[8]int32)(ro[:8])).AsUint32x8())
	return l.ExtendToInt64(), archsimd.LoadInt32x8((*[8]int32)(cls[:8])).ExtendToInt64()
}

// permRowW64AVX512 returns w's first 8 weights permuted by the pairs ro2.
func permRowW64AVX512(w []float64, ro2 []int32) f64AVX512 {
	v := archsimd.LoadFloat64x8((*[lanes64AVX512]float64)(w[:lanes64AVX512])).AsInt32x16()
	return v.Permute(archsimd.LoadInt32x16((*[16]int32)(ro2[:16])).AsUint32x16()).AsFloat64x8()
}
