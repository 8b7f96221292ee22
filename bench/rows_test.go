package bench

import (
	"testing"

	"github.com/focalkernels/focal"
)

// allRows returns every kernel of type F that runs here as a RowsKernel,
// then the checked rows API (kernel=checked).
func allRows[F focal.Float]() []focal.RowsKernel[F] {
	var ks []focal.RowsKernel[F]
	for _, k := range focal.Kernels[F]() {
		ks = append(ks, k.(focal.RowsKernel[F]))
	}
	return append(ks, CheckedRows[F]())
}

func BenchmarkSumRows(b *testing.B) {
	SumRows(b, allRows[float32]()...)
	SumRows(b, allRows[float64]()...)
}

func BenchmarkLossRows(b *testing.B) {
	LossRows(b, allRows[float32]()...)
	LossRows(b, allRows[float64]()...)
}

func BenchmarkLossGradRows(b *testing.B) {
	LossGradRows(b, allRows[float32]()...)
	LossGradRows(b, allRows[float64]()...)
}

// TestRowsData: deterministic, the label rates about RowsPositive and
// RowsIgnored, and the one-hot targets those of the labels.
func TestRowsData(t *testing.T) {
	const n, c = 8192, 80
	r, ca, onehot := RowsData[float32](n, c)
	r2, _, _ := RowsData[float32](n, c)
	var pos, ign int
	for i, l := range r.Labels {
		if l != r2.Labels[i] || r.X[i] != r2.X[i] {
			t.Fatal("RowsData is not deterministic")
		}
		for k := 0; k < c; k++ {
			want := float32(0)
			if int(l) == k {
				want = 1
			}
			if onehot[i*c+k] != want {
				t.Fatalf("row %d label %d: one-hot target %d is %v", i, l, k, onehot[i*c+k])
			}
		}
		switch {
		case l < 0:
			ign++
		case int(l) < c:
			pos++
		}
	}
	if p, g := float64(pos)/n, float64(ign)/n; p < RowsPositive/2 || p > 2*RowsPositive || g < RowsIgnored/2 || g > 2*RowsIgnored {
		t.Errorf("positive rate %.4f, ignored %.4f; want about %v and %v", p, g, RowsPositive, RowsIgnored)
	}
	if len(ca) != c || len(r.Weight) != n {
		t.Errorf("class α %d, weights %d", len(ca), len(r.Weight))
	}
	if _, _, err := focal.SumRows(r, focal.Params{Alpha: Alpha, Gamma: 2, ClassAlpha: ca, Smoothing: Smoothing}); err != nil {
		t.Errorf("the data are bad input: %v", err)
	}
	t.Setenv("FOCAL_BENCH_ROWS", "64Kix1, 8x80")
	if s, err := envRows(); err != nil || len(s) != 2 || s[0] != [2]int{65536, 1} || s[1] != [2]int{8, 80} {
		t.Errorf("FOCAL_BENCH_ROWS: %v, %v", s, err)
	}
	t.Setenv("FOCAL_BENCH_ROWS", "8192")
	if _, err := envRows(); err == nil {
		t.Error("FOCAL_BENCH_ROWS=8192 accepted")
	}
}
