//go:build goexperiment.simd && amd64 && !purego

package archsimd

import "github.com/focalkernels/focal/impl/internal/model"

// The AVX2 level's splat tables and moves, on its prims file's types
// (prims_avx2.go): the kernels' constants (tab32AVX2, tab64AVX2) and a
// call's parameters (bcast32AVX2, bcast64AVX2) splat across the lanes,
// stores of whole vectors, loads and stores of partial ones (a call's last
// part), and float32 lanes widened to float64 and float64 lanes read out
// (Sum's blocks and totals).

type bcast32AVX2 [nb32][lanes32AVX2]float32

var tab32AVX2 [nk32][lanes32AVX2]float32

func init() {
	for i, v := range k32 {
		for j := range tab32AVX2[i] {
			tab32AVX2[i][j] = v
		}
	}
}

func (b *bcast32AVX2) set(p *model.Params32) {
	for i, v := range values32(p) {
		for j := range b[i] {
			b[i][j] = v
		}
	}
}

func store32AVX2(v f32AVX2, s []float32) { v.Store((*[lanes32AVX2]float32)(s)) }

// loadPart32AVX2 loads the first len(s) lanes (fewer than a vector's), the
// others 0, and storePart32AVX2 stores the first len(s) lanes: by masked
// moves where s's capacity holds a whole vector, else through a buffer on
// the stack. archsimd's masked moves (LoadFloat32x8SlicePart, StoreSlicePart)
// view the slice's start as a whole vector, which checkptr (on under -race)
// rejects as straddling allocations at the end of one; a buffer is zeroed
// and copied by the compiler's legacy SSE moves, which pay a transition
// beside dirty upper halves, so it is kept to the end of an allocation.
func loadPart32AVX2(s []float32) f32AVX2 {
	if cap(s) >= lanes32AVX2 {
		return slicePart32AVX2(s)
	}
	var b [lanes32AVX2]float32
	copy(b[:], s)
	return loadArr32AVX2(&b)
}

func storePart32AVX2(v f32AVX2, s []float32) {
	if cap(s) >= lanes32AVX2 {
		storeSlicePart32AVX2(v, s)
		return
	}
	var b [lanes32AVX2]float32
	v.Store(&b)
	copy(s, b[:])
}

// get32AVX2 loads s[i:j], a whole vector, or where the vector is not whole
// the part of s from i on (loadPart32AVX2); put32AVX2 stores v likewise.
func get32AVX2(s []float32, i, j int, whole bool) f32AVX2 {
	if whole {
		return load32AVX2(s[i:j])
	}
	return loadPart32AVX2(s[i:])
}

func put32AVX2(v f32AVX2, s []float32, i, j int, whole bool) {
	if whole {
		store32AVX2(v, s[i:j])
		return
	}
	storePart32AVX2(v, s[i:])
}

// widen32AVX2 returns the lanes of v as float64, low half and high half.
func widen32AVX2(v f32AVX2) (lo, hi w64AVX2) {
	return v.GetLo().ConvertToFloat64(), v.GetHi().ConvertToFloat64()
}

type bcast64AVX2 [nb64][lanes64AVX2]float64

var tab64AVX2 [nk64][lanes64AVX2]float64

func init() {
	for i, v := range k64 {
		for j := range tab64AVX2[i] {
			tab64AVX2[i][j] = v
		}
	}
}

func (b *bcast64AVX2) set(p *model.Params64) {
	for i, v := range values64(p) {
		for j := range b[i] {
			b[i][j] = v
		}
	}
}

func store64AVX2(v f64AVX2, s []float64) { v.Store((*[lanes64AVX2]float64)(s)) }

func loadPart64AVX2(s []float64) f64AVX2 {
	if cap(s) >= lanes64AVX2 {
		return slicePart64AVX2(s)
	}
	var b [lanes64AVX2]float64
	copy(b[:], s)
	return loadArr64AVX2(&b)
}

func storePart64AVX2(v f64AVX2, s []float64) {
	if cap(s) >= lanes64AVX2 {
		storeSlicePart64AVX2(v, s)
		return
	}
	var b [lanes64AVX2]float64
	v.Store(&b)
	copy(s, b[:])
}

// get64AVX2 loads s[i:j], a whole vector, or where the vector is not whole
// the part of s from i on (loadPart64AVX2); put64AVX2 stores v likewise.
func get64AVX2(s []float64, i, j int, whole bool) f64AVX2 {
	if whole {
		return load64AVX2(s[i:j])
	}
	return loadPart64AVX2(s[i:])
}

func put64AVX2(v f64AVX2, s []float64, i, j int, whole bool) {
	if whole {
		store64AVX2(v, s[i:j])
		return
	}
	storePart64AVX2(v, s[i:])
}

// lanesOf64AVX2 returns the lanes of v.
func lanesOf64AVX2(v f64AVX2) [lanes64AVX2]float64 {
	var a [lanes64AVX2]float64
	v.Store(&a)
	return a
}
