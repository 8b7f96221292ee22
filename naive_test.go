package focal_test

import (
	"math"
	"testing"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/internal/accuracy"
	"github.com/focalkernels/focal/internal/golden"
)

// The naive kernel is held to its declared valid range by the golden test
// (its registry bar, see TestGolden32); here its declaration is shown not to
// be too narrow: outside it, many golden rows break.
func TestNaiveBreaksOutsideRange(t *testing.T) {
	for _, c := range []struct {
		out accuracy.Outputs
		bar focal.Bar
	}{
		{accuracy.Run(kernel[float32](t, "naive")), bar[float32](t, "naive")},
		{accuracy.Run(kernel[float64](t, "naive")), bar[float64](t, "naive")},
	} {
		var broken int
		for i, r := range golden.Rows() {
			if c.bar.InRange(r.X, r.Gamma) {
				continue
			}
			lossErr := math.Abs(c.out.Loss[i]-r.RefLoss) / r.RefLoss
			gradErr := math.Abs(c.out.Grad[i]-r.RefGrad) / r.RefGradScale
			if !(lossErr <= c.bar.Rel) || !(gradErr <= c.bar.Rel) {
				broken++
			}
		}
		t.Logf("float%d: %d golden rows outside |x| ≤ %g break (NaN, Inf or error > %g)", c.out.Bits, broken, c.bar.MaxAbsX, c.bar.Rel)
		if broken < 100 {
			t.Errorf("float%d: only %d rows outside |x| ≤ %g break; the declared range is too narrow", c.out.Bits, broken, c.bar.MaxAbsX)
		}
	}
}

func bar[F focal.Float](t *testing.T, name string) focal.Bar {
	t.Helper()
	b, ok := focal.BarOf[F](name)
	if !ok {
		t.Fatalf("no bar for %q", name)
	}
	return b
}

// TestNaiveBreaks pins the textbook failures that the README describes.
func TestNaiveBreaks(t *testing.T) {
	p := focal.Params{Alpha: 0.25, Gamma: 2}
	n32 := kernel[float32](t, "naive")
	loss := make([]float32, 1)
	// float32: p rounds to 1 at x = 17, so log(1-p) = -Inf and 0·(-Inf) = NaN.
	n32.Loss(loss, []float32{17}, []float32{1}, p)
	if !math.IsNaN(float64(loss[0])) {
		t.Errorf("naive float32 at x=17, t=1: %v, want NaN", loss[0])
	}
	// float32: 1-p cancels: at x = 15, t = 0 the loss is off by far more than 1e-3.
	n32.Loss(loss, []float32{15}, []float32{0}, p)
	var ref [1]float32
	kernel[float32](t, "stable").Loss(ref[:], []float32{15}, []float32{0}, p)
	if e := math.Abs(float64(loss[0]-ref[0])) / float64(ref[0]); e < 1e-3 {
		t.Errorf("naive float32 at x=15, t=0: relative error %.2g, want the cancellation to show (≥ 1e-3)", e)
	}
	// float64: e^-x overflows below x ≈ -709.8, so p = 0 and the loss is NaN.
	loss64 := make([]float64, 1)
	kernel[float64](t, "naive").Loss(loss64, []float64{-800}, []float64{0}, p)
	if !math.IsNaN(loss64[0]) {
		t.Errorf("naive float64 at x=-800, t=0: %v, want NaN", loss64[0])
	}
}

func kernel[F focal.Float](t *testing.T, name string) focal.Kernel[F] {
	t.Helper()
	for _, k := range focal.Kernels[F]() {
		if k.Name() == name {
			return k
		}
	}
	t.Fatalf("no kernel %q", name)
	return nil
}
