package softmax

import (
	"math"
	"testing"

	"github.com/focalkernels/focal/impl/internal/form"
	"github.com/focalkernels/focal/impl/internal/kerneltest"
)

func funcs[F kerneltest.Float]() kerneltest.SoftmaxFuncs[F] {
	return kerneltest.SoftmaxFuncs[F]{Loss: Loss[F], Sum: Sum[F], LossGrad: LossGrad[F]}
}

// TestAccuracy holds the algorithm to the truth on the golden rows and on
// random rows of every kind and class count (kerneltest's harness): the
// loss within 1 ULP, each gradient component within 2·eps of its value,
// float32 and float64. The kernels' bar (4 ULP, 8·eps) is asserted where
// they are registered; this is the algorithm's own, tighter one.
func TestAccuracy(t *testing.T) {
	testAccuracy[float32](t)
	testAccuracy[float64](t)
}

func testAccuracy[F kerneltest.Float](t *testing.T) {
	e, msg := kerneltest.SoftmaxGolden(funcs[F]())
	if msg != "" {
		t.Fatal(msg)
	}
	t.Logf("float%d golden: %v", bits[F](), e)
	check := func(e kerneltest.SoftmaxErrs) {
		if e.Loss > 1 || e.Grad > 2 || e.NaN > 0 {
			t.Errorf("float%d: %v; want within 1 ULP and 2 eps", bits[F](), e)
		}
	}
	check(e)
	seeds := uint64(3)
	if testing.Short() {
		seeds = 1
	}
	for seed := range seeds {
		e, msg := kerneltest.SoftmaxRandom(funcs[F](), seed, testing.Short())
		if msg != "" {
			t.Fatal(msg)
		}
		t.Logf("float%d random, seed %d: %v", bits[F](), seed, e)
		check(e)
	}
}

func bits[F kerneltest.Float]() int {
	if kerneltest.Is32[F]() {
		return 32
	}
	return 64
}

// TestSpecial: the special cases the package doc states.
func TestSpecial(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	type want struct {
		loss float64
		grad []float64
	}
	a := 0.25
	for _, c := range []struct {
		name  string
		x     []float64
		label int
		gamma float64
		want  want
	}{
		{"C=1", []float64{3}, 0, 2, want{0, []float64{0}}},
		{"C=1 γ=0", []float64{-inf}, 0, 0, want{0, []float64{0}}},
		{"NaN", []float64{1, nan, 2}, 0, 2, want{nan, []float64{nan, nan, nan}}},
		{"x_c=+Inf", []float64{inf, 1, 2}, 0, 2, want{0, []float64{0, 0, 0}}},
		{"x_c=+Inf γ=0", []float64{inf, 1, 2}, 0, 0, want{0, []float64{0, 0, 0}}},
		{"x_c=-Inf", []float64{-inf, 0, 0}, 0, 2, want{inf, []float64{-a, a / 2, a / 2}}},
		{"+Inf elsewhere", []float64{5, inf, 2}, 0, 1.5, want{inf, []float64{-a, a, 0}}},
		{"two +Inf", []float64{inf, inf, 2}, 0, 0, want{a * math.Ln2, []float64{-a / 2, a / 2, 0}}},
		{"all -Inf", []float64{-inf, -inf, -inf, -inf}, 1, 0, want{a * math.Log(4), []float64{a / 4, -3 * a / 4, a / 4, a / 4}}},
		{"p_c rounds to 1", []float64{800, 0}, 0, 0, want{0, []float64{0, 0}}},
	} {
		for _, is32 := range []bool{false, true} {
			loss, grad := run(c.x, c.label, a, c.gamma, is32)
			ok := same(loss, c.want.loss, is32)
			for j := range grad {
				ok = ok && same(grad[j], c.want.grad[j], is32)
			}
			if !ok {
				t.Errorf("%s (float32 %v): loss %v grad %v, want %v %v", c.name, is32, loss, grad, c.want.loss, c.want.grad)
			}
		}
	}
}

// run computes one row in float64 or float32.
func run(x []float64, label int, alpha, gamma float64, is32 bool) (float64, []float64) {
	p := form.Params{Alpha: alpha, Gamma: gamma}
	out := make([]float64, len(x))
	if is32 {
		r := form.Rows[float32]{C: len(x), Labels: []int32{int32(label)}}
		for _, v := range x {
			r.X = append(r.X, float32(v))
		}
		loss, grad := make([]float32, 1), make([]float32, len(x))
		LossGrad(loss, grad, r, p)
		for j, g := range grad {
			out[j] = float64(g)
		}
		return float64(loss[0]), out
	}
	loss := make([]float64, 1)
	LossGrad(loss, out, form.Rows[float64]{X: x, C: len(x), Labels: []int32{int32(label)}}, p)
	return loss[0], out
}

// same compares with the expected value rounded to the type (NaN = NaN).
func same(got, want float64, is32 bool) bool {
	if is32 {
		want = float64(float32(want))
	}
	return got == want || (got != got && want != want)
}

// A weight or α_c of 0 gives 0 even where FL is +Inf; an ignored row is 0
// and adds nothing to Sum, which counts the rows not ignored.
func TestZeroWeightIgnored(t *testing.T) {
	inf := math.Inf(1)
	r := form.Rows[float64]{
		X:      []float64{-inf, 1, 2, 3, 0, 0, 5, 1e30, -1},
		Labels: []int32{0, -1, 2},
		C:      3,
		Weight: []float64{0, 1, 2},
	}
	p := form.Params{Alpha: 0.25, Gamma: 2}
	loss, grad := make([]float64, 3), make([]float64, 9)
	LossGrad(loss, grad, r, p)
	for j := range 6 {
		if grad[j] != 0 {
			t.Errorf("grad[%d] = %v, want 0 (weight 0, ignored row)", j, grad[j])
		}
	}
	if loss[0] != 0 || loss[1] != 0 || !(loss[2] > 0) {
		t.Errorf("loss %v, want 0, 0 and > 0", loss)
	}
	s, rows := Sum(r, p)
	if s != loss[2] || rows != 2 {
		t.Errorf("Sum = %v, %d; want %v, 2", s, rows, loss[2])
	}
}
