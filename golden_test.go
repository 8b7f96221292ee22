package focal_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/internal/accuracy"
	"github.com/focalkernels/focal/internal/golden"
)

// bar is a kernel's declared accuracy over the golden rows whose truth is a
// normal float: max loss ULP and max scaled gradient error.
type bar struct {
	loss uint64
	grad float64
}

// bars32 and bars64 are the accuracy each kernel is held to; asm-* kernels
// share one bar. Naive is held to its own valid range in TestNaiveValidRange.
var (
	bars32 = map[string]bar{"stable": {1, 2}, "asm": {4, 8}}
	bars64 = map[string]bar{"stable": {4, 8}}
)

func barFor(bars map[string]bar, name string) (bar, bool) {
	if b, ok := bars[name]; ok {
		return b, true
	}
	b, ok := bars[strings.SplitN(name, "-", 2)[0]]
	return b, ok
}

func TestGolden32(t *testing.T) { testGolden(t, focal.Kernels[float32](), 32, bars32) }
func TestGolden64(t *testing.T) { testGolden(t, focal.Kernels[float64](), 64, bars64) }

func testGolden[F focal.Float](t *testing.T, ks []focal.Kernel[F], bits int, bars map[string]bar) {
	rows := golden.Rows()
	var sums []accuracy.Summary
	for _, k := range ks {
		out := accuracy.Run(k)
		errs := accuracy.Errors(out)
		sums = append(sums, accuracy.Summarize(k.Name(), errs, nil))
		b, ok := barFor(bars, k.Name())
		if !ok {
			continue
		}
		for _, e := range errs {
			r := rows[e.Row]
			if e.NonFinite {
				t.Errorf("%s: row %d (x=%g t=%g α=%g γ=%g): loss %g grad %g, truth is finite",
					k.Name(), e.Row, r.X, r.T, r.Alpha, r.Gamma, out.Loss[e.Row], out.Grad[e.Row])
			}
			if e.LossNormal && e.LossULP > b.loss {
				t.Errorf("%s: row %d (x=%g t=%g α=%g γ=%g): loss %v is %d ULP from %v, bar %d",
					k.Name(), e.Row, r.X, r.T, r.Alpha, r.Gamma, out.Loss[e.Row], e.LossULP, r.RefLoss, b.loss)
			}
			if e.GradNormal && e.GradErr > b.grad {
				t.Errorf("%s: row %d (x=%g t=%g α=%g γ=%g): grad %v vs %v: error %.3g·scale·eps, bar %g",
					k.Name(), e.Row, r.X, r.T, r.Alpha, r.Gamma, out.Grad[e.Row], r.RefGrad, e.GradErr, b.grad)
			}
			if !e.LossNormal && !tinyOK(out.Loss[e.Row], r.RefLoss, bits) {
				t.Errorf("%s: row %d (x=%g t=%g): loss %v, truth %v is not a normal float%d",
					k.Name(), e.Row, r.X, r.T, out.Loss[e.Row], r.RefLoss, bits)
			}
		}
	}
	sums = append(sums, accuracy.Summarize("torchvision", accuracy.Errors(accuracy.Torchvision(bits)), nil))
	var buf bytes.Buffer
	accuracy.WriteTable(&buf, "float"+map[int]string{32: "32", 64: "64"}[bits], sums)
	t.Logf("golden rows, against mpmath:\n%s", buf.String())
}

// tinyOK holds a kernel to the truth where the truth is zero, subnormal or
// overflows: within one smallest normal of it, or the same infinity.
func tinyOK(got, ref float64, bits int) bool {
	minNormal, maxFinite := 0x1p-1022, math.MaxFloat64
	if bits == 32 {
		minNormal, maxFinite = 0x1p-126, math.MaxFloat32
	}
	if math.Abs(ref) > maxFinite {
		return math.IsInf(got, int(math.Copysign(1, ref)))
	}
	return math.Abs(got-ref) <= minNormal
}
