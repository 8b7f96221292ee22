// Package choose reads go test -bench output and picks, for every benchmark
// and size, the fastest kernel, with a confidence interval and a significance
// test against the runner-up, using golang.org/x/perf's benchfmt and benchmath
// (the parser and statistics behind benchstat).
//
// A benchmark's name carries its kernel and size as sub-benchmark keys, as in
// this module's bench package:
//
//	BenchmarkSum/kernel=asm-avx2/n=65536/gamma=2/type=float32-2
//
// Results with the same base name, the same other keys (here gamma and type),
// the same GOMAXPROCS and the same cpu line form a group; within a group each
// value of n is decided separately, among the kernels measured at that n.
package choose

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchunit"
)

// Options set what is compared and how.
type Options struct {
	Unit       string  // the unit compared, lower is better; "sec/op" if empty; "ns/op" means "sec/op"
	KernelKey  string  // the sub-benchmark key naming the kernel; "kernel" if empty
	SizeKey    string  // the key naming the size; "n" if empty
	Confidence float64 // of the interval around each median; 0.95 if 0
	Alpha      float64 // significance level of the Mann-Whitney U test; 0.05 if 0
}

func (o Options) withDefaults() Options {
	if o.Unit == "" {
		o.Unit = "sec/op"
	}
	_, o.Unit = benchunit.Tidy(1, o.Unit) // "ns/op" → "sec/op", as the reader tidies the results
	if o.KernelKey == "" {
		o.KernelKey = "kernel"
	}
	if o.SizeKey == "" {
		o.SizeKey = "n"
	}
	if o.Confidence == 0 {
		o.Confidence = 0.95
	}
	if o.Alpha == 0 {
		o.Alpha = 0.05
	}
	return o
}

// Kernel is one kernel's measurements at one size.
type Kernel struct {
	Name    string
	Sample  *benchmath.Sample
	Summary benchmath.Summary // median and its confidence interval
	// Cmp compares this kernel with the fastest (zero for the fastest itself).
	Cmp benchmath.Comparison
}

// Significant reports whether k differs from the fastest at the test's level.
func (k Kernel) Significant() bool { return k.Cmp.N1 > 0 && k.Cmp.P < k.Cmp.Alpha }

// Decision is the choice for one group at one size.
type Decision struct {
	Size    string   // the size key's value, "" if the benchmarks have none
	Kernels []Kernel // by median, fastest first
}

// Fastest returns the kernel with the lowest median.
func (d Decision) Fastest() Kernel { return d.Kernels[0] }

// RunnerUp returns the second fastest, and false if only one kernel was measured.
func (d Decision) RunnerUp() (Kernel, bool) {
	if len(d.Kernels) < 2 {
		return Kernel{}, false
	}
	return d.Kernels[1], true
}

// Ties returns the kernels other than the fastest whose difference to it is
// not significant.
func (d Decision) Ties() []string {
	var t []string
	for _, k := range d.Kernels[1:] {
		if !k.Significant() {
			t = append(t, k.Name)
		}
	}
	return t
}

// Group is one benchmark (base name and other keys) and its decisions by size.
type Group struct {
	Name      string // e.g. "Sum gamma=2 type=float32"
	CPU       string // the cpu: line in effect, if any
	Decisions []Decision
}

// Short summarizes the group in one line: the fastest kernel per size,
// sizes with the same verdict merged, "a ≈ b" where a's lead over the
// runner-up b is not significant.
func (g Group) Short() string {
	var parts []string
	last := ""
	var sizes []string
	flush := func() {
		if last != "" {
			parts = append(parts, fmt.Sprintf("%s at n=%s", last, strings.Join(sizes, ",")))
		}
	}
	for _, d := range g.Decisions {
		v := d.Fastest().Name
		if ru, ok := d.RunnerUp(); ok && !ru.Significant() {
			v += " ≈ " + ru.Name
		}
		if v != last {
			flush()
			last, sizes = v, nil
		}
		sizes = append(sizes, orDash(d.Size))
	}
	flush()
	return strings.Join(parts, "; ")
}

// Report is everything Read found.
type Report struct {
	Unit       string
	Confidence float64
	Alpha      float64
	Groups     []Group
	Skipped    int      // results without the kernel key or without the unit
	Warnings   []string // malformed benchmark lines, skipped
}

// File is one input: a name for messages and its contents.
type File struct {
	Name string
	R    io.Reader
}

// Read parses every file and decides every group and size.
func Read(files []File, opt Options) (*Report, error) {
	opt = opt.withDefaults()
	type groupAcc struct {
		g      Group
		sizes  []string
		values map[string]map[string][]float64 // size → kernel → values
		order  map[string][]string             // size → kernels in order of appearance
	}
	var groups []*groupAcc
	byKey := map[string]*groupAcc{}
	rep := &Report{Unit: opt.Unit, Confidence: opt.Confidence, Alpha: opt.Alpha}
	for _, f := range files {
		r := benchfmt.NewReader(f.R, f.Name)
		for r.Scan() {
			res, ok := r.Result().(*benchfmt.Result)
			if !ok {
				if e, isErr := r.Result().(*benchfmt.SyntaxError); isErr {
					rep.Warnings = append(rep.Warnings, e.Error())
				}
				continue
			}
			kernel, size, name, ok := split(res.Name, opt)
			v, hasUnit := res.Value(opt.Unit)
			if !ok || !hasUnit {
				rep.Skipped++
				continue
			}
			cpu := res.GetConfig("cpu")
			key := cpu + "\x00" + name
			ga := byKey[key]
			if ga == nil {
				ga = &groupAcc{g: Group{Name: name, CPU: cpu}, values: map[string]map[string][]float64{}, order: map[string][]string{}}
				byKey[key] = ga
				groups = append(groups, ga)
			}
			if ga.values[size] == nil {
				ga.values[size] = map[string][]float64{}
				ga.sizes = append(ga.sizes, size)
			}
			if _, seen := ga.values[size][kernel]; !seen {
				ga.order[size] = append(ga.order[size], kernel)
			}
			ga.values[size][kernel] = append(ga.values[size][kernel], v)
		}
		if err := r.Err(); err != nil {
			return nil, err
		}
	}
	th := &benchmath.Thresholds{CompareAlpha: opt.Alpha}
	for _, ga := range groups {
		sortSizes(ga.sizes)
		for _, size := range ga.sizes {
			d := Decision{Size: size}
			for _, name := range ga.order[size] {
				s := benchmath.NewSample(slices.Clone(ga.values[size][name]), th)
				d.Kernels = append(d.Kernels, Kernel{Name: name, Sample: s, Summary: benchmath.AssumeNothing.Summary(s, opt.Confidence)})
			}
			sort.SliceStable(d.Kernels, func(i, j int) bool { return d.Kernels[i].Summary.Center < d.Kernels[j].Summary.Center })
			for i := 1; i < len(d.Kernels); i++ {
				d.Kernels[i].Cmp = benchmath.AssumeNothing.Compare(d.Kernels[0].Sample, d.Kernels[i].Sample)
			}
			ga.g.Decisions = append(ga.g.Decisions, d)
		}
		rep.Groups = append(rep.Groups, ga.g)
	}
	return rep, nil
}

// split takes the kernel and size keys out of a benchmark name and returns the
// rest as the group name: the base name (without "Benchmark"), then the other
// parts in order, then the GOMAXPROCS as procs=N.
func split(n benchfmt.Name, opt Options) (kernel, size, group string, ok bool) {
	base, parts := n.Parts()
	words := []string{strings.TrimPrefix(string(base), "Benchmark")}
	for _, p := range parts {
		s := string(p)
		switch {
		case strings.HasPrefix(s, "-"):
			words = append(words, "procs="+s[1:])
			continue
		case strings.HasPrefix(s, "/"):
			s = s[1:]
		}
		k, v, isKV := strings.Cut(s, "=")
		switch {
		case isKV && k == opt.KernelKey:
			kernel, ok = v, true
		case isKV && k == opt.SizeKey:
			size = v
		default:
			words = append(words, s)
		}
	}
	return kernel, size, strings.Join(words, " "), ok
}

// sortSizes orders sizes numerically when they all are numbers.
func sortSizes(s []string) {
	for _, v := range s {
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return
		}
	}
	sort.SliceStable(s, func(i, j int) bool {
		a, _ := strconv.ParseFloat(s[i], 64)
		b, _ := strconv.ParseFloat(s[j], 64)
		return a < b
	})
}

// Write prints one table per group: per size, the fastest kernel with its
// median and confidence interval, the runner-up, the difference and its
// p-value, and whether the difference is significant.
func (r *Report) Write(w io.Writer) error {
	var buf bytes.Buffer
	scale, unit := displayUnit(r.Unit)
	fmt.Fprintf(&buf, "Fastest kernel per size: median %s with its %.0f%% confidence interval; the difference to the\n", unit, 100*r.Confidence)
	fmt.Fprintf(&buf, "runner-up is significant when the Mann-Whitney U test gives p < %g (benchmath, as benchstat).\n", r.Alpha)
	cpu := ""
	for _, g := range r.Groups {
		if g.CPU != cpu && g.CPU != "" {
			fmt.Fprintf(&buf, "\ncpu: %s\n", g.CPU)
			cpu = g.CPU
		}
		fmt.Fprintf(&buf, "\n%s\n", g.Name)
		rows := [][]string{{"n", "fastest", unit, fmt.Sprintf("%.0f%% CI", 100*r.Confidence), perElem(unit), "runner-up", unit, "delta", "p", "verdict"}}
		for _, d := range g.Decisions {
			f := d.Fastest()
			row := []string{orDash(d.Size), f.Name, num(f.Summary.Center * scale), interval(f.Summary, scale), elem(f.Summary.Center*scale, d.Size, g.Name)}
			ru, ok := d.RunnerUp()
			if !ok {
				row = append(row, "-", "-", "-", "-", "only kernel")
			} else {
				verdict := "significant"
				if !ru.Significant() {
					verdict = "not significant"
					if ties := d.Ties(); len(ties) > 1 {
						verdict += ": tie with " + strings.Join(ties, ", ")
					}
					if len(ru.Cmp.Warnings) > 0 {
						verdict += " (" + ru.Cmp.Warnings[0].Error() + ")"
					}
				}
				row = append(row, ru.Name, num(ru.Summary.Center*scale),
					fmt.Sprintf("%+.1f%%", 100*(ru.Summary.Center/f.Summary.Center-1)),
					fmt.Sprintf("%.3f n=%d+%d", ru.Cmp.P, ru.Cmp.N1, ru.Cmp.N2), verdict)
			}
			rows = append(rows, row)
		}
		writeTable(&buf, rows)
	}
	if len(r.Groups) > 0 {
		fmt.Fprintf(&buf, "\nIn short (a ≈ b: a is fastest, but not significantly faster than b):\n")
		for _, g := range r.Groups {
			fmt.Fprintf(&buf, "  %s: %s\n", g.Name, g.Short())
		}
	}
	for _, m := range r.Warnings {
		fmt.Fprintf(&buf, "warning: %s\n", m)
	}
	if r.Skipped > 0 {
		fmt.Fprintf(&buf, "\n(%d results skipped: no kernel= key or no %s)\n", r.Skipped, r.Unit)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func displayUnit(u string) (float64, string) {
	if rest, ok := strings.CutPrefix(u, "sec/"); ok {
		return 1e9, "ns/" + rest
	}
	return 1, u
}

// interval prints a confidence interval, or says why there is none.
func interval(s benchmath.Summary, scale float64) string {
	if math.IsInf(s.Lo, 0) || math.IsInf(s.Hi, 0) {
		if len(s.Warnings) > 0 {
			return "±∞ (" + strings.TrimSuffix(s.Warnings[0].Error(), " for confidence interval at level "+strconv.FormatFloat(s.Confidence, 'g', -1, 64)) + ")"
		}
		return "±∞"
	}
	return fmt.Sprintf("[%s, %s]", num(s.Lo*scale), num(s.Hi*scale))
}

// perElem names the per-element column: "ns/elem" for "ns/op".
func perElem(unit string) string {
	if u, ok := strings.CutSuffix(unit, "/op"); ok {
		return u + "/elem"
	}
	return "per elem"
}

// elem divides a per-op value by a numeric size, times the group's c=
// key where it has one (the softmax form's benchmarks: n rows of c
// elements).
func elem(v float64, size, group string) string {
	n, err := strconv.ParseFloat(size, 64)
	if err != nil || n <= 0 {
		return "-"
	}
	for _, w := range strings.Fields(group) {
		if c, ok := strings.CutPrefix(w, "c="); ok {
			if k, err := strconv.ParseFloat(c, 64); err == nil && k > 0 {
				n *= k
			}
		}
	}
	return num(v / n)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// num prints a measurement with four significant digits.
func num(v float64) string {
	switch {
	case math.IsInf(v, 0) || math.IsNaN(v):
		return fmt.Sprint(v)
	case math.Abs(v) >= 1e4:
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// writeTable pads columns: text left-aligned, the rest as given.
func writeTable(w io.Writer, rows [][]string) {
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			if i == len(r)-1 {
				b.WriteString(c)
				break
			}
			b.WriteString(c)
			b.WriteString(strings.Repeat(" ", width[i]-len([]rune(c))+2))
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}
