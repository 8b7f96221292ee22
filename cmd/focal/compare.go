package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"text/tabwriter"
	"time"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/bench"
	"github.com/focalkernels/focal/internal/accuracy"
	"github.com/focalkernels/focal/internal/kit"
)

func runCompare(args []string, stdout io.Writer) (err error) {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	n := fs.Int("n", bench.At, "elements per call for the timing")
	kinds := targetList{bench.Hard}
	fs.Var(&kinds, "targets", "target kinds to time, comma-separated: hard, smooth, iou")
	gamma := fs.Float64("gamma", 2, "γ for the timing")
	alpha := fs.Float64("alpha", 0.25, "α for the timing")
	dur := fs.Duration("time", 100*time.Millisecond, "how long to time each kernel; 0 prints accuracy only")
	head := rowsHead{8192, 80}
	fs.Var(&head, "rows", "the head the rows forms are timed on: rows x classes")
	fs.SetOutput(stdout)
	fs.Usage = func() {
		fmt.Fprintln(stdout, "usage: focal compare [flags]\n\nPrints, for every kernel on this CPU, its accuracy over the embedded golden\nvectors (against mpmath, with torchvision as a peer) and whether it meets the bar\nit declares, the same for the softmax form (its golden rows, torch's autograd as\na peer) with a quick time per logit of SoftmaxSum (bench.SoftmaxData) on the\nhead -rows, then a quick time per element of Sum on the benchmark data\n(bench.Data) for each target kind asked for; then the same for the sigmoid rows\nform: its verdict on the golden heads and SumRows on an mmcv-style head (-rows)\nbeside the flat Sum on the equivalent one-hot targets. For careful timings use\ngo test -bench ./bench and benchstat.\n\nflags:")
		fs.PrintDefaults()
	}
	if ok, err := parseFlags(fs, args); !ok {
		return err
	}
	p := focal.Params{Alpha: *alpha, Gamma: *gamma}
	if err := p.Validate(); err != nil {
		return err
	}
	if *n <= 0 {
		return fmt.Errorf("-n = %d: want at least 1", *n)
	}
	if err := compareAccuracy[float32](stdout, "float32"); err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	if err := compareAccuracy[float64](stdout, "float64"); err != nil {
		return err
	}
	if err := compareSoftmax(stdout, head[0], head[1], p, *dur); err != nil {
		return err
	}
	defer func() {
		if err == nil {
			err = compareRows(stdout, head, p, *dur)
		}
	}()
	if *dur <= 0 {
		return nil
	}
	for _, kind := range kinds {
		fmt.Fprintf(stdout, "\nSum, %s targets, N = %d, α = %g, γ = %g (best of %v of runs, at least 5, per kernel; Best is marked *):\n", kind, *n, p.Alpha, p.Gamma, *dur)
		if err := writeTimes(stdout, timeAll[float32](*n, kind, p, *dur), timeAll[float64](*n, kind, p, *dur)); err != nil {
			return err
		}
	}
	return nil
}

func compareAccuracy[F focal.Float](w io.Writer, title string) error {
	var sums []accuracy.Summary
	var bars []string
	for _, k := range focal.Kernels[F]() {
		sums = append(sums, accuracy.Summarize(k.Name(), accuracy.Errors(accuracy.Run(k))))
		bar, _ := focal.BarOf[F](k.Name())
		bars = append(bars, barVerdict(k.Name(), describeBar(bar), len(kit.Golden(k, bar))))
	}
	bits := 64
	if title == "float32" {
		bits = 32
	}
	sums = append(sums, accuracy.Summarize("torchvision", accuracy.Errors(accuracy.Torchvision(bits))))
	return writeAccuracy(w, fmt.Sprintf("Accuracy over the golden vectors whose truth is a normal %s (mpmath references)", title),
		title, sums, "Declared bars (focal.BarOf)", bars)
}

// writeAccuracy writes an accuracy section: heading, the table of sums
// (accuracy.WriteTable under title), then barsHeading and each kernel's
// line of bars (barVerdict).
func writeAccuracy(w io.Writer, heading, title string, sums []accuracy.Summary, barsHeading string, bars []string) error {
	fmt.Fprintf(w, "%s:\n", heading)
	if err := accuracy.WriteTable(w, title, sums); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s, held on every golden row they cover:\n", barsHeading)
	for _, b := range bars {
		fmt.Fprintf(w, "  %s\n", b)
	}
	return nil
}

// barVerdict is a kernel's line under the declared bars: what its bar
// promises and whether it meets it on the golden rows (fails of them
// miss it).
func barVerdict(name, bar string, fails int) string {
	verdict := "meets it"
	if fails > 0 {
		verdict = fmt.Sprintf("MISSES it on %d rows", fails)
	}
	return fmt.Sprintf("%s: %s; %s", name, bar, verdict)
}

// describeBar says what a bar promises.
func describeBar(b focal.Bar) string {
	return describeBarIn(b, "gradient ≤ %g·scale·eps", " for |x| ≤ %g")
}

// describeBarIn says what a bar promises in a form's words: gradFmt states
// the gradient's bar (of b.Grad), rangeFmt the logits' range (of b.MaxAbsX).
func describeBarIn(b focal.Bar, gradFmt, rangeFmt string) string {
	var s string
	if b.Rel > 0 {
		s = fmt.Sprintf("relative error ≤ %g", b.Rel)
	} else {
		s = fmt.Sprintf("loss ≤ %d ULP, ", b.LossULP) + fmt.Sprintf(gradFmt, b.Grad)
	}
	if b.MaxAbsX > 0 {
		s += fmt.Sprintf(rangeFmt, b.MaxAbsX)
	}
	if b.MaxGamma > 0 {
		s += fmt.Sprintf(", γ ≤ %g", b.MaxGamma)
	}
	return s
}

// kernelNames lists every kernel of either type, in registry order.
func kernelNames() []string {
	var names []string
	seen := map[string]bool{}
	for _, k := range focal.Kernels[float64]() {
		seen[k.Name()] = true
		names = append(names, k.Name())
	}
	for _, k := range focal.Kernels[float32]() {
		if !seen[k.Name()] {
			names = append(names, k.Name())
		}
	}
	return names
}

// timeAll times Sum of every kernel on the benchmark data of kind (bench.Data).
func timeAll[F focal.Float](n int, kind bench.Targets, p focal.Params, dur time.Duration) map[string]string {
	x, t := bench.Data[F](n, kind)
	return timeEach(n, dur, func(k focal.Kernel[F]) (func() float64, bool) {
		return func() float64 { return k.Sum(x, t, p) }, true
	})
}

// timeEach times the call that call gives for every kernel of type F
// that has one, over per elements, and returns each kernel's ns per element
// ("%.3f", Best marked *), "-" for every other kernel of kernelNames. It
// keeps the best of repeated runs, which is the least disturbed by other
// work on the machine.
func timeEach[F focal.Float](per int, dur time.Duration, call func(k focal.Kernel[F]) (func() float64, bool)) map[string]string {
	out := map[string]string{}
	best := focal.Best[F]().Name()
	var sink float64
	for _, k := range focal.Kernels[F]() {
		run, ok := call(k)
		if !ok {
			continue
		}
		least := time.Duration(1 << 62)
		// At least five runs, so that one run disturbed by other work cannot
		// be the only one.
		for start, runs := time.Now(), 0; runs < 5 || time.Since(start) < dur; runs++ {
			t0 := time.Now()
			sink += run()
			least = minDur(least, time.Since(t0))
		}
		mark := ""
		if k.Name() == best {
			mark = "*"
		}
		out[k.Name()] = fmt.Sprintf("%.3f%s", float64(least.Nanoseconds())/float64(per), mark)
	}
	for _, k := range kernelNames() {
		if _, ok := out[k]; !ok {
			out[k] = "-"
		}
	}
	runtime.KeepAlive(sink)
	return out
}

// writeTimes writes the table of every kernel's ns per element of both
// types (timeEach's cells).
func writeTimes(w io.Writer, t32, t64 map[string]string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "kernel\tfloat32 ns/elem\tfloat64 ns/elem\t")
	for _, name := range kernelNames() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t\n", name, t32[name], t64[name])
	}
	return tw.Flush()
}

func minDur(a, b time.Duration) time.Duration {
	if a < b {
		return a
	}
	return b
}
