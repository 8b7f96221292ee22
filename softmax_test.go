package focal_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/focalkernels/focal"
)

// Every bad input the softmax form can get is an error that wraps the
// right sentinel and says what is wrong, and nothing is written.
func TestSoftmaxBadInput(t *testing.T) {
	bothTypes(t, testSoftmaxBadInput[float32], testSoftmaxBadInput[float64])
}

func testSoftmaxBadInput[F focal.Float](t *testing.T) {
	x := []F{1, 2, 3, 4, 5, 6} // two rows of three classes
	labels := []int32{0, 2}
	p := focal.Params{Alpha: 0.25, Gamma: 2}
	rows := func(mod func(*focal.Rows[F])) focal.Rows[F] {
		r := focal.Rows[F]{X: x, Labels: labels, C: 3}
		if mod != nil {
			mod(&r)
		}
		return r
	}
	nan := F(math.NaN())
	cases := []struct {
		name       string
		r          focal.Rows[F]
		p          focal.Params
		loss, grad int // output lengths
		nilLoss    bool
		err        error
		msg        string
		gradOnly   bool // only SoftmaxLossGrad has this output
	}{
		{"label = C", rows(func(r *focal.Rows[F]) { r.Labels = []int32{0, 3} }), p, 2, 6, false, focal.ErrTarget, "labels[1] = 3", false},
		{"label > C", rows(func(r *focal.Rows[F]) { r.Labels = []int32{7, 0} }), p, 2, 6, false, focal.ErrTarget, "labels[0] = 7", false},
		{"short labels", rows(func(r *focal.Rows[F]) { r.Labels = []int32{0} }), p, 1, 6, false, focal.ErrLength, "len(x) = 6", false},
		{"long x", rows(func(r *focal.Rows[F]) { r.X = append(slices.Clone(x), 7) }), p, 2, 7, false, focal.ErrLength, "len(x) = 7", false},
		{"C = 0", rows(func(r *focal.Rows[F]) { r.C = 0 }), p, 2, 6, false, focal.ErrLength, "C = 0", false},
		{"C < 0", rows(func(r *focal.Rows[F]) { r.C = -3 }), p, 2, 6, false, focal.ErrLength, "C = -3", false},
		{"per-element weight", rows(func(r *focal.Rows[F]) { r.Weight = make([]F, 6) }), p, 2, 6, false, focal.ErrLength, "len(weight) = 6", false},
		{"short weight", rows(func(r *focal.Rows[F]) { r.Weight = []F{1} }), p, 2, 6, false, focal.ErrLength, "len(weight) = 1", false},
		{"weight NaN", rows(func(r *focal.Rows[F]) { r.Weight = []F{1, nan} }), p, 2, 6, false, focal.ErrParams, "weight[1] = NaN", false},
		{"weight < 0", rows(func(r *focal.Rows[F]) { r.Weight = []F{-1, 1} }), p, 2, 6, false, focal.ErrParams, "weight[0] = -1", false},
		{"weight +Inf", rows(func(r *focal.Rows[F]) { r.Weight = []F{1, F(math.Inf(1))} }), p, 2, 6, false, focal.ErrParams, "weight[1] = +Inf", false},
		{"class_alpha length", rows(nil), focal.Params{Gamma: 2, ClassAlpha: []float64{0.5, 0.5}}, 2, 6, false, focal.ErrParams, "len(class_alpha) = 2", false},
		{"class_alpha > 1", rows(nil), focal.Params{Gamma: 2, ClassAlpha: []float64{0.5, 1.5, 0}}, 2, 6, false, focal.ErrParams, "class_alpha[1] = 1.5", false},
		{"class_alpha NaN", rows(nil), focal.Params{Gamma: 2, ClassAlpha: []float64{math.NaN(), 1, 0}}, 2, 6, false, focal.ErrParams, "class_alpha[0] = NaN", false},
		{"class_alpha < 0", rows(nil), focal.Params{Gamma: 2, ClassAlpha: []float64{0, 1, -0.5}}, 2, 6, false, focal.ErrParams, "class_alpha[2] = -0.5", false},
		{"alpha > 1", rows(nil), focal.Params{Alpha: 1.5, Gamma: 2}, 2, 6, false, focal.ErrParams, "alpha = 1.5", false},
		{"gamma < 0", rows(nil), focal.Params{Alpha: 0.25, Gamma: -1}, 2, 6, false, focal.ErrParams, "gamma = -1", false},
		{"gamma +Inf", rows(nil), focal.Params{Alpha: 0.25, Gamma: math.Inf(1)}, 2, 6, false, focal.ErrParams, "gamma = +Inf", false},
		{"smoothing", rows(nil), focal.Params{Alpha: 0.25, Gamma: 2, Smoothing: 0.1}, 2, 6, false, focal.ErrParams, "smoothing = 0.1", false},
		{"short loss", rows(nil), p, 1, 6, false, focal.ErrLength, "len(loss) = 1, want 2", false},
		{"per-element loss", rows(nil), p, 6, 6, false, focal.ErrLength, "len(loss) = 6, want 2", false},
		{"short grad", rows(nil), p, 2, 5, false, focal.ErrLength, "len(grad) = 5, want len(x) = 6", true},
		{"nil grad", rows(nil), p, 2, 0, true, focal.ErrLength, "len(grad) = 0", true},
	}
	for _, c := range cases {
		want := func(fn string, err error) { t.Helper(); wantErr(t, c.name+": "+fn, err, c.err, c.msg) }
		if !c.gradOnly {
			dst := filled[F](c.loss)
			want("SoftmaxLoss", focal.SoftmaxLoss(dst, c.r, c.p))
			if !untouched(dst) {
				t.Errorf("%s: SoftmaxLoss wrote %v on error", c.name, dst)
			}
			if c.loss == len(c.r.Labels) {
				_, _, err := focal.SoftmaxSum(c.r, c.p)
				want("SoftmaxSum", err)
			}
		}
		loss, grad := filled[F](c.loss), filled[F](c.grad)
		if c.nilLoss {
			loss = nil
		}
		want("SoftmaxLossGrad", focal.SoftmaxLossGrad(loss, grad, c.r, c.p))
		if !untouched(loss) || !untouched(grad) {
			t.Errorf("%s: SoftmaxLossGrad wrote on error: %v %v", c.name, loss, grad)
		}
	}
}

// The checked softmax functions write what Best's methods write, a nil
// loss included, and SoftmaxSum counts the rows not ignored; every kernel
// implements SoftmaxKernel, and SoftmaxBarOf declares a bar for it.
func TestSoftmaxCheckedGood(t *testing.T) {
	r := focal.Rows[float32]{X: []float32{1, 2, 3, 9, 0, 0, -1, 5, 2}, Labels: []int32{2, -1, 1}, C: 3, Weight: []float32{1, 3, 0.5}}
	p := focal.Params{Alpha: 0.25, Gamma: 2}
	loss, grad := make([]float32, 3), make([]float32, 9)
	if err := focal.SoftmaxLossGrad(loss, grad, r, p); err != nil {
		t.Fatal(err)
	}
	best := focal.Best[float32]().(focal.SoftmaxKernel[float32])
	wl, wg := make([]float32, 3), make([]float32, 9)
	best.SoftmaxLossGrad(wl, wg, r, p)
	if !slices.Equal(loss, wl) || !slices.Equal(grad, wg) {
		t.Errorf("checked %v %v, Best %v %v", loss, grad, wl, wg)
	}
	if err := focal.SoftmaxLossGrad(nil, grad, r, p); err != nil || !slices.Equal(grad, wg) {
		t.Errorf("nil loss: %v %v", grad, err)
	}
	if loss[1] != 0 || !slices.Equal(grad[3:6], []float32{0, 0, 0}) {
		t.Errorf("ignored row: loss %v grad %v", loss[1], grad[3:6])
	}
	dst := make([]float32, 3)
	if err := focal.SoftmaxLoss(dst, r, p); err != nil || !slices.Equal(dst, loss) {
		t.Errorf("SoftmaxLoss %v %v, SoftmaxLossGrad's %v", dst, err, loss)
	}
	s, rows, err := focal.SoftmaxSum(r, p)
	if err != nil || rows != 2 || math.Abs(s-float64(loss[0]+loss[2])) > 1e-6*s {
		t.Errorf("SoftmaxSum %v over %d rows (%v), losses %v", s, rows, err, loss)
	}
	if s, rows, err := focal.SoftmaxSum(focal.Rows[float64]{C: 5}, p); s != 0 || rows != 0 || err != nil {
		t.Errorf("no rows: %v %d %v", s, rows, err)
	}
	for _, k := range focal.Kernels[float64]() {
		if _, ok := k.(focal.SoftmaxKernel[float64]); !ok {
			t.Errorf("%s does not implement SoftmaxKernel", k.Name())
		}
		if b, ok := focal.SoftmaxBarOf[float64](k.Name()); !ok || !b.Declared() {
			t.Errorf("%s declares no softmax bar", k.Name())
		}
	}
}

// mmcv's own softmax focal loss test (tests/test_ops/test_focal_loss.py):
// its inputs, α = 0.25, γ = 2, reduction "mean", and the loss and gradient
// it asserts (to 8 decimals, computed in float32). Every kernel gives them,
// float32 and float64, within half a unit of the 8th decimal plus 4 ULP of
// float32 for mmcv's own arithmetic (the largest difference, 1.7e-8 on a
// gradient of 0.0907, is mmcv's: the exact value is 0.090704677).
func TestSoftmaxMMCV(t *testing.T) {
	cases := []struct {
		x      [][]float64
		labels []int32
		loss   float64
		grad   [][]float64
	}{
		{[][]float64{{1, 0}, {0, 1}}, []int32{0, 1}, 0.00566451,
			[][]float64{{-0.00657264, 0.00657264}, {0.00657264, -0.00657264}}},
		{[][]float64{{1, 0, -1}, {0, 1, 2}}, []int32{2, 1}, 0.34956908,
			[][]float64{{0.10165970, 0.03739851, -0.13905823}, {0.01227554, -0.10298023, 0.09070466}}},
		{[][]float64{{1e-6, 2e-6, 3e-6}, {4e-6, 5e-5, 6e-4}, {7e-3, 8e-2, 9e-1}}, []int32{1, 2, 0}, 0.15754992,
			[][]float64{{0.02590877, -0.05181759, 0.02590882}, {0.02589641, 0.02589760, -0.05179400}, {-0.07307514, 0.02234372, 0.05073142}}},
	}
	check := func(name string, loss float64, grad []float64, c int, w float64, want float64, wantGrad [][]float64) {
		t.Helper()
		// half a unit of the 8th decimal mmcv prints, and 4 ULP of float32
		// for its own float32 arithmetic (its test allows 1e-2)
		tol := func(v float64) float64 { return 5e-9 + 4*0x1p-23*math.Abs(v) }
		if math.Abs(loss-want) > tol(want) {
			t.Errorf("%s: mean loss %.8g, mmcv's %.8g", name, loss, want)
		}
		for i, g := range grad {
			if v := wantGrad[i/c][i%c]; math.Abs(g*w-v) > tol(v) {
				t.Errorf("%s: grad[%d] %.8g, mmcv's %.8g", name, i, g*w, v)
			}
		}
	}
	p := focal.Params{Alpha: 0.25, Gamma: 2}
	for ci, c := range cases {
		n, C := len(c.x), len(c.x[0])
		x32, x64 := []float32{}, []float64{}
		for _, row := range c.x {
			for _, v := range row {
				x32, x64 = append(x32, float32(v)), append(x64, float64(float32(v)))
			}
		}
		for _, k := range focal.Kernels[float32]() {
			sk := k.(focal.SoftmaxKernel[float32])
			s, _ := sk.SoftmaxSum(focal.Rows[float32]{X: x32, Labels: c.labels, C: C}, p)
			grad := make([]float32, n*C)
			sk.SoftmaxLossGrad(nil, grad, focal.Rows[float32]{X: x32, Labels: c.labels, C: C}, p)
			g := make([]float64, len(grad))
			for i, v := range grad {
				g[i] = float64(v)
			}
			check(fmt.Sprintf("case %d, %s float32", ci, k.Name()), s/float64(n), g, C, 1/float64(n), c.loss, c.grad)
		}
		for _, k := range focal.Kernels[float64]() {
			sk := k.(focal.SoftmaxKernel[float64])
			s, _ := sk.SoftmaxSum(focal.Rows[float64]{X: x64, Labels: c.labels, C: C}, p)
			grad := make([]float64, n*C)
			sk.SoftmaxLossGrad(nil, grad, focal.Rows[float64]{X: x64, Labels: c.labels, C: C}, p)
			check(fmt.Sprintf("case %d, %s float64", ci, k.Name()), s/float64(n), grad, C, 1/float64(n), c.loss, c.grad)
		}
	}
}
