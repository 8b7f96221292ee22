package focal_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/focalkernels/focal"
)

// Every bad input of the rows form gives an error that wraps the right
// sentinel and says what and where, and nothing is written.
func TestRowsBadInput(t *testing.T) {
	bothTypes(t, testRowsBadInput[float32], testRowsBadInput[float64])
}

func testRowsBadInput[F focal.Float](t *testing.T) {
	const n, c = 3, 4
	x := make([]F, n*c)
	labels := []int32{0, 4, -1}
	nan, inf := F(math.NaN()), F(math.Inf(1))
	rw := func(vs ...F) []F { return vs }
	type tc struct {
		name      string
		r         focal.Rows[F]
		p         focal.Params
		dst, grad int // output lengths
		err       error
		msg       string // what every function must name
		gradOnly  bool   // only LossGradRows takes this input (a bad grad)
	}
	ok := focal.Rows[F]{X: x, Labels: labels, C: c}
	with := func(f func(r *focal.Rows[F])) focal.Rows[F] { r := ok; f(&r); return r }
	cases := []tc{
		{"label > C", with(func(r *focal.Rows[F]) { r.Labels = []int32{0, 5, 1} }), retina, n * c, n * c, focal.ErrTarget, "labels[1] = 5", false},
		{"label max", with(func(r *focal.Rows[F]) { r.Labels = []int32{0, 1, math.MaxInt32} }), retina, n * c, n * c, focal.ErrTarget, "labels[2] = 2147483647", false},
		{"short labels", with(func(r *focal.Rows[F]) { r.Labels = labels[:2] }), retina, n * c, n * c, focal.ErrLength, "len(x) = 12, want len(labels)·C = 2·4", false},
		{"x not N·C", with(func(r *focal.Rows[F]) { r.X = x[:11] }), retina, n * c, n * c, focal.ErrLength, "len(x) = 11", false},
		{"C = 0", with(func(r *focal.Rows[F]) { r.C = 0 }), retina, n * c, n * c, focal.ErrLength, "C = 0", false},
		{"C < 0", with(func(r *focal.Rows[F]) { r.C = -4 }), retina, n * c, n * c, focal.ErrLength, "C = -4", false},
		{"weight length", with(func(r *focal.Rows[F]) { r.Weight = make([]F, 5) }), retina, n * c, n * c, focal.ErrLength, "len(weight) = 5", false},
		{"weight NaN", with(func(r *focal.Rows[F]) { r.Weight = rw(1, nan, 1) }), retina, n * c, n * c, focal.ErrParams, "weight[1] = NaN", false},
		{"weight Inf", with(func(r *focal.Rows[F]) { r.Weight = rw(1, 1, inf) }), retina, n * c, n * c, focal.ErrParams, "weight[2] = +Inf", false},
		{"weight < 0", with(func(r *focal.Rows[F]) { r.Weight = rw(-0.5, 1, 1) }), retina, n * c, n * c, focal.ErrParams, "weight[0] = -0.5", false},
		{"element weight NaN", with(func(r *focal.Rows[F]) { r.Weight = make([]F, n*c); r.Weight[9] = nan }), retina, n * c, n * c, focal.ErrParams, "weight[9] = NaN", false},
		{"class_alpha length", ok, focal.Params{Alpha: 0.25, Gamma: 2, ClassAlpha: []float64{0.25, 0.5}}, n * c, n * c, focal.ErrParams, "len(class_alpha) = 2, want C = 4", false},
		{"class_alpha > 1", ok, focal.Params{Gamma: 2, ClassAlpha: []float64{0.25, 1.5, 0, 1}}, n * c, n * c, focal.ErrParams, "class_alpha[1] = 1.5", false},
		{"class_alpha < 0", ok, focal.Params{Gamma: 2, ClassAlpha: []float64{0.25, 0.5, -0.1, 1}}, n * c, n * c, focal.ErrParams, "class_alpha[2] = -0.1", false},
		{"class_alpha NaN", ok, focal.Params{Gamma: 2, ClassAlpha: []float64{0.25, 0.5, 0, math.NaN()}}, n * c, n * c, focal.ErrParams, "class_alpha[3] = NaN", false},
		{"smoothing 1", ok, focal.Params{Alpha: 0.25, Gamma: 2, Smoothing: 1}, n * c, n * c, focal.ErrParams, "smoothing = 1", false},
		{"smoothing < 0", ok, focal.Params{Alpha: 0.25, Gamma: 2, Smoothing: -0.1}, n * c, n * c, focal.ErrParams, "smoothing = -0.1", false},
		{"smoothing NaN", ok, focal.Params{Alpha: 0.25, Gamma: 2, Smoothing: math.NaN()}, n * c, n * c, focal.ErrParams, "smoothing = NaN", false},
		{"gamma", ok, focal.Params{Alpha: 0.25, Gamma: -1}, n * c, n * c, focal.ErrParams, "gamma = -1", false},
		{"short dst", ok, retina, n*c - 1, n * c, focal.ErrLength, "len(loss) = 11, want 12", false},
		{"long grad", ok, retina, n * c, n*c + 1, focal.ErrLength, "len(grad) = 13, want len(x) = 12", true},
	}
	for _, c := range cases {
		want := func(fn string, err error) { t.Helper(); wantErr(t, c.name+": "+fn, err, c.err, c.msg) }
		if !c.gradOnly {
			dst := filled[F](c.dst)
			err := focal.LossRows(dst, c.r, c.p)
			if c.dst == len(c.r.X) || c.name == "short dst" {
				want("LossRows", err)
			}
			if !untouched(dst) {
				t.Errorf("%s: LossRows wrote %v on error", c.name, dst)
			}
			if c.name != "short dst" {
				s, pos, err := focal.SumRows(c.r, c.p)
				want("SumRows", err)
				if s != 0 || pos != 0 {
					t.Errorf("%s: SumRows returned %v, %d with its error", c.name, s, pos)
				}
			}
		}
		loss, grad := filled[F](c.dst), filled[F](c.grad)
		want("LossGradRows", focal.LossGradRows(loss, grad, c.r, c.p))
		if !untouched(loss) || !untouched(grad) {
			t.Errorf("%s: LossGradRows wrote on error: %v %v", c.name, loss, grad)
		}
	}
}

// The labels and weights are scanned in blocks: a bad one is found, and
// named, wherever it falls, around the blocks' edges too.
func TestRowsScanPositions(t *testing.T) {
	for _, n := range []int{1, 255, 256, 257, 511, 513, 1000} {
		for _, at := range []int{0, n / 2, n - 1, 255, 256} {
			if at >= n {
				continue
			}
			r := focal.Rows[float32]{X: make([]float32, n), Labels: make([]int32, n), C: 1}
			r.Labels[at] = 2
			_, _, err := focal.SumRows(r, retina)
			wantErr(t, "n="+itoa(n)+" label at "+itoa(at), err, focal.ErrTarget, "labels["+itoa(at)+"] = 2")
			r.Labels[at] = 1 // background: fine
			r.Weight = make([]float32, n)
			r.Weight[at] = float32(math.Inf(-1))
			if at > 0 {
				r.Weight[at-1] = float32(math.Copysign(0, -1)) // -0 is a weight ≥ 0
			}
			_, _, err = focal.SumRows(r, retina)
			wantErr(t, "n="+itoa(n)+" weight at "+itoa(at), err, focal.ErrParams, "weight["+itoa(at)+"] = -Inf")
			r.Weight[at] = 0
			if _, _, err := focal.SumRows(r, retina); err != nil {
				t.Errorf("n=%d: good labels and weights: %v", n, err)
			}
		}
	}
}

func itoa(v int) string { return formatInt(v) }

func formatInt(v int) string {
	if v == 0 {
		return "0"
	}
	var b []byte
	for ; v > 0; v /= 10 {
		b = append([]byte{byte('0' + v%10)}, b...)
	}
	return string(b)
}

// The flat functions take their targets as given: ClassAlpha and Smoothing
// are errors there.
func TestFlatRejectsRowsParams(t *testing.T) {
	x, tt := []float32{1, 2}, []float32{0, 1}
	for _, p := range []focal.Params{
		{Alpha: 0.25, Gamma: 2, ClassAlpha: []float64{0.5}},
		{Alpha: 0.25, Gamma: 2, Smoothing: 0.1},
	} {
		if _, err := focal.Sum(x, tt, p); !errors.Is(err, focal.ErrParams) {
			t.Errorf("Sum with %+v: %v, want ErrParams", p, err)
		}
		if err := focal.LossGrad(nil, make([]float32, 2), x, tt, p); !errors.Is(err, focal.ErrParams) {
			t.Errorf("LossGrad with %+v: %v, want ErrParams", p, err)
		}
	}
}

// rowsData returns a detector head of n rows of c logits from N(0, 4²), one
// row in ten positive (a random class), one in twenty ignored, the rest
// background, and per-row weights in [0, 2).
func rowsData[F focal.Float](n, c int, seed uint64) focal.Rows[F] {
	rng := rand.New(rand.NewPCG(seed, 9))
	r := focal.Rows[F]{X: make([]F, n*c), Labels: make([]int32, n), C: c, Weight: make([]F, n)}
	for i := range r.X {
		r.X[i] = F(4 * rng.NormFloat64())
	}
	for i := range r.Labels {
		switch k := rng.IntN(20); {
		case k == 0:
			r.Labels[i] = -1
		case k < 3:
			r.Labels[i] = int32(rng.IntN(c))
		default:
			r.Labels[i] = int32(c)
		}
		r.Weight[i] = F(2 * rng.Float64())
	}
	return r
}

func rowsKernels[F focal.Float](t *testing.T) []focal.RowsKernel[F] {
	var ks []focal.RowsKernel[F]
	for _, k := range focal.Kernels[F]() {
		rk, ok := k.(focal.RowsKernel[F])
		if !ok {
			t.Fatalf("%s does not implement RowsKernel", k.Name())
		}
		ks = append(ks, rk)
	}
	return ks
}

// The rows form's hot paths allocate nothing: every kernel's methods, and
// the checked API, with class α and smoothing too.
func TestRowsNoAllocs(t *testing.T) {
	bothTypes(t, testRowsNoAllocs[float32], testRowsNoAllocs[float64])
}

func testRowsNoAllocs[F focal.Float](t *testing.T) {
	r := rowsData[F](37, 7, 1)
	loss, grad := make([]F, len(r.X)), make([]F, len(r.X))
	ca := focal.Params{Alpha: 0.25, Gamma: 1.5, ClassAlpha: []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}, Smoothing: 0.1}
	for _, p := range []focal.Params{retina, ca} {
		for _, k := range rowsKernels[F](t) {
			noAllocs(t, 5, k.Name()+".", map[string]func(){
				"LossRows":     func() { k.LossRows(loss, r, p) },
				"SumRows":      func() { k.SumRows(r, p) },
				"LossGradRows": func() { k.LossGradRows(loss, grad, r, p) },
			})
		}
		noAllocs(t, 5, "checked ", map[string]func(){
			"LossRows":     func() { _ = focal.LossRows(loss, r, p) },
			"SumRows":      func() { _, _, _ = focal.SumRows(r, p) },
			"LossGradRows": func() { _ = focal.LossGradRows(nil, grad, r, p) },
		})
	}
}

// Many goroutines call every kernel's rows form at once on shared inputs;
// each gets what a lone call gets.
func TestRowsConcurrent(t *testing.T) {
	bothTypes(t, testRowsConcurrent[float32], testRowsConcurrent[float64])
}

func testRowsConcurrent[F focal.Float](t *testing.T) {
	r := rowsData[F](100, 13, 2)
	p := focal.Params{Alpha: 0.25, Gamma: 2, Smoothing: 0.05}
	for _, k := range rowsKernels[F](t) {
		want := make([]F, len(r.X))
		k.LossRows(want, r, p)
		wantSum, wantPos := k.SumRows(r, p)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				loss, grad := make([]F, len(r.X)), make([]F, len(r.X))
				for range 5 {
					k.LossGradRows(loss, grad, r, p)
					for i := range loss {
						if !same(loss[i], want[i]) {
							t.Errorf("%s: concurrent loss[%d] = %v, alone %v", k.Name(), i, loss[i], want[i])
							return
						}
					}
					if s, pos := k.SumRows(r, p); s != wantSum || pos != wantPos {
						t.Errorf("%s: concurrent SumRows %v, %d, alone %v, %d", k.Name(), s, pos, wantSum, wantPos)
						return
					}
				}
			})
		}
		wg.Wait()
	}
}

// The checked functions return Best's rows results, and types based on
// float32 work through them.
func TestRowsCheckedIsBest(t *testing.T) {
	type logit float32
	r := rowsData[logit](50, 9, 3)
	p := focal.Params{Alpha: 0.25, Gamma: 2, ClassAlpha: []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}}
	best := focal.Best[logit]().(focal.RowsKernel[logit])
	want, got := make([]logit, len(r.X)), make([]logit, len(r.X))
	best.LossRows(want, r, p)
	if err := focal.LossRows(got, r, p); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("LossRows differs from %s's", best.Name())
	}
	ws, wp := best.SumRows(r, p)
	s, pos, err := focal.SumRows(r, p)
	if err != nil || s != ws || pos != wp {
		t.Errorf("SumRows %v, %d, %v; %s: %v, %d", s, pos, err, best.Name(), ws, wp)
	}
}
