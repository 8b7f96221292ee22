package kerneltest

import (
	"os"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// CheckLevels checks family f's levels: they are named names, lowest
// first; the usable ones are a prefix of them, Generic first, the last of
// them best (the level the package's functions use); calling the first
// level past them panics; every feature a level needs is one cpuid knows,
// and a level is usable if and only if this CPU has them all (unless
// FOCAL_DISABLE turned it off). It logs "levels here: [...]", which
// .ci/avx512-emu looks for.
func CheckLevels(t *testing.T, f Family, best Level, names []string) {
	if len(f.all) != len(names) {
		t.Fatalf("%s: %d levels, want %v", f.Name, len(f.all), names)
	}
	for i, l := range f.all {
		if l.String() != names[i] {
			t.Errorf("%s: level %d is %q, want %q", f.Name, i, l, names[i])
		}
	}
	if len(f.usable) == 0 || len(f.usable) > len(f.all) {
		t.Fatalf("%s: usable levels %v: want Generic and more of %v", f.Name, f.usable, names)
	}
	for i, l := range f.usable {
		if l.String() != names[i] || !l.Usable() {
			t.Fatalf("%s: usable levels %v: want a prefix of %v", f.Name, f.usable, names)
		}
	}
	if top := f.usable[len(f.usable)-1]; top.String() != best.String() {
		t.Errorf("%s: best level %v, want the highest usable, %v", f.Name, best, top)
	}
	t.Logf("levels here: %v (FOCAL_DISABLE=%q)", f.usable, os.Getenv("FOCAL_DISABLE"))
	if len(f.usable) < len(f.all) {
		next := f.all[len(f.usable)]
		if next.Usable() {
			t.Errorf("%s: level %v is usable but not among the usable levels", f.Name, next)
		}
		for _, call := range []func(){
			func() { next.Sum32([]float32{1}, []float32{0}, 0.25, 2) },
			func() { next.Sum64([]float64{1}, []float64{0}, 0.25, 2) },
		} {
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("%s: calling level %v, not usable here, did not panic", f.Name, next)
					}
				}()
				call()
			}()
		}
	}
	for _, l := range f.all {
		var ids []cpuid.FeatureID
		for _, n := range l.Needs() {
			id := cpuid.ParseFeature(n)
			if id == cpuid.UNKNOWN {
				t.Errorf("%s-%v: cpuid does not know feature %q", f.Name, l, n)
			}
			ids = append(ids, id)
		}
		has := cpuid.CPU.Supports(ids...)
		if l.Usable() && !has {
			t.Errorf("%s-%v is usable, but this CPU lacks one of %v", f.Name, l, l.Needs())
		}
		if !l.Usable() && has && os.Getenv("FOCAL_DISABLE") == "" {
			t.Errorf("%s-%v is not usable, but this CPU has %v", f.Name, l, l.Needs())
		}
	}
}
