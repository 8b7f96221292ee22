//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/asm"
	"github.com/focalkernels/focal/impl/internal/kerneltest"
	"github.com/focalkernels/focal/impl/internal/rows"
)

// rowsOf runs a rows form's three functions: LossRows, LossGradRows with
// and without the loss, and SumRows.
func rowsOf[F kerneltest.Float](lossRows func([]F, Rows[F], Params), lossGradRows func(l, g []F, r Rows[F], p Params), sumRows func(Rows[F], Params) (float64, int), r Rows[F], p Params) (l, lg, g, g2 []F, s float64, pos int) {
	n := len(r.X)
	l, lg, g, g2 = make([]F, n), make([]F, n), make([]F, n), make([]F, n)
	lossRows(l, r, p)
	lossGradRows(lg, g, r, p)
	lossGradRows(nil, g2, r, p)
	s, pos = sumRows(r, p)
	return
}

// TestRowsAgree: every level's rows form gives, in float32, impl/asm's
// Generic results (its model) and, in float64, this package's Generic
// results, bit for bit in loss and gradient (any NaN for a NaN, either zero
// for a zero), and their sum within 1e-6 (1e-13) relative and positive
// count, for C from 1 past the vector widths and past rows.Cap, N past the
// padded last rows, every kind of label, weights, class α, smoothing and γ.
func TestRowsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	type size struct{ n, c int }
	var sizes []size
	for _, c := range []int{1, 3, 8, 9, 16, 17, 80} {
		for _, n := range []int{0, 1, 5, 16, 17, 40} {
			sizes = append(sizes, size{n, c})
		}
	}
	sizes = append(sizes, size{2, rows.Cap + 33})
	eq := func(a, b float64) bool {
		return math.Float64bits(a) == math.Float64bits(b) || a != a && b != b || a == 0 && b == 0
	}
	for _, l := range kerneltest.Levels(Levels()) {
		for _, sz := range sizes {
			for wmode := range 3 {
				r32 := kerneltest.RowsInputs[float32](rng, sz.n, sz.c, rng.IntN(kerneltest.NLabels), wmode)
				p := kerneltest.RowsParams(rng, sz.c, rng.IntN(2) == 0)
				what := fmt.Sprintf("archsimd-%v float32 N=%d C=%d weights=%d %+v", l, sz.n, sz.c, wmode, p)
				l1, lg1, g1, g12, s1, pos1 := rowsOf(l.LossRows32, l.LossGradRows32, l.SumRows32, r32, p)
				l0, lg0, g0, g02, s0, pos0 := rowsOf(asm.Generic.LossRows32, asm.Generic.LossGradRows32, asm.Generic.SumRows32, r32, p)
				for i := range l0 {
					if !eq(float64(l1[i]), float64(l0[i])) || !eq(float64(lg1[i]), float64(lg0[i])) || !eq(float64(g1[i]), float64(g0[i])) || !eq(float64(g12[i]), float64(g02[i])) {
						t.Fatalf("%s: element %d (x=%v): %v %v %v %v; asm-generic %v %v %v %v", what, i, r32.X[i], l1[i], lg1[i], g1[i], g12[i], l0[i], lg0[i], g0[i], g02[i])
					}
				}
				if pos1 != pos0 || !(math.Abs(s1-s0) <= 1e-6*math.Abs(s0)) && !(s1 != s1 && s0 != s0) && s1 != s0 {
					t.Fatalf("%s: SumRows %v, %d; asm-generic %v, %d", what, s1, pos1, s0, pos0)
				}
				r64 := kerneltest.RowsInputs[float64](rng, sz.n, sz.c, rng.IntN(kerneltest.NLabels), wmode)
				p64 := kerneltest.RowsParams(rng, sz.c, rng.IntN(2) == 0)
				what = fmt.Sprintf("archsimd-%v float64 N=%d C=%d weights=%d %+v", l, sz.n, sz.c, wmode, p64)
				l1d, lg1d, g1d, g12d, s1d, pos1d := rowsOf(l.LossRows64, l.LossGradRows64, l.SumRows64, r64, p64)
				l0d, lg0d, g0d, g02d, s0d, pos0d := rowsOf(Generic.LossRows64, Generic.LossGradRows64, Generic.SumRows64, r64, p64)
				for i := range l0d {
					if !eq(l1d[i], l0d[i]) || !eq(lg1d[i], lg0d[i]) || !eq(g1d[i], g0d[i]) || !eq(g12d[i], g02d[i]) {
						t.Fatalf("%s: element %d (x=%v): %v %v %v %v; generic %v %v %v %v", what, i, r64.X[i], l1d[i], lg1d[i], g1d[i], g12d[i], l0d[i], lg0d[i], g0d[i], g02d[i])
					}
				}
				if pos1d != pos0d || !(math.Abs(s1d-s0d) <= 1e-13*math.Abs(s0d)) && !(s1d != s1d && s0d != s0d) && s1d != s0d {
					t.Fatalf("%s: SumRows %v, %d; generic %v, %d", what, s1d, pos1d, s0d, pos0d)
				}
			}
		}
	}
}
