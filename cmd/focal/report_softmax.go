package main

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/bench"
	"github.com/focalkernels/focal/internal/kit"
)

// The report's softmax section: the form's accuracy over its golden rows
// (torch's autograd as a peer), the time per logit of SoftmaxSum and
// SoftmaxLossGrad of every kernel and the checked API at the configured
// rows and class counts (random rows), the form's speed
// ratios at C = 80 against Best's flat Sum over as many elements, and the
// recommended kernel per type.

// softmaxPoint is one timed point of the softmax form.
type softmaxPoint struct {
	typ, op, kernel string
	c               int
	ns              float64 // median ns per logit
}

// reportSoftmax measures the softmax form and writes its section to stdout
// and, as markdown, to md.
func reportSoftmax(cfg reportConfig, stdout io.Writer, md *bytes.Buffer) error {
	var acc bytes.Buffer
	for _, f := range []func(io.Writer) error{compareSoftmaxAccuracy[float32], compareSoftmaxAccuracy[float64]} {
		if err := f(&acc); err != nil {
			return err
		}
	}
	var pts []softmaxPoint
	pts = append(pts, timeSoftmaxKernels[float32](cfg)...)
	pts = append(pts, timeSoftmaxKernels[float64](cfg)...)
	var out bytes.Buffer
	fmt.Fprintf(&out, "\n## The softmax form\n\n```\n%s```\n", acc.String())
	n := cfg.smRows
	fmt.Fprintf(&out, "\nTime per logit (ns, median of %d batches), %d random rows, α = %g, γ = %g:\n\n```\n", batches, n, cfg.p.Alpha, cfg.p.Gamma)
	tw := tabwriter.NewWriter(&out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "kernel\ttype\top")
	for _, c := range cfg.smCs {
		fmt.Fprintf(tw, "\tC=%d", c)
	}
	fmt.Fprintln(tw, "\t")
	var keys []string
	for _, p := range pts {
		if k := p.kernel + "\t" + p.typ + "\t" + p.op; !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		fmt.Fprint(tw, k)
		for _, c := range cfg.smCs {
			v := "-"
			for _, p := range pts {
				if p.kernel+"\t"+p.typ+"\t"+p.op == k && p.c == c {
					v = fmt.Sprintf("%.3f", p.ns)
				}
			}
			fmt.Fprintf(tw, "\t%s", v)
		}
		fmt.Fprintln(tw, "\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(&out, "```\n\n")
	for _, typ := range []string{"float32", "float64"} {
		fmt.Fprintf(&out, "%s at C = 80: %s\n\n", typ, softmaxRatios(cfg, pts, typ))
	}
	for _, typ := range []string{"float32", "float64"} {
		fmt.Fprintf(&out, "Recommended for %s (SoftmaxLossGrad at C = 80): %s\n\n", typ, softmaxPick(pts, typ))
	}
	if _, err := stdout.Write(out.Bytes()); err != nil {
		return err
	}
	md.Write(out.Bytes())
	return nil
}

// timeSoftmaxKernels times SoftmaxSum and SoftmaxLossGrad of every kernel
// of type F and of the checked API at each class count (scalar kernels
// skip C = 1000, as the benchmarks do).
func timeSoftmaxKernels[F focal.Float](cfg reportConfig) []softmaxPoint {
	typ := "float" + fmt.Sprint(bitsOf[F]())
	ks := bench.SoftmaxKernels(append(focal.Kernels[F](), bench.Checked[F]()))
	n := cfg.smRows
	var pts []softmaxPoint
	var sink float64
	for _, c := range cfg.smCs {
		r := bench.SoftmaxData[F](n, c, bench.Random)
		loss, grad := make([]F, n), make([]F, n*c)
		for _, k := range ks {
			if s, ok := focal.SpecOf(k.Name()); ok && s.Scalar && c >= 1000 {
				continue
			}
			med, _, _ := measure(func() { v, _ := k.SoftmaxSum(r, cfg.p); sink += v }, n*c, cfg.dur)
			pts = append(pts, softmaxPoint{typ, "SoftmaxSum", k.Name(), c, med})
			med, _, _ = measure(func() { k.SoftmaxLossGrad(loss, grad, r, cfg.p) }, n*c, cfg.dur)
			pts = append(pts, softmaxPoint{typ, "SoftmaxLossGrad", k.Name(), c, med})
		}
	}
	runtime.KeepAlive(sink)
	return pts
}

// softmaxRatios states the form's speed bars as measured: Best's
// SoftmaxSum per logit against its flat Sum per element over as many
// elements (hard targets), stable over Best, and SoftmaxLossGrad over
// SoftmaxSum.
func softmaxRatios(cfg reportConfig, pts []softmaxPoint, typ string) string {
	var best string
	var flat float64
	n := cfg.smRows * 80
	if typ == "float32" {
		best, flat = focal.Best[float32]().Name(), flatSum[float32](cfg, n)
	} else {
		best, flat = focal.Best[float64]().Name(), flatSum[float64](cfg, n)
	}
	get := func(op, k string) float64 {
		for _, p := range pts {
			if p.typ == typ && p.op == op && p.kernel == k && p.c == 80 {
				return p.ns
			}
		}
		return 0
	}
	sum, lg, st := get("SoftmaxSum", best), get("SoftmaxLossGrad", best), get("SoftmaxSum", "stable")
	return fmt.Sprintf("%s's SoftmaxSum %.3f ns per logit, %.2f× its Sum per element (%.3f ns, %d elements, hard targets); stable's %.1f× slower; SoftmaxLossGrad %.2f× SoftmaxSum",
		best, sum, sum/flat, flat, n, st/sum, lg/sum)
}

// flatSum times Best's flat Sum per element over n elements of hard targets.
func flatSum[F focal.Float](cfg reportConfig, n int) float64 {
	x, t := bench.Data[F](n, bench.Hard)
	var sink float64
	med, _, _ := measure(func() { sink += focal.Best[F]().Sum(x, t, cfg.p) }, n, cfg.dur)
	runtime.KeepAlive(sink)
	return med
}

// softmaxPick returns the fastest kernel of type typ at C = 80 whose
// softmax golden rows meet the form's bar (4 ULP, 8 eps), with why.
func softmaxPick(pts []softmaxPoint, typ string) string {
	bar := focal.Bar{LossULP: 4, Grad: 8}
	var cands []softmaxPoint
	for _, p := range pts {
		if p.typ == typ && p.op == "SoftmaxLossGrad" && p.c == 80 && p.kernel != "checked" {
			cands = append(cands, p)
		}
	}
	slices.SortFunc(cands, func(a, b softmaxPoint) int {
		switch {
		case a.ns < b.ns:
			return -1
		case a.ns > b.ns:
			return 1
		}
		return 0
	})
	var skipped []string
	for _, p := range cands {
		var fails int
		if typ == "float32" {
			k, _ := focal.Lookup[float32](p.kernel)
			fails = len(kit.SoftmaxGolden(k.(focal.SoftmaxKernel[float32]), bar))
		} else {
			k, _ := focal.Lookup[float64](p.kernel)
			fails = len(kit.SoftmaxGolden(k.(focal.SoftmaxKernel[float64]), bar))
		}
		if fails == 0 {
			why := fmt.Sprintf("%s, %.3f ns per logit, every golden row within 4 ULP and 8 eps", p.kernel, p.ns)
			if len(skipped) > 0 {
				why += "; faster but inaccurate: " + strings.Join(skipped, ", ")
			}
			return why
		}
		skipped = append(skipped, fmt.Sprintf("%s (%d golden rows over the bar)", p.kernel, fails))
	}
	return "none meets the bar"
}
