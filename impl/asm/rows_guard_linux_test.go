//go:build linux

package asm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
)

// TestRowsGuardPages: no level's rows form reads or writes outside x, the
// labels, the weights or the outputs, with each against an inaccessible page
// on either side, for N = 0..20 rows (the padded tail of the last rowsMaxW
// rows among them) of C around the vector widths, weights none, per row and
// per element, with and without smoothing; and the results are Generic's.
func TestRowsGuardPages(t *testing.T) {
	testRowsGuardPages[float32](t)
	testRowsGuardPages[float64](t)
}

func testRowsGuardPages[F float32 | float64](t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 28))
	for _, l := range testLevels() {
		for _, front := range []bool{false, true} {
			for _, c := range []int{1, 3, 8, 16, 17} {
				for n := 0; n <= 20; n++ {
					wmode := (n + c) % 3
					r0 := kerneltest.RowsInputs[F](rng, n, c, (n+c)%kerneltest.NLabels, wmode)
					p := kerneltest.RowsParams(rng, c, n%2 == 0)
					what := fmt.Sprintf("%v float%d front=%v N=%d C=%d weights=%d %+v", l, 8*sizeOf[F](), front, n, c, wmode, p)
					r := Rows[F]{X: kerneltest.Guarded[F](t, n*c, front), Labels: kerneltest.Guarded[int32](t, n, front), C: c}
					copy(r.X, r0.X)
					copy(r.Labels, r0.Labels)
					if r0.Weight != nil {
						r.Weight = kerneltest.Guarded[F](t, len(r0.Weight), front)
						copy(r.Weight, r0.Weight)
					}
					ref, refG := make([]F, n*c), make([]F, n*c)
					lossGradRows(Generic, ref, refG, r0, p)
					d := kerneltest.Guarded[F](t, n*c, front)
					lossRows(l, d, r, p)
					loss, grad := kerneltest.Guarded[F](t, n*c, front), kerneltest.Guarded[F](t, n*c, front)
					lossGradRows(l, loss, grad, r, p)
					s, _ := sumRows(l, r, p)
					refS, _ := sumRows(Generic, r0, p)
					for i := range ref {
						eq := func(a, b F) bool { return a == b || a != a && b != b }
						if !eq(d[i], ref[i]) || !eq(loss[i], ref[i]) || !eq(grad[i], refG[i]) {
							t.Fatalf("%s: element %d: %v, %v, %v; generic %v, %v", what, i, d[i], loss[i], grad[i], ref[i], refG[i])
						}
					}
					if s != refS && !(s != s && refS != refS) && !(s-refS <= 1e-6*refS && refS-s <= 1e-6*refS) {
						t.Fatalf("%s: SumRows %v, generic %v", what, s, refS)
					}
				}
			}
		}
	}
}
