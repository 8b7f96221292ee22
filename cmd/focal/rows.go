package main

import (
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/bench"
	"github.com/focalkernels/focal/internal/kit"
)

// The sigmoid rows form in focal compare and focal report: every kernel's
// rows form against the golden heads (kit.RowsGolden, a 200-bit reference),
// and its SumRows and LossGradRows timed on an mmcv-style head
// (bench.RowsData) beside its flat form on the equivalent one-hot targets.

// rowsHead is a flag holding a head's rows and classes, such as "8192x80".
type rowsHead [2]int

func (h *rowsHead) String() string { return fmt.Sprintf("%dx%d", h[0], h[1]) }

func (h *rowsHead) Set(v string) error {
	a, b, ok := strings.Cut(strings.TrimSpace(v), "x")
	n, err1 := bench.ParseSize(a)
	c, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || c < 1 {
		return fmt.Errorf("rows %q: want rows x classes, such as 8192x80", v)
	}
	*h = rowsHead{n, c}
	return nil
}

// rowsOps are the rows operations timed, and rowsVariants the variants
// (bench.RowsTargets but onehot-smooth, which the smooth ratio does not need).
var (
	rowsOps      = []string{"SumRows", "LossGradRows"}
	rowsVariants = []string{"onehot", "labels", "weighted", "smooth"}
)

// rowsTiming is one kernel's time per logit for a rows operation and
// variant (onehot: its flat form).
type rowsTiming struct {
	Type, Op, Kernel, Variant string
	NsPerElem                 float64
}

// rowsVerdict is one kernel's rows form against the golden heads.
type rowsVerdict struct {
	Type, Kernel, Bar string
	Fails             int
	First             string
}

// rowsAccuracy holds every kernel's rows form of type F to its declared bar
// on the golden heads.
func rowsAccuracy[F focal.Float]() []rowsVerdict {
	var out []rowsVerdict
	for _, k := range focal.Kernels[F]() {
		bar, _ := focal.BarOf[F](k.Name())
		fails := kit.RowsGolden(k.(focal.RowsKernel[F]), bar)
		v := rowsVerdict{Type: bench.TypeName[F](), Kernel: k.Name(), Bar: describeBar(bar), Fails: len(fails)}
		if len(fails) > 0 {
			v.First = fails[0]
		}
		out = append(out, v)
	}
	return out
}

// timeRows times ops of every kernel of type F (and the checked API) on the
// head, each variant, with measure (median of batches for about dur).
func timeRows[F focal.Float](head rowsHead, p focal.Params, dur time.Duration, ops []string, show func(rowsTiming)) []rowsTiming {
	n, c := head[0], head[1]
	r, ca, onehot := bench.RowsData[F](n, c)
	loss, grad := make([]F, n*c), make([]F, n*c)
	runtime.GC()
	ks := append(focal.Kernels[F](), bench.CheckedRows[F]().(focal.Kernel[F]))
	var out []rowsTiming
	var sink float64
	for _, op := range ops {
		for _, v := range rowsVariants {
			for _, k := range ks {
				rk := k.(focal.RowsKernel[F])
				rr, pp := r, p
				switch v {
				case "labels":
					rr.Weight = nil
				case "weighted":
					pp.ClassAlpha = ca
				case "smooth":
					rr.Weight, pp.Smoothing = nil, bench.Smoothing
				}
				var fn func()
				switch {
				case v == "onehot" && op == "SumRows":
					fn = func() { sink += k.Sum(r.X, onehot, p) }
				case v == "onehot":
					fn = func() { k.LossGrad(loss, grad, r.X, onehot, p) }
				case op == "SumRows":
					fn = func() { s, _ := rk.SumRows(rr, pp); sink += s }
				default:
					fn = func() { rk.LossGradRows(loss, grad, rr, pp) }
				}
				med, _, _ := measure(fn, n*c, dur)
				t := rowsTiming{Type: bench.TypeName[F](), Op: op, Kernel: k.Name(), Variant: v, NsPerElem: med}
				if show != nil {
					show(t)
				}
				out = append(out, t)
			}
		}
	}
	runtime.KeepAlive(sink)
	return out
}

// rowsNs returns a timing's ns per logit, or 0.
func rowsNs(ts []rowsTiming, typ, op, kernel, variant string) float64 {
	for _, t := range ts {
		if t.Type == typ && t.Op == op && t.Kernel == kernel && t.Variant == variant {
			return t.NsPerElem
		}
	}
	return 0
}

// writeRowsTable writes, per type and operation, each kernel's ns per
// logit in each variant and the ratios the rows form's bars are stated in:
// labels and weighted against the flat one-hot form, smooth against labels.
// sep is the column separator ("\t" for a tabwriter, " | " for markdown).
func writeRowsTable(w io.Writer, ts []rowsTiming, typ, op string, kernels []string, md bool) {
	cell := func(s ...string) string {
		if md {
			return "| " + strings.Join(s, " | ") + " |\n"
		}
		return strings.Join(s, "\t") + "\t\n"
	}
	head := []string{"kernel", "onehot (flat)", "labels", "weighted", "smooth", "labels/onehot", "weighted/onehot", "smooth/labels"}
	fmt.Fprint(w, cell(head...))
	if md {
		fmt.Fprint(w, "|"+strings.Repeat("---|", len(head))+"\n")
	}
	for _, k := range kernels {
		oh, lb, wt, sm := rowsNs(ts, typ, op, k, "onehot"), rowsNs(ts, typ, op, k, "labels"), rowsNs(ts, typ, op, k, "weighted"), rowsNs(ts, typ, op, k, "smooth")
		if oh == 0 && lb == 0 {
			continue
		}
		ratio := func(a, b float64) string {
			if a == 0 || b == 0 {
				return "-"
			}
			return fmt.Sprintf("%.2f", a/b)
		}
		ns := func(v float64) string { return fmt.Sprintf("%.3g", v) }
		fmt.Fprint(w, cell(k, ns(oh), ns(lb), ns(wt), ns(sm), ratio(lb, oh), ratio(wt, oh), ratio(sm, lb)))
	}
}

// compareRows prints the rows form's accuracy verdicts and, with dur > 0,
// its quick timings (SumRows) on the head.
func compareRows(w io.Writer, head rowsHead, p focal.Params, dur time.Duration) error {
	fmt.Fprintf(w, "\nThe sigmoid rows form against the golden heads (a 200-bit reference; labels, background, ignored rows, weights, class α, smoothing):\n")
	for _, v := range append(rowsAccuracy[float32](), rowsAccuracy[float64]()...) {
		verdict := "meets it"
		if v.Fails > 0 {
			verdict = fmt.Sprintf("MISSES it on %d elements, first: %s", v.Fails, v.First)
		}
		fmt.Fprintf(w, "  %s %s: %s; %s\n", v.Type, v.Kernel, v.Bar, verdict)
	}
	if dur <= 0 {
		return nil
	}
	for _, typ := range []string{"float32", "float64"} {
		var ts []rowsTiming
		if typ == "float32" {
			ts = timeRows[float32](head, p, dur, rowsOps[:1], nil)
		} else {
			ts = timeRows[float64](head, p, dur, rowsOps[:1], nil)
		}
		fmt.Fprintf(w, "\nSumRows, %s, N = %d rows of C = %d (%.0f%% positive, %.0f%% ignored), α = %g, γ = %g, ns per logit (median of %d batches):\n",
			typ, head[0], head[1], 100*bench.RowsPositive, 100*bench.RowsIgnored, p.Alpha, p.Gamma, batches)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		writeRowsTable(tw, ts, typ, "SumRows", append(kernelNames(), "checked"), false)
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// rowsPoints counts the rows measurements of type F in a report.
func rowsPoints[F focal.Float]() int {
	return len(rowsOps) * len(rowsVariants) * (len(focal.Kernels[F]()) + 1)
}

// timeRowsReport times the rows form for the report, showing progress.
func timeRowsReport[F focal.Float](cfg reportConfig, pr *progress) []rowsTiming {
	return timeRows[F](cfg.rows, cfg.p, cfg.dur, rowsOps, func(t rowsTiming) {
		label := fmt.Sprintf("%s %s %s %s %dx%d", t.Type, t.Op, t.Variant, t.Kernel, cfg.rows[0], cfg.rows[1])
		pr.begin(label)
		pr.end(label, timing{NsPerElem: t.NsPerElem})
	})
}

// rowsChoice is the rows form's recommendation for one type.
type rowsChoice struct {
	Type, Kernel string
	NsPerElem    float64
	Reason       []string
}

// recommendRows picks, per type, the fastest kernel for LossGradRows with
// weights and class α among those that meet their bar on the golden heads.
func recommendRows(ts []rowsTiming, vs []rowsVerdict) []rowsChoice {
	var out []rowsChoice
	for _, typ := range []string{"float32", "float64"} {
		c := rowsChoice{Type: typ}
		for _, v := range vs {
			if v.Type != typ || v.Fails > 0 {
				continue
			}
			ns := rowsNs(ts, typ, "LossGradRows", v.Kernel, "weighted")
			if ns > 0 && (c.Kernel == "" || ns < c.NsPerElem) {
				c.Kernel, c.NsPerElem = v.Kernel, ns
			}
		}
		if c.Kernel == "" {
			continue
		}
		c.Reason = append(c.Reason, fmt.Sprintf("fastest LossGradRows with per-row weights and class α: %.3g ns per logit", c.NsPerElem))
		if oh := rowsNs(ts, typ, "LossGradRows", c.Kernel, "onehot"); oh > 0 {
			c.Reason = append(c.Reason, fmt.Sprintf("%.2f× its flat LossGrad on the one-hot targets", c.NsPerElem/oh))
		}
		c.Reason = append(c.Reason, "meets its declared bar on every golden head element")
		out = append(out, c)
	}
	return out
}

// writeRowsMD writes the report's section on the rows form.
func writeRowsMD(w io.Writer, cfg reportConfig, ts []rowsTiming, vs []rowsVerdict, picks []rowsChoice) {
	fmt.Fprintf(w, "\n## The sigmoid rows form\n\n")
	fmt.Fprintf(w, "An mmcv-style head (bench.RowsData): N = %d rows of C = %d logits from N(0, 4²), %.0f%% of rows positive, %.0f%% ignored, the rest background; α = %g, γ = %g. ",
		cfg.rows[0], cfg.rows[1], 100*bench.RowsPositive, 100*bench.RowsIgnored, cfg.p.Alpha, cfg.p.Gamma)
	fmt.Fprintf(w, "`labels`: the rows form, scalar α; `weighted`: per-row weights and class α; `smooth`: label smoothing %g; `onehot`: the kernel's flat form on the equivalent one-hot targets. ns per logit, median of %d batches.\n\n", bench.Smoothing, batches)
	for _, c := range picks {
		fmt.Fprintf(w, "- **%s: %s.** %s.\n", c.Type, c.Kernel, strings.Join(c.Reason, "; "))
	}
	fmt.Fprintln(w)
	for _, typ := range []string{"float32", "float64"} {
		for _, op := range rowsOps {
			fmt.Fprintf(w, "%s, %s:\n\n", op, typ)
			writeRowsTable(w, ts, typ, op, append(kernelNames(), "checked"), true)
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "Golden heads (a 200-bit math/big reference per element: labels, background, ignored rows, weights, class α, smoothing), each kernel at its declared bar:\n\n")
	for _, v := range vs {
		verdict := "meets it"
		if v.Fails > 0 {
			verdict = fmt.Sprintf("misses it on %d elements (first: %s)", v.Fails, v.First)
		}
		fmt.Fprintf(w, "- %s %s: %s; %s\n", v.Type, v.Kernel, v.Bar, verdict)
	}
}
