package rows

import (
	"math"
	"testing"

	"github.com/focalkernels/focal/impl/internal/form"
)

// probe is an element that reports what the loops give it: the loss is
// x + 10·t + 100·c (and the gradient its negative), so that every output
// says which target and class its element got.
type probe struct{}

func (probe) Elem(x, t float64, c int, grad bool) (float64, float64) {
	v := x + 10*t + 100*float64(c)
	if !grad {
		return v, 0
	}
	return v, -v
}

func TestLoops(t *testing.T) {
	// 4 rows of 3: class 1, ignored, background, class 0
	r := form.Rows[float64]{X: []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3}, Labels: []int32{1, -1, 3, 0}, C: 3}
	for _, tc := range []struct {
		name   string
		weight []float64
		eps    float64
		want   []float64
	}{
		{"plain", nil, 0, []float64{1, 112, 203, 0, 0, 0, 7, 108, 209, 11, 102, 203}},
		{"row weights", []float64{2, 5, 0.5, 0}, 0, []float64{2, 224, 406, 0, 0, 0, 3.5, 54, 104.5, 0, 0, 0}},
		{"element weights", []float64{1, 0, 2, 9, 9, 9, 1, 1, 1, 3, 1, 0}, 0, []float64{1, 0, 406, 0, 0, 0, 7, 108, 209, 33, 102, 0}},
		{"smoothing", nil, 0.5, []float64{3.5, 109.5, 205.5, 0, 0, 0, 9.5, 110.5, 211.5, 8.5, 104.5, 205.5}},
	} {
		r.Weight = tc.weight
		p := form.Params{Smoothing: tc.eps}
		got := make([]float64, len(r.X))
		for i := range got {
			got[i] = math.NaN()
		}
		Loss(got, r, p, probe{})
		grad := make([]float64, len(r.X))
		lg := make([]float64, len(r.X))
		LossGrad(lg, grad, r, p, probe{})
		LossGrad(nil, grad, r, p, probe{})
		var want float64
		for i := range got {
			if got[i] != tc.want[i] || lg[i] != tc.want[i] || grad[i] != -tc.want[i] && tc.want[i] != 0 {
				t.Errorf("%s: element %d: loss %v, LossGrad %v, %v; want %v", tc.name, i, got[i], lg[i], grad[i], tc.want[i])
			}
			want += tc.want[i]
		}
		if s, pos := Sum(r, p, probe{}); s != want || pos != 2 {
			t.Errorf("%s: Sum %v, %d positives; want %v, 2", tc.name, s, pos, want)
		}
	}
}

func TestTargetsAndAlpha(t *testing.T) {
	if p, n := Targets[float32](0); p != 1 || n != 0 {
		t.Errorf("Targets(0) = %v, %v", p, n)
	}
	if p, n := Targets[float32](0.1); p != float32(0.95) || n != float32(0.05) {
		t.Errorf("Targets(0.1) = %v, %v", p, n)
	}
	p := form.Params{Alpha: 0.25, ClassAlpha: []float64{0.5, 0.75}}
	if Alpha(p, 1) != 0.75 || Alpha(form.Params{Alpha: 0.25}, 1) != 0.25 {
		t.Error("Alpha")
	}
	if Weigh(math.Inf(1), 0.0) != 0 || Weigh(math.NaN(), 0.0) != 0 || Weigh(2.0, 3) != 6 {
		t.Error("Weigh")
	}
}
