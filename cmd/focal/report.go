package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/bench"
	"github.com/focalkernels/focal/bench/cpeer"
	"github.com/focalkernels/focal/internal/accuracy"
	"github.com/focalkernels/focal/internal/cpuinfo"
)

// reportConfig is what the report's flags set.
type reportConfig struct {
	sizes  []int
	kinds  []bench.Targets
	at     int
	p      focal.Params
	dur    time.Duration
	out    string
	decide string   // the operation the recommendation is for
	rows   rowsHead // the head the rows form is timed on
	smRows int      // rows of the softmax form's timings
	smCs   []int    // their class counts
}

// sizeList is a flag holding sizes such as "1Ki,64Ki,1Mi".
type sizeList []int

func (s *sizeList) String() string { return joinList(*s, sizeLabel) }

func (s *sizeList) Set(v string) (err error) {
	*s, err = parseList(v, bench.ParseSize)
	return err
}

// targetList is a flag holding target kinds such as "hard,smooth".
type targetList []bench.Targets

func (l *targetList) String() string {
	return joinList(*l, func(k bench.Targets) string { return string(k) })
}

func (l *targetList) Set(v string) (err error) {
	*l, err = parseList(v, func(f string) (bench.Targets, error) { return bench.ParseTargets(strings.TrimSpace(f)) })
	return err
}

// joinList writes items comma-separated, each as format writes it.
func joinList[T any](items []T, format func(T) string) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = format(it)
	}
	return strings.Join(parts, ",")
}

// parseList reads a comma-separated list, each item as parse reads it.
func parseList[T any](v string, parse func(string) (T, error)) ([]T, error) {
	var items []T
	for _, f := range strings.Split(v, ",") {
		it, err := parse(f)
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	return items, nil
}

var reportOps = []string{"Sum", "LossGrad"}

func runReport(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	cfg := reportConfig{sizes: slices.Clone(bench.Grid), kinds: slices.Clone(bench.AllTargets), rows: rowsHead{8192, 80},
		smRows: bench.SoftmaxRows[0], smCs: slices.Clone(bench.SoftmaxCs)}
	fs.Var((*sizeList)(&cfg.sizes), "n", "sizes to time, in elements, comma-separated (Ki and Mi suffixes)")
	fs.Var((*targetList)(&cfg.kinds), "targets", "target kinds to time and recommend for, comma-separated: hard, smooth, iou")
	fs.IntVar(&cfg.at, "at", bench.At, "your N: the size the recommendation is made for (timed too if not in -n)")
	fs.Float64Var(&cfg.p.Gamma, "gamma", 2, "γ for the timings (2 is special-cased by some kernels; try 1.5 for the general power)")
	fs.Float64Var(&cfg.p.Alpha, "alpha", 0.25, "α for the timings (negative: no class weighting)")
	fs.DurationVar(&cfg.dur, "time", 100*time.Millisecond, "time spent per kernel, type, operation and size (a point); 5 batches, median kept")
	fs.StringVar(&cfg.out, "out", filepath.Join("results", cpuinfo.Machine()), "directory for report.md, speed.png and accuracy.png")
	fs.StringVar(&cfg.decide, "op", "LossGrad", "operation the recommendation is for: LossGrad (a training step) or Sum (the loss value alone)")
	fs.Var(&cfg.rows, "rows", "the head the sigmoid rows form is timed on: rows x classes")
	fs.SetOutput(stdout)
	fs.Usage = func() {
		fmt.Fprint(stdout, `usage: focal report [flags]

Describes this CPU (brand, family and model, features, caches), lists the
kernels that run on it, times each kernel's Sum and LossGrad in float32 and
float64 at several sizes on detection-like data (logits from N(0, 4²), 1 in 64
targets positive), measures each kernel's accuracy on the embedded golden
vectors, and recommends a kernel for float32 and for float64 at your N, saying
why (speed, accuracy, what it needs from the CPU). It does the same for the
sigmoid rows form: SumRows and LossGradRows on an mmcv-style head (-rows;
labels, per-row weights with class α, smoothing) beside each kernel's flat
form on the equivalent one-hot targets, and the golden heads; then the same
for the softmax form (SoftmaxSum and SoftmaxLossGrad at 8192 rows of 3, 80
and 1000 classes, accuracy on its golden rows with torch's autograd as a
peer, the speed ratios at C = 80).

It writes report.md, speed.png (time per element against N, log-log) and
accuracy.png (loss error in ULP against x, with torchvision as a peer) into
-out, and shows its progress on standard error. With the defaults it takes
about a minute. The timings are quick and rough; for careful ones, run
make bench (go test -bench -count 10) and focal choose.

flags:
`)
		fs.PrintDefaults()
	}
	if ok, err := parseFlags(fs, args); !ok {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("report: unexpected arguments %q", fs.Args())
	}
	if err := cfg.p.Validate(); err != nil {
		return err
	}
	if cfg.at <= 0 || cfg.dur <= 0 || len(cfg.sizes) == 0 {
		return fmt.Errorf("report: -at, -time and -n must be positive")
	}
	switch strings.ToLower(cfg.decide) {
	case "lossgrad":
		cfg.decide = "LossGrad"
	case "sum":
		cfg.decide = "Sum"
	default:
		return fmt.Errorf("report: -op %q: want LossGrad or Sum", cfg.decide)
	}
	if !slices.Contains(cfg.sizes, cfg.at) {
		cfg.sizes = append(cfg.sizes, cfg.at)
	}
	slices.Sort(cfg.sizes)
	cfg.sizes = slices.Compact(cfg.sizes)
	return report(cfg, stdout, os.Stderr, term.IsTerminal(int(os.Stderr.Fd())))
}

// kernelSet is what the report knows about one element type.
type kernelSet struct {
	typ     string
	names   []string // the kernels that run here, in focal.Kernels order
	extra   []string // timed beside them: the checked API, and the C peers with -tags cpeer
	best    string
	sums    []accuracy.Summary // the kernels, the general C peers, then torchvision
	outputs []accuracy.Outputs
}

func report(cfg reportConfig, stdout, progressOut io.Writer, tty bool) error {
	start := time.Now()
	cpu := cpuinfo.Detect()
	fmt.Fprintf(stdout, "CPU: %s (family %d, model %d), %d logical cores; results go to %s\n", cpu.Brand, cpu.Family, cpu.Model, cpu.LogicalCores, cfg.out)
	sets := []*kernelSet{accuracyOf[float32]("float32"), accuracyOf[float64]("float64")}
	for _, s := range sets {
		fmt.Fprintf(stdout, "%s kernels: %s (Best: %s); also timed: %s\n", s.typ, strings.Join(s.names, ", "), s.best, strings.Join(s.extra, ", "))
	}

	pr := newProgress(progressOut, tty, points[float32](cfg)+points[float64](cfg)+rowsPoints[float32]()+rowsPoints[float64]())
	var times []timing
	times = append(times, timeKernels[float32](cfg, pr)...)
	times = append(times, timeKernels[float64](cfg, pr)...)
	rows := append(timeRowsReport[float32](cfg, pr), timeRowsReport[float64](cfg, pr)...)
	verdicts := append(rowsAccuracy[float32](), rowsAccuracy[float64]()...)
	pr.finish()

	var picks []choice
	for _, kind := range cfg.kinds {
		var byType []choice
		for _, s := range sets {
			byType = append(byType, recommend(s.typ, cfg.decide, kind, cfg.at, s.sums, times, s.best))
		}
		if len(byType) == 2 {
			byType[1] = noteFloat32(byType[1], byType[0])
		}
		picks = append(picks, byType...)
	}
	fmt.Fprintf(stdout, "\nRecommended kernels (%s at N = %d):\n", cfg.decide, cfg.at)
	for _, c := range picks {
		fmt.Fprintf(stdout, "\n%s, %s targets: %s\n  %s\n", c.Type, c.Targets, c.Kernel, strings.Join(c.Reason, "\n  "))
	}
	rowsPicks := recommendRows(rows, verdicts)
	for _, c := range rowsPicks {
		fmt.Fprintf(stdout, "\n%s, the sigmoid rows form (LossGradRows, %dx%d, weights and class α): %s\n  %s\n", c.Type, cfg.rows[0], cfg.rows[1], c.Kernel, strings.Join(c.Reason, "\n  "))
	}

	if err := os.MkdirAll(cfg.out, 0o755); err != nil {
		return err
	}
	kernels := map[string][]string{}
	outs := map[string][]accuracy.Outputs{}
	for _, s := range sets {
		kernels[s.typ] = append(slices.Clone(s.names), s.extra...)
		outs[s.typ] = s.outputs
	}
	title := fmt.Sprintf("%s: time per element, α = %g, γ = %g", cpu.Brand, cfg.p.Alpha, cfg.p.Gamma)
	if err := plotSpeed(filepath.Join(cfg.out, "speed.png"), times, reportOps, cfg.kinds, []string{"float32", "float64"}, kernels, title); err != nil {
		return fmt.Errorf("speed plot: %v", err)
	}
	if err := plotAccuracy(filepath.Join(cfg.out, "accuracy.png"), outs, []string{"float32", "float64"}); err != nil {
		return fmt.Errorf("accuracy plot: %v", err)
	}
	var md bytes.Buffer
	writeReportMD(&md, cfg, cpu, sets, times, picks, time.Since(start))
	writeRowsMD(&md, cfg, rows, verdicts, rowsPicks)
	if err := reportSoftmax(cfg, stdout, &md); err != nil {
		return fmt.Errorf("softmax form: %v", err)
	}
	if err := os.WriteFile(filepath.Join(cfg.out, "report.md"), md.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nwrote %s, speed.png and accuracy.png in %s (%s)\n", filepath.Join(cfg.out, "report.md"), cfg.out, time.Since(start).Round(100*time.Millisecond))
	return nil
}

// accuracyOf runs every kernel of type F, and the general C peers, on the
// golden rows, and adds torchvision's recorded outputs as a peer.
func accuracyOf[F focal.Float](typ string) *kernelSet {
	s := &kernelSet{typ: typ, best: focal.Best[F]().Name()}
	bits := 64
	if typ == "float32" {
		bits = 32
	}
	for _, k := range focal.Kernels[F]() {
		s.names = append(s.names, k.Name())
		s.outputs = append(s.outputs, accuracy.Run(k))
	}
	for _, k := range extraKernels[F]() {
		s.extra = append(s.extra, k.Name())
		if !bench.HardOnly(k) && k.Name() != "checked" { // the checked API is Best
			s.outputs = append(s.outputs, accuracy.Run(k))
		}
	}
	s.outputs = append(s.outputs, accuracy.Torchvision(bits))
	for _, o := range s.outputs {
		s.sums = append(s.sums, accuracy.Summarize(o.Name, accuracy.Errors(o)))
	}
	return s
}

// extraKernels are timed beside the kernels: the checked API (Best with its
// validation) and the C peers (-tags cpeer).
func extraKernels[F focal.Float]() []focal.Kernel[F] {
	return append([]focal.Kernel[F]{bench.Checked[F]()}, cpeer.Kernels[F]()...)
}

// timed reports whether kernel k is timed for op on kind: the hard-only C
// peers have a Sum of hard targets only.
func timed(k any, op string, kind bench.Targets) bool {
	return !bench.HardOnly(k) || (op == "Sum" && kind == bench.Hard)
}

// points counts the measurements timeKernels makes for type F.
func points[F focal.Float](cfg reportConfig) int {
	n := 0
	for _, kind := range cfg.kinds {
		for _, op := range reportOps {
			for _, k := range append(focal.Kernels[F](), extraKernels[F]()...) {
				if timed(k, op, kind) {
					n += len(cfg.sizes)
				}
			}
		}
	}
	return n
}

var reportSink float64

// timeOne measures one point and shows it.
func timeOne(cfg reportConfig, pr *progress, typ, op, kernel string, kind bench.Targets, n int, fn func()) timing {
	label := fmt.Sprintf("%s %s %s %s n=%s", typ, op, kind, kernel, sizeLabel(n))
	pr.begin(label)
	med, lo, calls := measure(fn, n, cfg.dur)
	tm := timing{Type: typ, Op: op, Kernel: kernel, Targets: kind, N: n, NsPerElem: med, MinNsPerElem: lo, Calls: calls}
	pr.end(label, tm)
	return tm
}

// timeKernels times every kernel of type F, the checked API and the C peers,
// at every size and target kind, for each operation.
func timeKernels[F focal.Float](cfg reportConfig, pr *progress) []timing {
	typ := bench.TypeName[F]()
	ks := append(focal.Kernels[F](), extraKernels[F]()...)
	var out []timing
	for _, n := range cfg.sizes {
		for _, kind := range cfg.kinds {
			x, t := bench.Data[F](n, kind)
			loss, grad := make([]F, n), make([]F, n)
			runtime.GC() // no collection of the previous data during the timings
			for _, op := range reportOps {
				for _, k := range ks {
					if !timed(k, op, kind) {
						continue
					}
					var fn func()
					switch op {
					case "Sum":
						fn = func() { reportSink += k.Sum(x, t, cfg.p) }
					case "LossGrad":
						fn = func() { k.LossGrad(loss, grad, x, t, cfg.p) }
					}
					out = append(out, timeOne(cfg, pr, typ, op, k.Name(), kind, n, fn))
				}
			}
			reportSink += float64(loss[n-1] + grad[n-1])
		}
	}
	runtime.KeepAlive(reportSink) // read, so that the work feeding it is kept
	return out
}
