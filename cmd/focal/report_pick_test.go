package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/bench"
	"github.com/focalkernels/focal/internal/accuracy"
)

// good is the summary of an accurate kernel.
func good(name string) accuracy.Summary { return accuracy.Summary{Name: name, LossMax: 1} }

// hard1024 is a float32 LossGrad timing of kernel on 1024 hard targets.
func hard1024(kernel string, ns float64) timing {
	return timing{Type: "float32", Op: "LossGrad", Targets: bench.Hard, N: 1024, Kernel: kernel, NsPerElem: ns}
}

func TestRecommend(t *testing.T) {
	sums := []accuracy.Summary{
		{Name: "naive", LossOver4: 785, NonFinite: 158},
		good("stable"), good("asm-generic"), good("asm-avx2"), good("asm-avx512"),
	}
	h := bench.Hard
	times := []timing{
		hard1024("naive", 0.1),
		hard1024("stable", 50),
		hard1024("asm-generic", 5),
		hard1024("asm-avx2", 1),
		hard1024("asm-avx512", 0.5),
		hard1024("checked", 0.55),
		{Type: "float32", Op: "Sum", Targets: h, N: 1024, Kernel: "asm-avx2", NsPerElem: 0.01},                 // other op: ignored
		{Type: "float32", Op: "LossGrad", Targets: h, N: 4096, Kernel: "asm-avx2", NsPerElem: 0.01},            // other N: ignored
		{Type: "float32", Op: "LossGrad", Targets: bench.Smooth, N: 1024, Kernel: "asm-avx2", NsPerElem: 0.01}, // other kind: ignored
	}
	c := recommend("float32", "LossGrad", h, 1024, sums, times, "asm-avx512")
	if c.Kernel != "asm-avx512" || c.NsPerElem != 0.5 {
		t.Fatalf("picked %s (%v), want asm-avx512", c.Kernel, c.NsPerElem)
	}
	text := strings.Join(c.Reason, " ")
	want := []string{"2× the speed of the runner-up asm-avx2", "100× the speed of stable",
		"costs 0.55 ns/element here (1.1× the kernel)", "naive is faster", "785 rows over 4 ULP", "returns asm-avx512 too"}
	if _, ok := focal.SpecOf("asm-avx512"); ok { // what the kernels need is known where they are built (amd64)
		want = append(want, "needs AVX2 FMA3 AVX512F", "asm-avx2 is the fastest accurate alternative")
	}
	for _, s := range want {
		if !strings.Contains(text, s) {
			t.Errorf("reason lacks %q: %s", s, text)
		}
	}

	// Only pure-Go kernels, Best disagreeing.
	c = recommend("float32", "LossGrad", h, 1024, sums[:3], times, "stable")
	text = strings.Join(c.Reason, " ")
	if c.Kernel != "asm-generic" || !strings.Contains(text, "pure Go") || !strings.Contains(text, "disagrees") {
		t.Errorf("picked %s: %s", c.Kernel, text)
	}
	// Where no vector kernel runs (other architectures, -tags purego, a CPU
	// without AVX2), a pure-Go pick says what is lacking; elsewhere not.
	vector := false
	for _, s := range focal.Specs() {
		vector = vector || !s.Scalar && s.Runs
	}
	if says := strings.Contains(text, "No vector kernel runs"); says == vector {
		t.Errorf("vector kernels run here: %v; the pure-Go pick says none does: %v (%s)", vector, says, text)
	}
}

func TestNoteFloat32(t *testing.T) {
	c64 := choice{Type: "float64", Kernel: "stable", NsPerElem: 50}
	if got := noteFloat32(c64, choice{Kernel: "asm-avx512", NsPerElem: 0.5}); !strings.Contains(strings.Join(got.Reason, " "), "100× faster") {
		t.Errorf("reason %q", got.Reason)
	}
	if got := noteFloat32(c64, choice{Kernel: "stable", NsPerElem: 45}); len(got.Reason) != 0 {
		t.Errorf("reason %q for a float32 kernel that is not twice as fast", got.Reason)
	}
}

func TestMissingKernels(t *testing.T) {
	m := missingKernels()
	for _, sp := range focal.Specs() {
		found := slices.ContainsFunc(m, func(s string) bool { return strings.HasPrefix(s, sp.Name+" (needs ") })
		if found == sp.Runs {
			t.Errorf("%s: runs %v, listed as missing %v: %q", sp.Name, sp.Runs, found, m)
		}
	}
}

// TestRecommendNEON: where asm-neon runs (arm64), the report recommends it
// when it is the fastest accurate kernel measured, as focal.Best does, and
// says that it needs ASIMD and that stable is the portable alternative.
func TestRecommendNEON(t *testing.T) {
	if s, ok := focal.SpecOf("asm-neon"); !ok || !s.Runs {
		t.Skip("asm-neon does not run here")
	}
	best := focal.Best[float32]().Name()
	if best != "asm-neon" || focal.Best[float64]().Name() != "asm-neon" {
		t.Fatalf("Best is %s (float32), %s (float64), want asm-neon", best, focal.Best[float64]().Name())
	}
	sums := []accuracy.Summary{{Name: "naive", LossOver4: 785}, good("stable"), good("asm-generic"), good("asm-neon")}
	times := []timing{
		hard1024("naive", 10),
		hard1024("stable", 60),
		hard1024("asm-generic", 140),
		hard1024("asm-neon", 6),
	}
	c := recommend("float32", "LossGrad", bench.Hard, 1024, sums, times, best)
	text := strings.Join(c.Reason, " ")
	if c.Kernel != "asm-neon" {
		t.Fatalf("picked %s: %s", c.Kernel, text)
	}
	for _, s := range []string{"needs ASIMD", "stable is the fastest accurate alternative", "returns asm-neon too"} {
		if !strings.Contains(text, s) {
			t.Errorf("reason lacks %q: %s", s, text)
		}
	}
}
