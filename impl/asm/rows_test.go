package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
	"github.com/focalkernels/focal/impl/internal/rows"
)

// shifted returns a copy of s starting off elements into a larger array.
func shifted[T any](s []T, off int) []T {
	if s == nil {
		return nil
	}
	b := make([]T, len(s)+off)[off:]
	copy(b, s)
	return b
}

// TestRowsAgree: the rows form at every vector level gives Generic's
// results (the model's, impl/internal/model's rows.go) bit for bit in loss
// and gradient (any NaN for a NaN, either zero for a zero), and Generic's sum within 1e-6 (float32) or 1e-13 (float64)
// relative and its positive count, for every label pattern, weights none,
// per row and per element, class α or not, smoothing or not, γ in both
// modes, C from 1 past the vector widths and past rows.Cap (the chunked
// path), N from 0 past rowsMaxW (the padded tail), at three offsets of the
// slices; and writes nothing past its outputs.
func TestRowsAgree(t *testing.T) {
	testRowsAgree[float32](t, 1e-6)
	testRowsAgree[float64](t, 1e-13)
}

func testRowsAgree[F float32 | float64](t *testing.T, sumTol float64) {
	rng := rand.New(rand.NewPCG(5, 6))
	cs := []int{1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 33, 80}
	ns := []int{0, 1, 2, 3, 5, 15, 16, 17, 19, 33}
	if testing.Short() {
		cs, ns = []int{1, 3, 16, 17, 80}, []int{0, 1, 5, 17, 19}
	}
	type size struct{ n, c int }
	var sizes []size
	for _, c := range cs {
		for _, n := range ns {
			sizes = append(sizes, size{n, c})
		}
	}
	sizes = append(sizes, size{1, rows.Cap + 76}, size{3, 2*rows.Cap + 5}, size{2, rows.Cap})
	for _, l := range vectorLevels() {
		elems := 0
		for _, sz := range sizes {
			reps := 6
			if sz.c > rows.Cap {
				reps = 3
			}
			for rep := range reps {
				pattern := (rep + sz.n) % kerneltest.NLabels
				if rep == 0 {
					pattern = kerneltest.LabMixed
				}
				wmode, ca := rng.IntN(3), rng.IntN(2) == 0
				r := kerneltest.RowsInputs[F](rng, sz.n, sz.c, pattern, wmode)
				p := kerneltest.RowsParams(rng, sz.c, ca)
				off := rep % 3
				what := fmt.Sprintf("%v float%d N=%d C=%d labels=%d weights=%d class α=%v %+v off=%d", l, 8*sizeOf[F](), sz.n, sz.c, pattern, wmode, ca, p, off)
				checkRowsAgree(t, l, r, p, off, sumTol, what)
				elems += sz.n * sz.c
			}
		}
		t.Logf("%v float%d: %d elements agree with generic", l, 8*sizeOf[F](), elems)
	}
}

func sizeOf[F float32 | float64]() int {
	var f F
	if any(f) == any(float32(0)) {
		return 4
	}
	return 8
}

func checkRowsAgree[F float32 | float64](t *testing.T, l Level, r Rows[F], p Params, off int, sumTol float64, what string) {
	t.Helper()
	nc := len(r.X)
	ref, refG := make([]F, nc), make([]F, nc)
	lossRows(Generic, ref, r, p)
	lossGradRows(Generic, nil, refG, r, p)
	refS, refPos := sumRows(Generic, r, p)
	rs := Rows[F]{X: shifted(r.X, off), Labels: shifted(r.Labels, off), C: r.C, Weight: shifted(r.Weight, off)}
	filledF := func(n int) []F {
		s := make([]F, n)
		for i := range s {
			s[i] = F(kerneltest.Sentinel)
		}
		return s
	}
	d := filledF(nc + off + 20)[off:]
	lossRows(l, d[:nc], rs, p)
	loss, grad := filledF(nc + off + 20)[off:], filledF(nc + off + 20)[off:]
	lossGradRows(l, loss[:nc], grad[:nc], rs, p)
	g2 := filledF(nc + 20)
	lossGradRows(l, nil, g2[:nc], rs, p)
	for _, o := range []struct {
		name string
		s    []F
	}{{"LossRows", d}, {"LossGradRows loss", loss}, {"LossGradRows grad", grad}, {"LossGradRows(nil) grad", g2}} {
		for i := nc; i < len(o.s); i++ {
			if o.s[i] != F(kerneltest.Sentinel) {
				t.Fatalf("%s: %s wrote element %d past the end: %v", what, o.name, i, o.s[i])
			}
		}
	}
	// bit for bit, but any NaN for a NaN and either zero for a zero: the
	// lanes' NaNs and the model's differ in sign and payload, and the
	// general body gives a hard lane's gradient at a huge x +0 where the hard
	// element gives -0 (as the flat kernels do)
	same := func(a, b F) bool {
		return math.Float64bits(float64(a)) == math.Float64bits(float64(b)) || a != a && b != b || a == 0 && b == 0
	}
	for i := range nc {
		if !same(d[i], ref[i]) || !same(loss[i], ref[i]) || !same(grad[i], refG[i]) || !same(g2[i], refG[i]) {
			n, c := i/r.C, i%r.C
			t.Fatalf("%s: element %d (row %d label %d, class %d, x=%v): LossRows %v, LossGradRows %v, %v (nil loss: %v); generic %v, %v",
				what, i, n, r.Labels[n], c, r.X[i], d[i], loss[i], grad[i], g2[i], ref[i], refG[i])
		}
	}
	s, pos := sumRows(l, rs, p)
	if pos != refPos || !(math.Abs(s-refS) <= sumTol*math.Abs(refS)) && !(s != s && refS != refS) && s != refS {
		t.Fatalf("%s: SumRows %v, %d positive; generic %v, %d", what, s, pos, refS, refPos)
	}
}

// lossRows, sumRows and lossGradRows are a level's rows functions for
// either element type.
func lossRows[F float32 | float64](l Level, dst []F, r Rows[F], p Params) {
	switch d := any(dst).(type) {
	case []float32:
		l.LossRows32(d, any(r).(Rows[float32]), p)
	case []float64:
		l.LossRows64(d, any(r).(Rows[float64]), p)
	}
}

func sumRows[F float32 | float64](l Level, r Rows[F], p Params) (float64, int) {
	switch r := any(r).(type) {
	case Rows[float32]:
		return l.SumRows32(r, p)
	case Rows[float64]:
		return l.SumRows64(r, p)
	}
	panic("unreachable")
}

func lossGradRows[F float32 | float64](l Level, loss, grad []F, r Rows[F], p Params) {
	switch g := any(grad).(type) {
	case []float32:
		l.LossGradRows32(any(loss).([]float32), g, any(r).(Rows[float32]), p)
	case []float64:
		l.LossGradRows64(any(loss).([]float64), g, any(r).(Rows[float64]), p)
	}
}
