package stable

import (
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
)

// The softmax functions meet the softmax bar (loss within 4 ULP, each
// gradient component within 8·eps of its value; see kerneltest's harness
// for the measure) on every golden row and on random rows against the
// math/big reference, float32 and float64. (impl/internal/softmax's tests
// hold the algorithm to 1 ULP and 2·eps; measured there: 0 ULP and 0·eps
// on the golden rows.)
func TestSoftmaxBar(t *testing.T) {
	check := func(what string, e kerneltest.SoftmaxErrs, msg string) {
		t.Helper()
		if msg != "" {
			t.Fatalf("%s: %s", what, msg)
		}
		t.Logf("%s: %v", what, e)
		if e.Loss > 4 || e.Grad > 8 || e.NaN > 0 {
			t.Errorf("%s: over the bar", what)
		}
	}
	f32 := kerneltest.SoftmaxFuncs[float32]{Loss: SoftmaxLoss32, Sum: SoftmaxSum32, LossGrad: SoftmaxLossGrad32}
	f64 := kerneltest.SoftmaxFuncs[float64]{Loss: SoftmaxLoss64, Sum: SoftmaxSum64, LossGrad: SoftmaxLossGrad64}
	e, msg := kerneltest.SoftmaxGolden(f32)
	check("float32 golden", e, msg)
	e, msg = kerneltest.SoftmaxGolden(f64)
	check("float64 golden", e, msg)
	e, msg = kerneltest.SoftmaxRandom(f32, 10, testing.Short())
	check("float32 random", e, msg)
	e, msg = kerneltest.SoftmaxRandom(f64, 10, testing.Short())
	check("float64 random", e, msg)
}

// The softmax functions allocate nothing.
func TestSoftmaxAllocs(t *testing.T) {
	r := Rows[float32]{X: make([]float32, 80*16), Labels: make([]int32, 16), C: 80}
	loss, grad := make([]float32, 16), make([]float32, 80*16)
	p := Params{Alpha: 0.25, Gamma: 2}
	if n := testing.AllocsPerRun(10, func() {
		SoftmaxLossGrad32(loss, grad, r, p)
		SoftmaxLoss32(loss, r, p)
		SoftmaxSum32(r, p)
	}); n != 0 {
		t.Errorf("%v allocations per run", n)
	}
}
