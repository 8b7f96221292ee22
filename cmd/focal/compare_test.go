package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/focalkernels/focal"
)

func TestCompare(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"compare", "-n", "1000", "-time", "1ms", "-rows", "64x17"}, &out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{"float32  rows  loss max", "float64  rows  loss max", "torchvision", "ns/elem",
		"The sigmoid rows form against the golden heads", "SumRows, float64, N = 64 rows of C = 17", "weighted/onehot"} {
		if !strings.Contains(s, want) {
			t.Errorf("compare output lacks %q:\n%s", want, s)
		}
	}
	for _, k := range focal.Kernels[float32]() {
		if !strings.Contains(s, k.Name()) {
			t.Errorf("compare output lacks kernel %s", k.Name())
		}
	}
	if !strings.Contains(s, focal.Best[float32]().Name()) || !strings.Contains(s, "*") {
		t.Errorf("compare output does not mark Best:\n%s", s)
	}
}

func TestCompareAccuracyOnly(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"compare", "-time", "0"}, &out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "ns/elem") || strings.Contains(out.String(), "SumRows,") {
		t.Errorf("-time 0 still timed:\n%s", out.String())
	}
	if strings.Contains(out.String(), "MISSES") || !strings.Contains(out.String(), "float32 stable: loss ≤ 1 ULP, gradient ≤ 2·scale·eps; meets it") {
		t.Errorf("a kernel's rows form misses its bar on the golden heads, or no verdict:\n%s", out.String())
	}
}

func TestCommandErrors(t *testing.T) {
	var out bytes.Buffer
	for _, args := range [][]string{
		{"nosuch"},
		{"compare", "-gamma", "-1"},
		{"compare", "-n", "0"},
		{"compare", "-nosuchflag"},
		{"machine", "extra"},
	} {
		if err := run(args, &out); err == nil {
			t.Errorf("focal %v: no error", args)
		}
	}
	out.Reset()
	if err := run(nil, &out); err != nil || !strings.Contains(out.String(), "compare") {
		t.Errorf("usage: %v\n%s", err, out.String())
	}
	// -h prints the flags and is not an error.
	for _, cmd := range []string{"compare", "report", "choose"} {
		out.Reset()
		if err := run([]string{cmd, "-h"}, &out); err != nil || !strings.Contains(out.String(), "usage: focal "+cmd) {
			t.Errorf("focal %s -h: %v\n%s", cmd, err, out.String())
		}
	}
}
