package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/focalkernels/focal/bench"
)

// timing is one measured point: one kernel, element type, operation and size.
type timing struct {
	Type, Op, Kernel string
	Targets          bench.Targets
	N                int
	NsPerElem        float64 // median over the batches
	MinNsPerElem     float64 // fastest batch
	Calls            int     // calls timed, all batches together
}

// batches is how many timed batches a measurement takes; the median of them
// is reported, so one batch disturbed by another process does not move it.
const batches = 5

// measure times fn (one call over n elements) for about dur: one untimed
// warm-up call sizes the batches, then batches timed batches run, each of
// enough calls to last dur/batches (at least one call each). It returns the
// median and the minimum time per element.
//
// This is our own timed loop, not testing.Benchmark: testing.Benchmark runs
// each point for the -test.benchtime of the whole process (1s by default),
// which over every kernel, size, type and operation takes several minutes, and
// it has no way to report progress while it runs. Here every point costs
// about dur, and the batches give a robust median.
func measure(fn func(), n int, dur time.Duration) (median, minimum float64, calls int) {
	start := time.Now()
	fn()
	one := time.Since(start)
	per := max(1, int(dur/batches/max(one, time.Nanosecond)))
	if one > dur { // a single call is over budget: three calls, not five
		per = 1
	}
	var samples []float64
	for b := 0; b < batches; b++ {
		if one > dur && b == 3 {
			break
		}
		t0 := time.Now()
		for range per {
			fn()
		}
		samples = append(samples, float64(time.Since(t0).Nanoseconds())/float64(per)/float64(n))
		calls += per
	}
	slices.Sort(samples)
	return samples[len(samples)/2], samples[0], calls
}

// progress shows how far the measurements are: on a terminal one line that
// rewrites itself, otherwise one plain line per finished point.
type progress struct {
	w        io.Writer
	tty      bool
	total, i int
	start    time.Time
}

func newProgress(w io.Writer, tty bool, total int) *progress {
	return &progress{w: w, tty: tty, total: total, start: time.Now()}
}

// begin announces the point about to be measured (terminal only).
func (p *progress) begin(label string) {
	p.i++
	if p.tty {
		line := fmt.Sprintf("%s %3d/%d %s  %s", bar(p.i-1, p.total, 24), p.i, p.total, elapsed(time.Since(p.start)), label)
		fmt.Fprintf(p.w, "\r\x1b[K%s", line)
	}
}

// end reports the result of the point begun last.
func (p *progress) end(label string, t timing) {
	res := fmt.Sprintf("%s: %.3g ns/elem", label, t.NsPerElem)
	if p.tty {
		fmt.Fprintf(p.w, "\r\x1b[K%s %3d/%d %s  %s", bar(p.i, p.total, 24), p.i, p.total, elapsed(time.Since(p.start)), res)
		return
	}
	fmt.Fprintf(p.w, "[%d/%d %s] %s\n", p.i, p.total, elapsed(time.Since(p.start)), res)
}

// finish ends the display.
func (p *progress) finish() {
	if p.tty {
		fmt.Fprintf(p.w, "\r\x1b[K")
	}
	fmt.Fprintf(p.w, "measured %d points in %s\n", p.total, time.Since(p.start).Round(100*time.Millisecond))
}

func bar(done, total, width int) string {
	k := 0
	if total > 0 {
		k = done * width / total
	}
	return "[" + strings.Repeat("#", k) + strings.Repeat(".", width-k) + "]"
}

func elapsed(d time.Duration) string {
	s := int(d.Seconds())
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
