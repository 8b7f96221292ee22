package focal_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/focalkernels/focal"
)

func TestValidate(t *testing.T) {
	for _, p := range []focal.Params{{Alpha: 0, Gamma: 0}, {Alpha: 1, Gamma: 5}, {Alpha: 0.25, Gamma: 2}, {Alpha: -1, Gamma: 0.5}, {Alpha: math.Inf(-1), Gamma: 2}} {
		if err := p.Validate(); err != nil {
			t.Errorf("%+v: %v", p, err)
		}
	}
	for _, c := range []struct {
		p    focal.Params
		want string
	}{
		{focal.Params{Alpha: 1.5, Gamma: 2}, "alpha = 1.5"},
		{focal.Params{Alpha: math.NaN(), Gamma: 2}, "alpha = NaN"},
		{focal.Params{Alpha: 0.25, Gamma: -1}, "gamma = -1"},
		{focal.Params{Alpha: 0.25, Gamma: math.NaN()}, "gamma = NaN"},
		{focal.Params{Alpha: 0.25, Gamma: math.Inf(1)}, "gamma = +Inf"},
	} {
		wantErr(t, fmt.Sprintf("%+v", c.p), c.p.Validate(), focal.ErrParams, c.want)
	}
}

// Every bad input gives an error that says what and where, and no output is written.
func TestCheckedBadInput(t *testing.T) {
	bothTypes(t, testCheckedBadInput[float32], testCheckedBadInput[float64])
}

func testCheckedBadInput[F focal.Float](t *testing.T) {
	good := []F{0.5, -2, 3}
	targets := []F{0, 1, 0.5}
	// lossMsg is what Loss, Sum and Mean must name, gradMsg what LossGrad must;
	// an empty message means that function is not given this bad input.
	cases := []struct {
		name             string
		x, t             []F
		dst, grad        int // output lengths
		p                focal.Params
		err              error
		lossMsg, gradMsg string
	}{
		{"short t", good, targets[:2], 3, 3, retina, focal.ErrLength, "len(t) = 2, len(x) = 3", "len(t) = 2, len(x) = 3"},
		{"short dst", good, targets, 2, 3, retina, focal.ErrLength, "len(dst) = 2, len(x) = 3", "len(loss) = 2, len(x) = 3"},
		{"long grad", good, targets, 3, 4, retina, focal.ErrLength, "", "len(grad) = 4, len(x) = 3"},
		{"target NaN", good, []F{0, F(math.NaN()), 1}, 3, 3, retina, focal.ErrTarget, "t[1] = NaN", "t[1] = NaN"},
		{"target > 1", good, []F{0, 1, 1.5}, 3, 3, retina, focal.ErrTarget, "t[2] = 1.5", "t[2] = 1.5"},
		{"target < 0", good, []F{-0.5, 1, 1}, 3, 3, retina, focal.ErrTarget, "t[0] = -0.5", "t[0] = -0.5"},
		{"target -Inf", good, []F{0, F(math.Inf(-1)), 1}, 3, 3, retina, focal.ErrTarget, "t[1] = -Inf", "t[1] = -Inf"},
		{"alpha", good, targets, 3, 3, focal.Params{Alpha: 2, Gamma: 2}, focal.ErrParams, "alpha = 2", "alpha = 2"},
		{"gamma", good, targets, 3, 3, focal.Params{Alpha: 0.25, Gamma: -0.5}, focal.ErrParams, "gamma = -0.5", "gamma = -0.5"},
	}
	for _, c := range cases {
		want := func(fn, msg string, err error) { t.Helper(); wantErr(t, c.name+": "+fn, err, c.err, msg) }
		if c.lossMsg != "" {
			dst := filled[F](c.dst)
			want("Loss", c.lossMsg, focal.Loss(dst, c.x, c.t, c.p))
			if !untouched(dst) {
				t.Errorf("%s: Loss wrote %v on error", c.name, dst)
			}
			if c.dst == len(c.x) {
				_, err := focal.Sum(c.x, c.t, c.p)
				want("Sum", c.lossMsg, err)
				_, err = focal.Mean(c.x, c.t, c.p)
				want("Mean", c.lossMsg, err)
			}
		}
		loss, grad := filled[F](c.dst), filled[F](c.grad)
		want("LossGrad", c.gradMsg, focal.LossGrad(loss, grad, c.x, c.t, c.p))
		if !untouched(loss) || !untouched(grad) {
			t.Errorf("%s: LossGrad wrote on error: %v %v", c.name, loss, grad)
		}
	}
}

func TestCheckedGood(t *testing.T) {
	x := []float32{-3, 0, 2, 8}
	tt := []float32{0, 1, 1, 0.5}
	loss, grad, lg := make([]float32, 4), make([]float32, 4), make([]float32, 4)
	if err := focal.Loss(loss, x, tt, retina); err != nil {
		t.Fatal(err)
	}
	if err := focal.LossGrad(lg, grad, x, tt, retina); err != nil {
		t.Fatal(err)
	}
	if err := focal.LossGrad(nil, grad, x, tt, retina); err != nil {
		t.Fatalf("nil loss: %v", err)
	}
	s, err := focal.Sum(x, tt, retina)
	if err != nil {
		t.Fatal(err)
	}
	m, err := focal.Mean(x, tt, retina)
	if err != nil || math.Abs(m-s/4) > 1e-15*s {
		t.Fatalf("Mean %v, Sum/4 %v, %v", m, s/4, err)
	}
	var want float64
	for i := range loss {
		want += float64(loss[i])
		if loss[i] != lg[i] {
			t.Errorf("LossGrad loss[%d] = %v, Loss %v", i, lg[i], loss[i])
		}
	}
	if math.Abs(s-want) > 1e-6*want {
		t.Errorf("Sum %v, sum of Loss %v", s, want)
	}
}

// Types based on float32 and float64 work through the same kernels.
func TestNamedFloat(t *testing.T) {
	type logit float32
	x, tt := []logit{-1, 2}, []logit{0, 1}
	dst := make([]logit, 2)
	if err := focal.Loss(dst, x, tt, retina); err != nil {
		t.Fatal(err)
	}
	plain := make([]float32, 2)
	if err := focal.Loss(plain, []float32{-1, 2}, []float32{0, 1}, retina); err != nil {
		t.Fatal(err)
	}
	if float32(dst[0]) != plain[0] || float32(dst[1]) != plain[1] {
		t.Errorf("named type %v, float32 %v", dst, plain)
	}
	if focal.Best[logit]().Name() != focal.Best[float32]().Name() {
		t.Errorf("Best differs for a named float32 type")
	}
}

func TestKernelsOrder(t *testing.T) {
	for _, names := range [][]string{names[float32](), names[float64]()} {
		if names[0] != "naive" || names[1] != "stable" {
			t.Errorf("kernels %v: want naive, stable first", names)
		}
	}
	if focal.Best[float64]().Name() != focal.Best[float32]().Name() {
		t.Errorf("Best[float64] = %s, Best[float32] = %s: want the same kernel", focal.Best[float64]().Name(), focal.Best[float32]().Name())
	}
}

// TestBestRank: Best is the running kernel of the highest rank, whatever its
// place in the registry, and it is a kernel that declares a rank.
func TestBestRank(t *testing.T) {
	best := focal.Best[float32]().Name()
	top := -1
	for _, s := range focal.Specs() {
		if s.Runs && s.Bar32 != nil {
			top = max(top, s.Rank)
		}
	}
	s, _ := focal.SpecOf(best)
	if s.Rank != top || top < 1 {
		t.Errorf("Best = %s of rank %d; the highest rank running here is %d", best, s.Rank, top)
	}
	for _, s := range focal.Specs() {
		if s.Runs && s.Rank == top && s.Name != best {
			t.Errorf("%s and %s share the top rank %d: Best would be ambiguous", s.Name, best, top)
		}
	}
	t.Logf("Best here: %s (rank %d)", best, top)
}

func names[F focal.Float]() []string {
	var s []string
	for _, k := range focal.Kernels[F]() {
		s = append(s, k.Name())
	}
	return s
}

// sentinel fills the outputs of a call that must fail (filled), so that a
// test sees it wrote nothing (untouched).
const sentinel = 12345

func filled[F focal.Float](n int) []F {
	s := make([]F, n)
	for i := range s {
		s[i] = sentinel
	}
	return s
}

func untouched[F focal.Float](s []F) bool {
	return !slices.ContainsFunc(s, func(v F) bool { return v != sentinel })
}

// wantErr reports, naming who, unless err wraps target and its message
// names msg.
func wantErr(t *testing.T, who string, err, target error, msg string) {
	t.Helper()
	if !errors.Is(err, target) || !strings.Contains(err.Error(), msg) {
		t.Errorf("%s: %v, want %v naming %q", who, err, target, msg)
	}
}
