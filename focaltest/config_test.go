package focaltest

import (
	"math"
	"strings"
	"testing"

	"github.com/focalkernels/focal"
)

type named struct{ focal.Kernel[float32] }

func (n named) Name() string { return " " }

// Bad input to the kit is a clear error, not a run.
func TestConfigErrors(t *testing.T) {
	k, _ := focal.Lookup[float32]("stable")
	for _, c := range []struct {
		k    focal.Kernel[float32]
		opts []Option
		want string
	}{
		{nil, nil, "the kernel is nil"},
		{named{k}, nil, "Name() is empty"},
		{k, []Option{nil}, "nil Option"},
		{k, []Option{Tolerance(4, -1)}, "Tolerance(4, -1)"},
		{k, []Option{Tolerance(4, math.NaN())}, "Tolerance(4, NaN)"},
		{k, []Option{Relative(0)}, "Relative(0)"},
		{k, []Option{ValidRange(-7, 5)}, "ValidRange(-7, 5)"},
		{k, []Option{Cases(0)}, "Cases(0)"},
		{k, []Option{WithBar(focal.Bar{})}, "declares nothing"},
	} {
		_, err := newConfig(c.k, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one naming %q", c.opts, err, c.want)
		}
	}
	t.Setenv("FOCALTEST_N", "-3")
	if _, err := newConfig(k, nil); err == nil || !strings.Contains(err.Error(), "FOCALTEST_N") {
		t.Errorf("FOCALTEST_N=-3: error %v", err)
	}
}

// Options set the bar, and the environment overrides the code.
func TestConfigOptions(t *testing.T) {
	k, _ := focal.Lookup[float32]("stable")
	c, err := newConfig(k, []Option{Tolerance(1, 2), ValidRange(7, 5), Cases(10), Seed(42)})
	if err != nil {
		t.Fatal(err)
	}
	if want := (focal.Bar{LossULP: 1, Grad: 2, MaxAbsX: 7, MaxGamma: 5}); c.Bar != want || c.N != 10 || c.Seed != 42 {
		t.Errorf("config %+v, want bar %+v, 10 cases, seed 42", c.Config, want)
	}
	t.Setenv("FOCALTEST_SEED", "7")
	if c, _ := newConfig(k, []Option{Seed(42)}); c.Seed != 7 {
		t.Errorf("FOCALTEST_SEED=7 with Seed(42): seed %d, want 7", c.Seed)
	}
}
