package main

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/bench"
	"github.com/focalkernels/focal/internal/accuracy"
	"github.com/focalkernels/focal/internal/cpuinfo"
)

// writeReportMD writes report.md: the CPU, the kernels, the recommendation,
// the timings, the accuracy and the plots.
func writeReportMD(w *bytes.Buffer, cfg reportConfig, cpu cpuinfo.Info, sets []*kernelSet, times []timing, picks []choice, took time.Duration) {
	fmt.Fprintf(w, "# Focal loss kernels on %s\n\n", orUnknown(cpu.Brand))
	fmt.Fprintf(w, "Written by `go run ./cmd/focal report%s` on %s in %s.\n", flagsUsed(cfg), time.Now().UTC().Format("2006-01-02 15:04 UTC"), took.Round(time.Second))
	fmt.Fprintf(w, "The timings are quick (%v per point, median of %d batches); for careful ones see `bench.txt` and `make bench`.\n\n", cfg.dur, batches)

	fmt.Fprintf(w, "## CPU\n\n| | |\n|---|---|\n")
	fmt.Fprintf(w, "| brand | %s |\n| vendor | %s |\n| family, model, stepping | %d, %d, %d |\n", orUnknown(cpu.Brand), cpu.Vendor, cpu.Family, cpu.Model, cpu.Stepping)
	fmt.Fprintf(w, "| cores | %d physical, %d logical |\n", cpu.PhysicalCores, cpu.LogicalCores)
	fmt.Fprintf(w, "| caches | L1d %s, L2 %s, L3 %s |\n", cpuinfo.Size(cpu.L1D), cpuinfo.Size(cpu.L2), cpuinfo.Size(cpu.L3))
	fmt.Fprintf(w, "| vector features | %s |\n", strings.Join(vectorFeatures(cpu.Features), " "))
	fmt.Fprintf(w, "| Go | %s %s/%s%s |\n", cpu.GoVer, cpu.GOOS, cpu.GOARCH, goamd64Note(cpu.GOAMD64))
	fmt.Fprintf(w, "| results folder | `results/%s` |\n\n", cpuinfo.Machine())
	fmt.Fprintf(w, "<details><summary>all %d cpuid features</summary>\n\n%s\n\n</details>\n\n", len(cpu.Features), strings.Join(cpu.Features, " "))

	fmt.Fprintf(w, "## Kernels on this CPU\n\n")
	for _, s := range sets {
		fmt.Fprintf(w, "- %s: %s; `focal.Best[%s]()` is **%s**; also timed: %s\n", s.typ, strings.Join(s.names, ", "), s.typ, s.best, strings.Join(s.extra, ", "))
	}
	fmt.Fprintf(w, "- `checked` is the checked API (`focal.Sum`, `focal.LossGrad`) on Best, target validation included. ")
	fmt.Fprintf(w, "`c-*` are the C peers (built with `-tags cpeer`: gcc -O3 -ffast-math and libmvec), in the accuracy table too; `c-*-hard` time Sum on hard targets only.\n")
	if missing := missingKernels(); len(missing) > 0 {
		fmt.Fprintf(w, "- not here: %s\n", strings.Join(missing, "; "))
	}
	if v := os.Getenv("FOCAL_DISABLE"); v != "" {
		fmt.Fprintf(w, "- FOCAL_DISABLE=%s was set: it lowers the asm dispatch level\n", v)
	}
	fmt.Fprintf(w, "\n## Recommendation\n\n")
	fmt.Fprintf(w, "%s at N = %d, α = %g, γ = %g, per target kind and element type (ns per element):\n\n", cfg.decide, cfg.at, cfg.p.Alpha, cfg.p.Gamma)
	fmt.Fprintf(w, "| targets |")
	for _, s := range sets {
		fmt.Fprintf(w, " %s |", s.typ)
	}
	fmt.Fprintf(w, "\n|---|%s\n", strings.Repeat("---|", len(sets)))
	for _, kind := range cfg.kinds {
		fmt.Fprintf(w, "| %s |", kind)
		for _, c := range picks {
			if c.Targets == kind {
				fmt.Fprintf(w, " **%s** (%.3g) |", orUnknown(c.Kernel), c.NsPerElem)
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\nHard targets are 0 or 1 (a detection head); smooth is label smoothing 0.1 (every target 0.05 or 0.95); iou is Quality/Varifocal-style (positives' targets uniform in (0, 1], negatives 0). Why:\n\n")
	for _, c := range picks {
		fmt.Fprintf(w, "- **%s, %s: %s.**", c.Type, c.Targets, orUnknown(c.Kernel))
		for _, r := range c.Reason {
			fmt.Fprintf(w, " %s", r)
		}
		fmt.Fprintf(w, "\n")
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "## Time per element (ns), α = %g, γ = %g\n\n", cfg.p.Alpha, cfg.p.Gamma)
	fmt.Fprintf(w, "Detection-like data (bench.Data): logits from N(0, 4²), 1 target in 64 positive (or an IoU score), per target kind. Median of %d batches.\n\n", batches)
	fmt.Fprintf(w, "![time per element against N](speed.png)\n\n")
	for _, kind := range cfg.kinds {
		for _, s := range sets {
			for _, op := range reportOps {
				cols := slices.DeleteFunc(append(slices.Clone(s.names), s.extra...), func(k string) bool { return nsAt(times, s.typ, op, kind, k, cfg.sizes[0]) == "-" })
				fmt.Fprintf(w, "%s, %s targets, %s:\n\n| N |", op, kind, s.typ)
				for _, k := range cols {
					fmt.Fprintf(w, " %s |", k)
				}
				fmt.Fprintf(w, "\n|---:|%s\n", strings.Repeat("---:|", len(cols)))
				for _, n := range cfg.sizes {
					fmt.Fprintf(w, "| %s |", sizeLabel(n))
					for _, k := range cols {
						fmt.Fprintf(w, " %s |", nsAt(times, s.typ, op, kind, k, n))
					}
					fmt.Fprintln(w)
				}
				fmt.Fprintln(w)
			}
		}
	}

	fmt.Fprintf(w, "## Accuracy on the golden vectors\n\n")
	fmt.Fprintf(w, "Against mpmath's exact values, over the rows whose truth is a normal float of the type; torchvision is its own recorded output (a peer, not the truth). ")
	fmt.Fprintf(w, "A kernel is *accurate* for the recommendation when no row is over 4 ULP in the loss or 8 in the scaled gradient, and none is NaN/Inf where the truth is finite.\n\n")
	fmt.Fprintf(w, "![loss error in ULP against x](accuracy.png)\n\n")
	for _, s := range sets {
		fmt.Fprintf(w, "```\n")
		accuracy.WriteTable(w, s.typ, s.sums)
		fmt.Fprintf(w, "```\n\n")
	}
	fmt.Fprintf(w, "## Regenerate\n\n```\ngo run ./cmd/focal report%s\n```\n", flagsUsed(cfg))
}

func nsAt(times []timing, typ, op string, kind bench.Targets, k string, n int) string {
	for _, t := range times {
		if t.Type == typ && t.Op == op && t.Targets == kind && t.Kernel == k && t.N == n {
			return fmt.Sprintf("%.3g", t.NsPerElem)
		}
	}
	return "-"
}

// flagsUsed lists the flags that differ from the defaults, for the regenerate line.
func flagsUsed(cfg reportConfig) string {
	var f []string
	if cfg.at != bench.At {
		f = append(f, fmt.Sprintf("-at %d", cfg.at))
	}
	if cfg.p.Gamma != 2 {
		f = append(f, fmt.Sprintf("-gamma %g", cfg.p.Gamma))
	}
	if cfg.p.Alpha != 0.25 {
		f = append(f, fmt.Sprintf("-alpha %g", cfg.p.Alpha))
	}
	if cfg.dur != 100*time.Millisecond {
		f = append(f, fmt.Sprintf("-time %v", cfg.dur))
	}
	if cfg.decide != "LossGrad" {
		f = append(f, "-op "+cfg.decide)
	}
	if len(cfg.kinds) != len(bench.AllTargets) {
		f = append(f, "-targets "+(*targetList)(&cfg.kinds).String())
	}
	if len(f) == 0 {
		return ""
	}
	return " " + strings.Join(f, " ")
}

func vectorFeatures(all []string) []string {
	var v []string
	for _, f := range all {
		if strings.HasPrefix(f, "AVX") || strings.HasPrefix(f, "SSE") || f == "FMA3" || f == "F16C" || strings.HasPrefix(f, "ASIMD") || f == "SVE" {
			v = append(v, f)
		}
	}
	return v
}

func goamd64Note(level string) string {
	if level == "" {
		return ""
	}
	return ", GOAMD64=" + level
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown CPU"
	}
	return s
}

// missingKernels lists, with what they need, the module's kernels that
// focal.Kernels does not offer here.
func missingKernels() []string {
	var m []string
	for _, sp := range focal.Specs() {
		if !sp.Runs {
			m = append(m, fmt.Sprintf("%s (needs %s; this CPU lacks it, or FOCAL_DISABLE turned it off)", sp.Name, orUnknown(strings.Join(sp.Needs, " "))))
		}
	}
	return m
}
