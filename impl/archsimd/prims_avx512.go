//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"simd/archsimd"

	"github.com/focalkernels/focal/impl/internal/model"
)

// The AVX-512 level's types and the operations that differ between levels
// (see prims_avx2.go): masks are K registers, tails are masked loads and
// stores, and exp's scaling is one VSCALEF.

type (
	f32AVX512 = archsimd.Float32x16
	i32AVX512 = archsimd.Int32x16
	m32AVX512 = archsimd.Mask32x16
	w64AVX512 = archsimd.Float64x8 // half a Float32x16, widened (Sum32's blocks)
)

const (
	lanes32AVX512 = 16
	full32AVX512  = 1<<lanes32AVX512 - 1
)

type bcast32AVX512 [nb32][lanes32AVX512]float32

var tab32AVX512 [nk32][lanes32AVX512]float32

func init() {
	for i, v := range k32 {
		for j := range tab32AVX512[i] {
			tab32AVX512[i][j] = v
		}
	}
}

func c32AVX512(i int) f32AVX512 { return archsimd.LoadFloat32x16(&tab32AVX512[i]) }

func (b *bcast32AVX512) set(p *model.Params32) {
	for i, v := range values32(p) {
		for j := range b[i] {
			b[i][j] = v
		}
	}
}

func (b *bcast32AVX512) get(i int) f32AVX512 { return archsimd.LoadFloat32x16(&b[i]) }

func load32AVX512(s []float32) f32AVX512 {
	return archsimd.LoadFloat32x16((*[lanes32AVX512]float32)(s))
}

func store32AVX512(v f32AVX512, s []float32) { v.Store((*[lanes32AVX512]float32)(s)) }

// loadPart32AVX512 and storePart32AVX512 go through a buffer on the stack,
// as the AVX2 level's do (see there).
func loadPart32AVX512(s []float32) f32AVX512 {
	var b [lanes32AVX512]float32
	copy(b[:], s)
	return archsimd.LoadFloat32x16(&b)
}

func storePart32AVX512(v f32AVX512, s []float32) {
	var b [lanes32AVX512]float32
	v.Store(&b)
	copy(s, b[:])
}

// first32AVX512 is the mask of the first n < 16 lanes.
func first32AVX512(n int) m32AVX512 { return archsimd.Mask32x16FromBits(uint16(1)<<n - 1) }

// scale32AVX512 returns p·2^k and pLo·2^k (VSCALEFPS rounds once, so a
// subnormal result is what expSplit32's two halves give).
func scale32AVX512(p, pLo, k f32AVX512) (f32AVX512, f32AVX512) {
	return p.Scale(k), pLo.Scale(k)
}

func scaleOne32AVX512(v, k f32AVX512) f32AVX512 { return v.Scale(k) }

func maskInt32AVX512(m m32AVX512) i32AVX512 { return m.ToInt32x16() }

func widen32AVX512(v f32AVX512) (lo, hi w64AVX512) {
	return v.GetLo().ConvertToFloat64(), v.GetHi().ConvertToFloat64()
}

// hsum64AVX512 returns the sum of the lanes of v: halves added twice, then pairs.
func hsum64AVX512(v w64AVX512) float64 {
	h := v.GetLo().Add(v.GetHi())
	s := h.GetLo().Add(h.GetHi())
	return s.GetElem(0) + s.GetElem(1)
}

func bits32AVX512(v f32AVX512) i32AVX512 { return v.AsInt32x16() }

func fromBits32AVX512(v i32AVX512) f32AVX512 { return v.AsFloat32x16() }

// round32AVX512 rounds to the nearest integer, ties to even (VRNDSCALEPS, 0 fraction bits).
func round32AVX512(v f32AVX512) f32AVX512 { return v.RoundToEvenScaled(0) }

// The float64 lanes.

type (
	f64AVX512 = archsimd.Float64x8
	i64AVX512 = archsimd.Int64x8
	m64AVX512 = archsimd.Mask64x8
)

const (
	lanes64AVX512 = 8
	full64AVX512  = 1<<lanes64AVX512 - 1
)

type bcast64AVX512 [nb64][lanes64AVX512]float64

var tab64AVX512 [nk64][lanes64AVX512]float64

func init() {
	for i, v := range k64 {
		for j := range tab64AVX512[i] {
			tab64AVX512[i][j] = v
		}
	}
}

func c64AVX512(i int) f64AVX512 { return archsimd.LoadFloat64x8(&tab64AVX512[i]) }

func (b *bcast64AVX512) set(p *model.Params64) {
	for i, v := range values64(p) {
		for j := range b[i] {
			b[i][j] = v
		}
	}
}

func (b *bcast64AVX512) get(i int) f64AVX512 { return archsimd.LoadFloat64x8(&b[i]) }

func load64AVX512(s []float64) f64AVX512 {
	return archsimd.LoadFloat64x8((*[lanes64AVX512]float64)(s))
}

func store64AVX512(v f64AVX512, s []float64) { v.Store((*[lanes64AVX512]float64)(s)) }

func loadPart64AVX512(s []float64) f64AVX512 {
	var b [lanes64AVX512]float64
	copy(b[:], s)
	return archsimd.LoadFloat64x8(&b)
}

func storePart64AVX512(v f64AVX512, s []float64) {
	var b [lanes64AVX512]float64
	v.Store(&b)
	copy(s, b[:])
}

func first64AVX512(n int) m64AVX512 { return archsimd.Mask64x8FromBits(uint8(1)<<n - 1) }

func bits64AVX512(v f64AVX512) i64AVX512 { return v.AsInt64x8() }

func fromBits64AVX512(v i64AVX512) f64AVX512 { return v.AsFloat64x8() }

func round64AVX512(v f64AVX512) f64AVX512 { return v.RoundToEvenScaled(0) }

// scale64AVX512 returns p·2^k and pLo·2^k (VSCALEFPD rounds once).
func scale64AVX512(p, pLo, k f64AVX512) (f64AVX512, f64AVX512) {
	return p.Scale(k), pLo.Scale(k)
}

func lanesOf64AVX512(v f64AVX512) [lanes64AVX512]float64 {
	var a [lanes64AVX512]float64
	v.Store(&a)
	return a
}
