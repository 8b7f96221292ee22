package bench

import (
	"math"
	"testing"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/bench/cpeer"
)

// all returns every kernel of type F that runs here, then the checked API
// (kernel=checked: focal.Sum, Loss and LossGrad on Best, validation
// included), then the C peers (with -tags cpeer).
func all[F focal.Float]() []focal.Kernel[F] {
	ks := append(focal.Kernels[F](), Checked[F]())
	return append(ks, cpeer.Kernels[F]()...)
}

func BenchmarkSum(b *testing.B) {
	Sum(b, all[float32]()...)
	Sum(b, all[float64]()...)
}

func BenchmarkLoss(b *testing.B) {
	Loss(b, all[float32]()...)
	Loss(b, all[float64]()...)
}

func BenchmarkLossGrad(b *testing.B) {
	LossGrad(b, all[float32]()...)
	LossGrad(b, all[float64]()...)
}

// BenchmarkMean times the checked Mean against Best's Sum divided by N, the
// work it wraps.
func BenchmarkMean(b *testing.B) {
	Sum(b, mean[float32]{focal.Best[float32]()}, mean[float32]{Checked[float32]()})
	Sum(b, mean[float64]{focal.Best[float64]()}, mean[float64]{Checked[float64]()})
}

// mean makes a kernel's Sum a mean: focal.Mean for checked, Sum/N otherwise.
type mean[F focal.Float] struct{ focal.Kernel[F] }

func (m mean[F]) Sum(x, t []F, p focal.Params) float64 {
	if _, ok := m.Kernel.(checked[F]); ok {
		v, err := focal.Mean(x, t, p)
		if err != nil {
			panic(err)
		}
		return v
	}
	return m.Kernel.Sum(x, t, p) / float64(len(x))
}

func TestParseSize(t *testing.T) {
	for s, want := range map[string]int{"1024": 1024, "64Ki": 65536, "16Mi": 1 << 24, " 1Ki": 1024} {
		if got, err := ParseSize(s); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "Ki", "-1", "x"} {
		if _, err := ParseSize(s); err == nil {
			t.Errorf("ParseSize(%q) succeeded", s)
		}
	}
}

// TestData: deterministic, positives at about PositiveRate, and each kind's
// targets as it is described.
func TestData(t *testing.T) {
	const n = 1 << 16
	for _, kind := range AllTargets {
		x, tg := Data[float32](n, kind)
		x2, t2 := Data[float32](n, kind)
		pos := 0
		for i := range x {
			if x[i] != x2[i] || tg[i] != t2[i] {
				t.Fatalf("%s: Data is not deterministic", kind)
			}
			v := tg[i]
			switch kind {
			case Hard:
				if v != 0 && v != 1 {
					t.Fatalf("hard target %v", v)
				}
				if v == 1 {
					pos++
				}
			case Smooth:
				if v != 0.05 && v != float32(0.95) {
					t.Fatalf("smoothed target %v, want 0.05 or 0.95", v)
				}
				if v != 0.05 {
					pos++
				}
			case IoU:
				if !(v >= 0 && v <= 1) {
					t.Fatalf("IoU target %v", v)
				}
				if v != 0 {
					pos++
				}
			}
		}
		if r := float64(pos) / n; math.Abs(r-PositiveRate) > PositiveRate/2 {
			t.Errorf("%s: positive rate %.4f, want about %.4f", kind, r, PositiveRate)
		}
	}
	if _, err := ParseTargets("soft"); err == nil {
		t.Error("ParseTargets accepted an unknown kind")
	}
}

type named struct {
	focal.Kernel[float32]
	name string
}

func (n named) Name() string { return n.name }

func TestBaseFirst(t *testing.T) {
	ks := []focal.Kernel[float32]{named{name: "naive"}, named{name: "stable"}, named{name: "asm-avx2"}}
	got := baseFirst(ks)
	if got[0].Name() != "stable" || got[1].Name() != "naive" || got[2].Name() != "asm-avx2" {
		t.Errorf("baseFirst: %v %v %v, want stable naive asm-avx2", got[0].Name(), got[1].Name(), got[2].Name())
	}
}

func TestRuns(t *testing.T) {
	t.Setenv("FOCAL_BENCH_FULL", "")
	stable, _ := focal.Lookup[float32]("stable")
	if runs(stable, Huge, Hard) || !runs(stable, 1<<20, Hard) || !runs(named{name: "mine"}, Huge, Hard) {
		t.Error("scalar kernels skip only the huge size; kernels outside the registry run at every size")
	}
	t.Setenv("FOCAL_BENCH_FULL", "1")
	if !runs(stable, Huge, Hard) {
		t.Error("FOCAL_BENCH_FULL=1 should run everything")
	}
	for _, k := range cpeer.Kernels[float32]() {
		if isHardOnly(k) && (runs(k, 1024, Smooth) || !runs(k, 1024, Hard)) {
			t.Errorf("%s is timed on hard targets only", k.Name())
		}
	}
}
