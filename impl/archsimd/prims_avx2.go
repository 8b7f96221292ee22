//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"math"
	"simd/archsimd"

	"github.com/focalkernels/focal/impl/internal/model"
)

// The AVX2 level's types and the operations that differ between the levels;
// the kernels (kernel32_avx2.go, kernel64_avx2.go and the other AVX2 files
// of gen.go's pairs) are written with these names (and their AVX-512 twins
// with prims_avx512.go's).

type (
	f32AVX2 = archsimd.Float32x8
	i32AVX2 = archsimd.Int32x8
	m32AVX2 = archsimd.Mask32x8
	w64AVX2 = archsimd.Float64x4 // half a Float32x8, widened (Sum32's blocks)
	f64AVX2 = archsimd.Float64x4
	i64AVX2 = archsimd.Int64x4
	m64AVX2 = archsimd.Mask64x4
)

const (
	lanes32AVX2 = 8
	full32AVX2  = 1<<lanes32AVX2 - 1 // every lane's bit of a mask's ToBits
	lanes64AVX2 = 4
	full64AVX2  = 1<<lanes64AVX2 - 1
)

// The loads, direct calls of archsimd's (a wrapper's call would cost the
// kernels' small functions their inlining): constant i and parameter i splat
// (their tables are in bcast_avx2.go), a whole vector of a slice, an array.
func c32AVX2(i int) f32AVX2                         { return archsimd.LoadFloat32x8(&tab32AVX2[i]) }
func (b *bcast32AVX2) get(i int) f32AVX2            { return archsimd.LoadFloat32x8(&b[i]) }
func load32AVX2(s []float32) f32AVX2                { return archsimd.LoadFloat32x8((*[lanes32AVX2]float32)(s)) }
func loadArr32AVX2(a *[lanes32AVX2]float32) f32AVX2 { return archsimd.LoadFloat32x8(a) }
func c64AVX2(i int) f64AVX2                         { return archsimd.LoadFloat64x4(&tab64AVX2[i]) }
func (b *bcast64AVX2) get(i int) f64AVX2            { return archsimd.LoadFloat64x4(&b[i]) }
func load64AVX2(s []float64) f64AVX2                { return archsimd.LoadFloat64x4((*[lanes64AVX2]float64)(s)) }
func loadArr64AVX2(a *[lanes64AVX2]float64) f64AVX2 { return archsimd.LoadFloat64x4(a) }

// Masked moves of the first len(s) lanes (fewer than a vector's; the
// others load as 0), for loadPart… and storePart…, which call them only
// where s's capacity holds a whole vector.
func slicePart32AVX2(s []float32) f32AVX2         { return archsimd.LoadFloat32x8SlicePart(s) }
func storeSlicePart32AVX2(v f32AVX2, s []float32) { v.StoreSlicePart(s) }
func slicePart64AVX2(s []float64) f64AVX2         { return archsimd.LoadFloat64x4SlicePart(s) }
func storeSlicePart64AVX2(v f64AVX2, s []float64) { v.StoreSlicePart(s) }

var iota32AVX2 = [lanes32AVX2]int32{0, 1, 2, 3, 4, 5, 6, 7}

// first32AVX2 is the mask of the first n lanes.
func first32AVX2(n int) m32AVX2 {
	return archsimd.LoadInt32x8(&iota32AVX2).Less(archsimd.BroadcastInt32x8(int32(n)))
}

var iota64AVX2 = [lanes64AVX2]int64{0, 1, 2, 3}

func first64AVX2(n int) m64AVX2 {
	return archsimd.LoadInt64x4(&iota64AVX2).Less(archsimd.BroadcastInt64x4(int64(n)))
}

// scale32AVX2 returns p·2^k and pLo·2^k for integral k (float32) in
// [-151, 0] or NaN, rounded once (model.ExpSplit32's scaling). Where every
// lane's k is at least -125, p·2^k is normal (p ≥ 0.7): k is added to p's
// exponent and pLo multiplied by 2^k, as impl/asm's AVX2 fast scaling;
// otherwise the scale is applied in two exact halves, so that a subnormal
// result is rounded once.
func scale32AVX2(p, pLo, k f32AVX2) (f32AVX2, f32AVX2) {
	ki := k.ConvertToInt32() // exact: k is integral (NaN gives MinInt32)
	bias := archsimd.BroadcastInt32x8(127)
	if ki.Greater(archsimd.BroadcastInt32x8(-126)).ToBits() == full32AVX2 {
		return fromBits32AVX2(bits32AVX2(p).Add(ki.ShiftAllLeft(23))), pLo.Mul(ki.Add(bias).ShiftAllLeft(23).AsFloat32x8())
	}
	s1, s2 := halves32AVX2(ki)
	return p.Mul(s1).Mul(s2), pLo.Mul(s1).Mul(s2)
}

// scaleOne32AVX2 is scale32AVX2 for one vector.
func scaleOne32AVX2(v, k f32AVX2) f32AVX2 {
	s1, s2 := halves32AVX2(k.ConvertToInt32())
	return v.Mul(s1).Mul(s2)
}

// halves32AVX2 returns 2^k1 and 2^k2, k1 = k>>1 and k2 = k - k1.
func halves32AVX2(ki i32AVX2) (s1, s2 f32AVX2) {
	k1 := ki.ShiftAllRight(1)
	bias := archsimd.BroadcastInt32x8(127)
	return k1.Add(bias).ShiftAllLeft(23).AsFloat32x8(), ki.Sub(k1).Add(bias).ShiftAllLeft(23).AsFloat32x8()
}

// scale64AVX2 returns p·2^k and pLo·2^k for integral k in [-1077, 0] (or
// NaN), in two exact halves (model.ExpSplit64): 2^k1 from the bits of k1 +
// model.Magic64.
func scale64AVX2(p, pLo, k f64AVX2) (f64AVX2, f64AVX2) {
	k1 := k.Mul(c64AVX2(jHalf)).Floor()
	k2 := k.Sub(k1)
	magic := archsimd.BroadcastFloat64x4(model.Magic64)
	bias := archsimd.BroadcastInt64x4(1023 - int64(math.Float64bits(model.Magic64)))
	s1 := k1.Add(magic).AsInt64x4().Add(bias).ShiftAllLeft(52).AsFloat64x4()
	s2 := k2.Add(magic).AsInt64x4().Add(bias).ShiftAllLeft(52).AsFloat64x4()
	return p.Mul(s1).Mul(s2), pLo.Mul(s1).Mul(s2)
}

// maskInt32AVX2 returns m's lanes as all ones (true) or zeros.
func maskInt32AVX2(m m32AVX2) i32AVX2 { return m.ToInt32x8() }

// hsum64AVX2 returns the sum of the lanes of v: halves added, then pairs.
func hsum64AVX2(v w64AVX2) float64 {
	s := v.GetLo().Add(v.GetHi())
	return s.GetElem(0) + s.GetElem(1)
}

func bits32AVX2(v f32AVX2) i32AVX2 { return v.AsInt32x8() }

func fromBits32AVX2(v i32AVX2) f32AVX2 { return v.AsFloat32x8() }

func bits64AVX2(v f64AVX2) i64AVX2 { return v.AsInt64x4() }

func fromBits64AVX2(v i64AVX2) f64AVX2 { return v.AsFloat64x4() }

// round32AVX2 and round64AVX2 round to the nearest integer, ties to even.
func round32AVX2(v f32AVX2) f32AVX2 { return v.RoundToEven() }

func round64AVX2(v f64AVX2) f64AVX2 { return v.RoundToEven() }

// The rows kernels' loads and permutes (VPERMD, VPERMPS): lane i of a
// permuted vector is lane idx[i] of v. loadI32AVX2 loads s's first lanes.
func loadI32AVX2(s []int32) i32AVX2 {
	return archsimd.LoadInt32x8((*[lanes32AVX2]int32)(s[:lanes32AVX2]))
}

func permI32AVX2(v, idx i32AVX2) i32AVX2 { return v.Permute(idx.AsUint32x8()) }

func permF32AVX2(v f32AVX2, idx i32AVX2) f32AVX2 { return v.Permute(idx.AsUint32x8()) }

// rowLab64AVX2 returns the labels of labels' first rows permuted by ro (the
// first 8: VPERMD has no 4-lane form), and the classes cls, as int64 lanes.
func rowLab64AVX2(labels, ro, cls []int32) (lab, c i64AVX2) {
	l := archsimd.LoadInt32x8((*[8]int32)(labels[:8])).Permute(archsimd.LoadInt32x8((*[8]int32)(ro[:8])).AsUint32x8())
	return l.GetLo().ExtendToInt64(), archsimd.LoadInt32x4((*[4]int32)(cls[:4])).ExtendToInt64()
}

// permRowW64AVX2 returns w's first weights permuted by the pairs ro2 (each
// float64 as two 32-bit lanes: AVX2 permutes float64 lanes by a constant only).
func permRowW64AVX2(w []float64, ro2 []int32) f64AVX2 {
	v := archsimd.LoadFloat64x4((*[lanes64AVX2]float64)(w[:lanes64AVX2])).AsInt32x8()
	return v.Permute(archsimd.LoadInt32x8((*[8]int32)(ro2[:8])).AsUint32x8()).AsFloat64x4()
}
