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

// rowsSame fails t unless every level's rows form gives impl/asm's Generic
// results on r and p in float32 (bit for bit; Sum within 1e-6) and this
// package's Generic results on r's float64 copy.
func rowsSame(t *testing.T, what string, r Rows[float32], p Params) {
	t.Helper()
	eq := func(a, b float64) bool {
		return math.Float64bits(a) == math.Float64bits(b) || a != a && b != b || a == 0 && b == 0
	}
	sumEq := func(a, b float64) bool { return a == b || a != a && b != b || math.Abs(a-b) <= 1e-6*math.Abs(b) }
	r64 := Rows[float64]{X: make([]float64, len(r.X)), Labels: r.Labels, C: r.C}
	for i, v := range r.X {
		r64.X[i] = float64(v)
	}
	if r.Weight != nil {
		r64.Weight = make([]float64, len(r.Weight))
		for i, v := range r.Weight {
			r64.Weight[i] = float64(v)
		}
	}
	for _, l := range Levels()[1:] {
		l1, lg1, g1, _, s1, _ := rowsOf(l.LossRows32, l.LossGradRows32, l.SumRows32, r, p)
		l0, lg0, g0, _, s0, _ := rowsOf(asm.Generic.LossRows32, asm.Generic.LossGradRows32, asm.Generic.SumRows32, r, p)
		for i := range l0 {
			if !eq(float64(l1[i]), float64(l0[i])) || !eq(float64(lg1[i]), float64(lg0[i])) || !eq(float64(g1[i]), float64(g0[i])) {
				t.Fatalf("archsimd-%v float32 %s: element %d (x=%v): %v %v %v; asm-generic %v %v %v", l, what, i, r.X[i], l1[i], lg1[i], g1[i], l0[i], lg0[i], g0[i])
			}
		}
		if !sumEq(s1, s0) {
			t.Fatalf("archsimd-%v float32 %s: SumRows %v; asm-generic %v", l, what, s1, s0)
		}
		d1, dg1, e1, _, t1, _ := rowsOf(l.LossRows64, l.LossGradRows64, l.SumRows64, r64, p)
		d0, dg0, e0, _, t0, _ := rowsOf(Generic.LossRows64, Generic.LossGradRows64, Generic.SumRows64, r64, p)
		for i := range d0 {
			if !eq(d1[i], d0[i]) || !eq(dg1[i], dg0[i]) || !eq(e1[i], e0[i]) {
				t.Fatalf("archsimd-%v float64 %s: element %d (x=%v): %v %v %v; generic %v %v %v", l, what, i, r64.X[i], d1[i], dg1[i], e1[i], d0[i], dg0[i], e0[i])
			}
		}
		if !sumEq(t1, t0) {
			t.Fatalf("archsimd-%v float64 %s: SumRows %v; generic %v", l, what, t1, t0)
		}
	}
}

// TestRowsEdges holds the rows lanes to the model on the paths that
// TestRowsAgree's random inputs may miss: float32 lanes of Sum overflowing
// (losses near MaxFloat32, summed again in float64), α_t = 0 at x = ±Inf
// (0·Inf in the lanes, redone by the model), NaN logits, and smoothed
// targets at σ(x) ≈ t, where the general form leaves gradients to float64.
func TestRowsEdges(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	const n, c = 37, 19
	labels := make([]int32, n)
	for i := range labels {
		labels[i] = int32(rng.IntN(c+2)) - 1
	}
	mk := func(f func(i int) float32) Rows[float32] {
		x := make([]float32, n*c)
		for i := range x {
			x[i] = f(i)
		}
		return Rows[float32]{X: x, Labels: labels, C: c}
	}
	huge := mk(func(i int) float32 { return float32(1-2*(i&1)) * math.MaxFloat32 * 0.75 })
	rowsSame(t, "losses near MaxFloat32", huge, Params{Alpha: -1, Gamma: 2})
	rowsSame(t, "losses near MaxFloat32, γ = 1.5", huge, Params{Alpha: 0.25, Gamma: 1.5})
	inf := mk(func(i int) float32 { return float32(math.Inf(1 - 2*(i%3&1))) })
	ca := make([]float64, c)
	for k := range ca {
		ca[k] = float64(k % 2) // α 0 and 1 in turn: α_t = 0 for one target or the other
	}
	rowsSame(t, "±Inf with α 0 and 1", inf, Params{Alpha: 0, Gamma: 2, ClassAlpha: ca})
	rowsSame(t, "±Inf with α = 1", inf, Params{Alpha: 1, Gamma: 1.5})
	nan := mk(func(i int) float32 {
		if i%5 == 0 {
			return float32(math.NaN())
		}
		return float32(rng.NormFloat64() * 4)
	})
	rowsSame(t, "NaN logits", nan, Params{Alpha: 0.25, Gamma: 2, Smoothing: 0.1})
	rowsSame(t, "NaN logits, hard", nan, Params{Alpha: 0.25, Gamma: 0.5})
	for _, eps := range []float64{0.1, 1} {
		t1, t0 := rows.Targets[float32](eps)
		near := mk(func(i int) float32 {
			tt := t0
			if i%7 == 0 {
				tt = t1
			}
			logit := math.Log(float64(tt) / (1 - float64(tt)))
			return float32(logit + rng.NormFloat64()*1e-6)
		})
		for _, g := range []float64{2, 1.5, 0} {
			rowsSame(t, fmt.Sprintf("σ(x) ≈ t, ε = %v, γ = %v", eps, g), near, Params{Alpha: 0.25, Gamma: g, Smoothing: eps})
		}
	}
	tiny := mk(func(i int) float32 { return float32(rng.NormFloat64() * 4) })
	rowsSame(t, "tiny α", tiny, Params{Alpha: 1e-120, Gamma: 2})
	rowsSame(t, "γ = 7", tiny, Params{Alpha: 0.25, Gamma: 7})
}

// TestRowsNoAlloc: the rows functions allocate nothing at any level, in
// either type, with or without weights, smoothing and class α, for C
// within and past rows.Cap.
func TestRowsNoAlloc(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	n := 20 // past the rows the lanes leave to the padded call
	if testing.Short() {
		n = 3 // under emulation (make avx512-emu) the model's float64 smoothing is slow
	}
	for _, l := range Levels() {
		for _, c := range []int{80, rows.Cap + 33} {
			for wmode := range 3 {
				r32 := kerneltest.RowsInputs[float32](rng, n, c, kerneltest.LabMixed, wmode)
				r64 := kerneltest.RowsInputs[float64](rng, n, c, kerneltest.LabMixed, wmode)
				l32, g32 := make([]float32, len(r32.X)), make([]float32, len(r32.X))
				l64, g64 := make([]float64, len(r64.X)), make([]float64, len(r64.X))
				ca := make([]float64, c)
				for k := range ca {
					ca[k] = 0.25
				}
				for _, p := range []Params{{Alpha: 0.25, Gamma: 2}, {Alpha: 0.25, Gamma: 1.5, Smoothing: 0.1, ClassAlpha: ca}} {
					if a := testing.AllocsPerRun(5, func() {
						l.LossRows32(l32, r32, p)
						l.SumRows32(r32, p)
						l.LossGradRows32(l32, g32, r32, p)
						l.LossGradRows32(nil, g32, r32, p)
						l.LossRows64(l64, r64, p)
						l.SumRows64(r64, p)
						l.LossGradRows64(l64, g64, r64, p)
					}); a != 0 {
						t.Errorf("archsimd-%v C=%d weights=%d %+v: %v allocations", l, c, wmode, p, a)
					}
				}
			}
		}
	}
}
