package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/bench"
)

// TestReport runs the whole report at tiny sizes and checks what it writes.
func TestReport(t *testing.T) {
	dir := t.TempDir()
	cfg := reportConfig{sizes: []int{1 << 10, 1 << 12}, kinds: bench.AllTargets, at: 1 << 12, p: focal.Params{Alpha: 0.25, Gamma: 2},
		dur: time.Millisecond, out: dir, decide: "LossGrad", rows: rowsHead{40, 17}, smRows: 64, smCs: []int{3, 80}}
	var stdout, prog bytes.Buffer
	if err := report(cfg, &stdout, &prog, false); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"## CPU", "## Recommendation", "| targets | float32 | float64 |", "| smooth |", "**float32, iou: ", "**float64, hard: ",
		"![time per element against N](speed.png)", "loss max", "torchvision", "LossGrad, smooth targets, float64:", "checked",
		"## The sigmoid rows form", "LossGradRows, float64:", "| kernel | onehot (flat) | labels | weighted | smooth |", "Golden heads", "**float32: ",
		"## The softmax form", "Declared softmax bars", "SoftmaxLossGrad", "Recommended for float32 (SoftmaxLossGrad at C = 80): "}
	for _, k := range focal.Kernels[float32]() {
		want = append(want, k.Name())
	}
	for _, s := range want {
		if !strings.Contains(string(md), s) {
			t.Errorf("report.md lacks %q", s)
		}
	}
	for _, png := range []string{"speed.png", "accuracy.png"} {
		b, err := os.ReadFile(filepath.Join(dir, png))
		if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Errorf("%s: not a PNG (%v)", png, err)
		}
	}
	n := points[float32](cfg) + points[float64](cfg)
	rn := rowsPoints[float32]() + rowsPoints[float64]()
	if want := 2 * 2 * 3 * (len(focal.Kernels[float32]()) + len(focal.Kernels[float64]()) + 2); n < want {
		t.Errorf("%d points, want at least %d: 2 sizes, 2 ops, 3 kinds, every kernel and the checked API, both types", n, want)
	}
	if got := strings.Count(prog.String(), "ns/elem\n"); got != n+rn {
		t.Errorf("progress has %d plain lines, want %d (one per point):\n%s", got, n+rn, prog.String())
	}
	if !strings.Contains(stdout.String(), "float32, smooth targets: ") || !strings.Contains(stdout.String(), "the sigmoid rows form (LossGradRows, 40x17") {
		t.Errorf("stdout:\n%s", stdout.String())
	}
}

func TestReportFlags(t *testing.T) {
	var out bytes.Buffer
	if err := runReport([]string{"-h"}, &out); err != nil || !strings.Contains(out.String(), "-gamma") {
		t.Errorf("-h: %v\n%s", err, out.String())
	}
	for _, args := range [][]string{{"-gamma", "-1"}, {"-n", "0"}, {"-op", "mean"}, {"extra"}, {"-rows", "8192"}, {"-rows", "8x0"}} {
		if err := runReport(args, &out); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}
