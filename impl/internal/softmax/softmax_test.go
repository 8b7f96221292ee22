package softmax

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/internal/form"
	"github.com/focalkernels/focal/impl/internal/kerneltest"
	"github.com/focalkernels/focal/internal/bigref"
	"github.com/focalkernels/focal/internal/ulp"
)

// errs are the largest errors seen against the truth: the loss in ULP, each
// gradient component in units of eps relative to its value (ulp.RelErr).
type errs struct {
	loss uint64
	grad float64
	at   string
}

// check compares one row of a float type's results with the math/big truth.
func (e *errs) check(t *testing.T, x []float64, c int, w, alpha, gamma float64, loss float64, grad []float64, is32 bool, what string) {
	t.Helper()
	ref := bigref.Softmax(x, c, w, alpha, gamma)
	var dl uint64
	if is32 {
		dl = ulp.Dist32(float32(loss), ref.Loss32())
	} else {
		dl = ulp.Dist64(loss, ref.Loss64())
	}
	if dl > e.loss {
		e.loss, e.at = dl, what
	}
	for j := range grad {
		var g float64
		if is32 {
			g = ulp.RelErr(grad[j], float64(ref.Grad32(j)), ulp.Eps32, ulp.MinNormal32)
		} else {
			g = ulp.RelErr(grad[j], ref.Grad64(j), ulp.Eps64, ulp.MinNormal64)
		}
		e.grad = max(e.grad, g)
	}
}

// randomRows is a batch of test rows of one kind and class count, with
// weights, α (ClassAlpha on some) and γ drawn as the bars are stated on.
func randomRows[F kerneltest.Float](rng *rand.Rand, n, c, kind int) (form.Rows[F], form.Params) {
	r := form.Rows[F]{C: c}
	for range n {
		x, l := kerneltest.SoftmaxRow[F](rng, c, kind)
		r.X = append(r.X, x...)
		r.Labels = append(r.Labels, int32(l))
	}
	if rng.IntN(2) == 0 {
		for range n {
			r.Weight = append(r.Weight, F(rng.Float64()*4))
		}
	}
	p := form.Params{Alpha: []float64{-1, 0.25, 0, 1, rng.Float64()}[rng.IntN(5)]}
	p.Gamma = append(kerneltest.Gammas, rng.Float64()*5)[rng.IntN(len(kerneltest.Gammas)+1)]
	if rng.IntN(4) == 0 {
		p.ClassAlpha = make([]float64, c)
		for j := range p.ClassAlpha {
			p.ClassAlpha[j] = rng.Float64()
		}
	}
	return r, p
}

func testRandom[F kerneltest.Float](t *testing.T, seed uint64) errs {
	rng := rand.New(rand.NewPCG(seed, 7))
	var e errs
	for kind := range kerneltest.SoftmaxKinds {
		for _, c := range kerneltest.SoftmaxCs {
			n := 16
			switch {
			case c >= 1000:
				n = 1
			case c >= 80:
				n = 3
			}
			if testing.Short() && c >= 1000 {
				continue
			}
			r, p := randomRows[F](rng, n, c, kind)
			loss, lgLoss := make([]F, n), make([]F, n)
			grad := make([]F, n*c)
			Loss(loss, r, p)
			LossGrad(lgLoss, grad, r, p)
			for i := range n {
				if math.Float64bits(float64(loss[i])) != math.Float64bits(float64(lgLoss[i])) {
					t.Fatalf("row %d: Loss %v, LossGrad's loss %v", i, loss[i], lgLoss[i])
				}
				x := make([]float64, c)
				g := make([]float64, c)
				for j := range x {
					x[j], g[j] = float64(r.X[i*c+j]), float64(grad[i*c+j])
				}
				w := 1.0
				if r.Weight != nil {
					w = float64(r.Weight[i])
				}
				what := kerneltest.SoftmaxKinds[kind]
				e.check(t, x, int(r.Labels[i]), w, AlphaOf(p, int(r.Labels[i])), p.Gamma, float64(loss[i]), g, kerneltest.Is32[F](), what)
			}
		}
	}
	return e
}

// TestRandom holds the algorithm to the math/big truth on random rows of
// every kind and class count: the loss within 1 ULP, each gradient component
// within 2·eps of its value, float32 and float64. (Measured: float64 0 ULP;
// float32 1 ULP only where the truth lies within 2^-150 of a float32
// midpoint, which the 200-bit reference cannot resolve.)
func TestRandom(t *testing.T) {
	seeds := uint64(3)
	if testing.Short() {
		seeds = 1
	}
	for seed := range seeds {
		e32 := testRandom[float32](t, seed)
		e64 := testRandom[float64](t, seed)
		t.Logf("seed %d: float32 loss %d ULP (%s), grad %.3g eps; float64 loss %d ULP (%s), grad %.3g eps",
			seed, e32.loss, e32.at, e32.grad, e64.loss, e64.at, e64.grad)
		if e32.loss > 1 || e32.grad > 2 || e64.loss > 1 || e64.grad > 2 {
			t.Errorf("over the bound")
		}
	}
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
