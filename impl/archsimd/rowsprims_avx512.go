//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"simd/archsimd"

	"github.com/focalkernels/focal/impl/internal/rows"
)

// The AVX-512 level's reads of the rows form: see rowsprims_avx2.go.

func rowLab32AVX512(labels []int32, n0 int, t *rows.Tab[float32], c0 int) (pos, keep m32AVX512) {
	idx := archsimd.LoadInt32x16((*[lanes32AVX512]int32)(t.Ro[c0:])).AsUint32x16()
	lab := archsimd.LoadInt32x16((*[lanes32AVX512]int32)(labels[n0:])).Permute(idx)
	cls := archsimd.LoadInt32x16((*[lanes32AVX512]int32)(t.Cls[c0:]))
	return lab.Equal(cls), lab.GreaterEqual(archsimd.Int32x16{})
}

func rowTab32AVX512(a *[rows.Stride]float32, c0 int) f32AVX512 {
	return archsimd.LoadFloat32x16((*[lanes32AVX512]float32)(a[c0:]))
}

func rowW32AVX512(w []float32, n0 int, t *rows.Tab[float32], c0 int) f32AVX512 {
	idx := archsimd.LoadInt32x16((*[lanes32AVX512]int32)(t.Ro[c0:])).AsUint32x16()
	return archsimd.LoadFloat32x16((*[lanes32AVX512]float32)(w[n0:])).Permute(idx)
}

func rowLab64AVX512(labels []int32, n0 int, t *rows.Tab[float64], c0 int) (pos, keep m64AVX512) {
	idx := archsimd.LoadInt32x16((*[16]int32)(t.Ro[c0:])).AsUint32x16()
	lab := archsimd.LoadInt32x16((*[16]int32)(labels[n0:])).Permute(idx).GetLo().ExtendToInt64()
	cls := archsimd.LoadInt32x8((*[lanes64AVX512]int32)(t.Cls[c0:])).ExtendToInt64()
	return lab.Equal(cls), lab.GreaterEqual(archsimd.Int64x8{})
}

func rowTab64AVX512(a *[rows.Stride]float64, c0 int) f64AVX512 {
	return archsimd.LoadFloat64x8((*[lanes64AVX512]float64)(a[c0:]))
}

func rowW64AVX512(w []float64, n0 int, t *rows.Tab[float64], c0 int) f64AVX512 {
	idx := archsimd.LoadInt32x16((*[16]int32)(t.Ro2[2*c0:])).AsUint32x16()
	return archsimd.LoadFloat64x8((*[lanes64AVX512]float64)(w[n0:])).AsInt32x16().Permute(idx).AsFloat64x8()
}

func splat32AVX512(v float32) f32AVX512 { return archsimd.BroadcastFloat32x16(v) }
