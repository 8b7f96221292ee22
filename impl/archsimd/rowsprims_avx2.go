//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"simd/archsimd"

	"github.com/focalkernels/focal/impl/internal/rows"
)

// The AVX2 level's reads of the rows form (see rows.go and
// impl/internal/rows's lanes.go): for a vector starting at row n0, class c0,
// its lanes' labels are the labels from n0 permuted by the table of row
// offsets, positive where they equal the table of classes and ignored where
// negative; class α and per-row weights likewise from the tables. The
// labels (and per-row weights) are read a whole vector at a time from n0,
// which impl/internal/rows keeps within the slices.

// rowLab32AVX2 returns the positive and the kept (not ignored) lanes.
func rowLab32AVX2(labels []int32, n0 int, t *rows.Tab[float32], c0 int) (pos, keep m32AVX2) {
	idx := archsimd.LoadInt32x8((*[lanes32AVX2]int32)(t.Ro[c0:])).AsUint32x8()
	lab := archsimd.LoadInt32x8((*[lanes32AVX2]int32)(labels[n0:])).Permute(idx)
	cls := archsimd.LoadInt32x8((*[lanes32AVX2]int32)(t.Cls[c0:]))
	return lab.Equal(cls), lab.GreaterEqual(i32AVX2{})
}

// rowTab32AVX2 returns the lanes' entries of a class table.
func rowTab32AVX2(a *[rows.Stride]float32, c0 int) f32AVX2 {
	return archsimd.LoadFloat32x8((*[lanes32AVX2]float32)(a[c0:]))
}

// rowW32AVX2 returns the lanes' per-row weights.
func rowW32AVX2(w []float32, n0 int, t *rows.Tab[float32], c0 int) f32AVX2 {
	idx := archsimd.LoadInt32x8((*[lanes32AVX2]int32)(t.Ro[c0:])).AsUint32x8()
	return archsimd.LoadFloat32x8((*[lanes32AVX2]float32)(w[n0:])).Permute(idx)
}

// rowLab64AVX2 is rowLab32AVX2 for float64 lanes.
func rowLab64AVX2(labels []int32, n0 int, t *rows.Tab[float64], c0 int) (pos, keep m64AVX2) {
	idx := archsimd.LoadInt32x8((*[8]int32)(t.Ro[c0:])).AsUint32x8()
	lab := archsimd.LoadInt32x8((*[8]int32)(labels[n0:])).Permute(idx).GetLo().ExtendToInt64()
	cls := archsimd.LoadInt32x4((*[lanes64AVX2]int32)(t.Cls[c0:])).ExtendToInt64()
	return lab.Equal(cls), lab.Greater(archsimd.BroadcastInt64x4(-1))
}

// rowTab64AVX2 returns the lanes' entries of a class table.
func rowTab64AVX2(a *[rows.Stride]float64, c0 int) f64AVX2 {
	return archsimd.LoadFloat64x4((*[lanes64AVX2]float64)(a[c0:]))
}

// rowW64AVX2 returns the lanes' per-row weights: the weights from n0
// permuted as 32-bit pairs (AVX2 has no variable permute of 64-bit lanes).
func rowW64AVX2(w []float64, n0 int, t *rows.Tab[float64], c0 int) f64AVX2 {
	idx := archsimd.LoadInt32x8((*[8]int32)(t.Ro2[2*c0:])).AsUint32x8()
	return archsimd.LoadFloat64x4((*[lanes64AVX2]float64)(w[n0:])).AsInt32x8().Permute(idx).AsFloat64x4()
}

// splat32AVX2 returns v in every lane.
func splat32AVX2(v float32) f32AVX2 { return archsimd.BroadcastFloat32x8(v) }
