//go:build goexperiment.simd && amd64 && !purego

package archsimd

import "simd/archsimd"

// The AVX2 level's types and the operations that differ between levels: the
// generic kernels (kernel*_avx2.go) are written with these names only, and
// their AVX-512 copies (kernel*_avx512.go) are the same text with AVX512 for
// AVX2 (gen.go), naming prims_avx512.go's instead.

type (
	f32AVX2 = archsimd.Float32x8
	i32AVX2 = archsimd.Int32x8
	m32AVX2 = archsimd.Mask32x8
	w64AVX2 = archsimd.Float64x4 // half a Float32x8, widened (Sum32's blocks)
)

const (
	lanes32AVX2 = 8
	full32AVX2  = 1<<lanes32AVX2 - 1 // every lane's bit of a mask's ToBits
)

type bcast32AVX2 [nb32][lanes32AVX2]float32

var tab32AVX2 [nk32][lanes32AVX2]float32

func init() {
	for i, v := range k32 {
		for j := range tab32AVX2[i] {
			tab32AVX2[i][j] = v
		}
	}
}

// c32AVX2 loads constant i splat.
func c32AVX2(i int) f32AVX2 { return archsimd.LoadFloat32x8(&tab32AVX2[i]) }

func (b *bcast32AVX2) set(p *params32) {
	for i, v := range p.values() {
		for j := range b[i] {
			b[i][j] = v
		}
	}
}

// get loads parameter i splat.
func (b *bcast32AVX2) get(i int) f32AVX2 { return archsimd.LoadFloat32x8(&b[i]) }

func load32AVX2(s []float32) f32AVX2 { return archsimd.LoadFloat32x8((*[lanes32AVX2]float32)(s)) }

func store32AVX2(v f32AVX2, s []float32) { v.Store((*[lanes32AVX2]float32)(s)) }

// loadPart32AVX2 loads the first len(s) < 8 lanes (masked: no access past
// s), the others 0; storePart32AVX2 stores the first len(s) lanes.
func loadPart32AVX2(s []float32) f32AVX2 { return archsimd.LoadFloat32x8SlicePart(s) }

func storePart32AVX2(v f32AVX2, s []float32) { v.StoreSlicePart(s) }

var iota32AVX2 = [lanes32AVX2]int32{0, 1, 2, 3, 4, 5, 6, 7}

// first32AVX2 is the mask of the first n lanes.
func first32AVX2(n int) m32AVX2 {
	return archsimd.LoadInt32x8(&iota32AVX2).Less(archsimd.BroadcastInt32x8(int32(n)))
}

// scale32AVX2 returns p·2^k and pLo·2^k for integral k (float32) in
// [-151, 0] or NaN, in two exact halves, so that a subnormal result is
// rounded once (expSplit32's scaling).
func scale32AVX2(p, pLo, k f32AVX2) (f32AVX2, f32AVX2) {
	ki := k.ConvertToInt32() // exact: k is integral (NaN gives MinInt32)
	k1 := ki.ShiftAllRight(1)
	k2 := ki.Sub(k1)
	bias := archsimd.BroadcastInt32x8(127)
	s1 := k1.Add(bias).ShiftAllLeft(23).AsFloat32x8()
	s2 := k2.Add(bias).ShiftAllLeft(23).AsFloat32x8()
	return p.Mul(s1).Mul(s2), pLo.Mul(s1).Mul(s2)
}

// widen32AVX2 returns the lanes of v as float64, low half and high half.
func widen32AVX2(v f32AVX2) (lo, hi w64AVX2) {
	return v.GetLo().ConvertToFloat64(), v.GetHi().ConvertToFloat64()
}

// hsum64AVX2 returns the sum of the lanes of v: halves added, then pairs.
func hsum64AVX2(v w64AVX2) float64 {
	s := v.GetLo().Add(v.GetHi())
	return s.GetElem(0) + s.GetElem(1)
}

func bits32AVX2(v f32AVX2) i32AVX2 { return v.AsInt32x8() }

func fromBits32AVX2(v i32AVX2) f32AVX2 { return v.AsFloat32x8() }

// round32AVX2 rounds to the nearest integer, ties to even.
func round32AVX2(v f32AVX2) f32AVX2 { return v.RoundToEven() }
