package focal_test

import (
	"bytes"
	"testing"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/internal/accuracy"
	"github.com/focalkernels/focal/internal/kit"
)

// TestGolden32 and TestGolden64 hold every kernel that runs here to the bar
// its registry entry declares, on every golden row the bar covers, and print
// the accuracy table (go test -v -run Golden .).
func TestGolden32(t *testing.T) { testGolden[float32](t, 32) }
func TestGolden64(t *testing.T) { testGolden[float64](t, 64) }

func testGolden[F focal.Float](t *testing.T, bits int) {
	var sums []accuracy.Summary
	for _, k := range focal.Kernels[F]() {
		sums = append(sums, accuracy.Summarize(k.Name(), accuracy.Errors(accuracy.Run(k))))
		bar, ok := focal.BarOf[F](k.Name())
		if !ok || !bar.Declared() {
			t.Errorf("%s: no accuracy bar declared for float%d", k.Name(), bits)
			continue
		}
		for _, f := range kit.Golden(k, bar) {
			t.Errorf("%s: %s", k.Name(), f)
		}
	}
	sums = append(sums, accuracy.Summarize("torchvision", accuracy.Errors(accuracy.Torchvision(bits))))
	var buf bytes.Buffer
	accuracy.WriteTable(&buf, map[int]string{32: "float32", 64: "float64"}[bits], sums)
	t.Logf("golden rows, against mpmath:\n%s", buf.String())
}

// TestRegistry: every kernel of this build declares a bar for each element
// type it has functions for, names are unique, and Kernels lists exactly
// those that run here, in registry order.
func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	var runs []string
	for _, s := range focal.Specs() {
		if seen[s.Name] {
			t.Errorf("two kernels named %q", s.Name)
		}
		seen[s.Name] = true
		if s.Bar32 == nil && s.Bar64 == nil {
			t.Errorf("%s has functions for no element type", s.Name)
		}
		for _, b := range []*focal.Bar{s.Bar32, s.Bar64} {
			if b != nil && !b.Declared() {
				t.Errorf("%s has functions for a type but declares no bar for it", s.Name)
			}
		}
		if s.Scalar != (len(s.Needs) == 0) {
			t.Errorf("%s: scalar %v, needs %v: a SIMD kernel needs CPU features, a scalar one none", s.Name, s.Scalar, s.Needs)
		}
		if s.Runs && s.Bar32 != nil {
			runs = append(runs, s.Name)
		}
	}
	var ks []string
	for _, k := range focal.Kernels[float32]() {
		ks = append(ks, k.Name())
	}
	if len(ks) != len(runs) {
		t.Fatalf("Kernels[float32] = %v, the specs that run here %v", ks, runs)
	}
	for i := range ks {
		if ks[i] != runs[i] {
			t.Errorf("Kernels[float32] = %v, the specs that run here %v", ks, runs)
		}
	}
	if _, ok := focal.Lookup[float32]("no such kernel"); ok {
		t.Error("Lookup found a kernel that does not exist")
	}
	if k, ok := focal.Lookup[float64]("stable"); !ok || k.Name() != "stable" {
		t.Error("Lookup[float64](\"stable\") failed")
	}
}
