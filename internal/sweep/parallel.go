package sweep

import (
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/focalkernels/focal/impl/asm"
)

// inParallel runs work on one goroutine per CPU, w = 0 … workers()-1, all
// taking from starts the chunk starts 0, by, 2·by, … below end, and returns
// when every chunk is done.
func inParallel(end, by uint64, work func(w int, starts <-chan uint64)) {
	n := workers()
	starts := make(chan uint64, n)
	go func() {
		for s := uint64(0); s < end; s += by {
			starts <- s
		}
		close(starts)
	}()
	var wg sync.WaitGroup
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(w, starts)
		}()
	}
	wg.Wait()
}

// workers is how many goroutines inParallel runs: one per CPU.
func workers() int { return runtime.GOMAXPROCS(0) }

// splitmix is splitmix64's output for b: the hash that draws the uniform
// targets, the same on every run.
func splitmix(b uint64) uint64 {
	z := b + 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// perLevel merges the workers' results (one slice per worker, a result per
// level; nil for a worker that took no chunk) into one result per level,
// each starting from first(level).
func perLevel[R any, P interface {
	*R
	merge(R)
}](levels []asm.Level, results [][]R, first func(asm.Level) R) []R {
	out := make([]R, len(levels))
	for li, l := range levels {
		out[li] = first(l)
		for _, rs := range results {
			if rs != nil {
				P(&out[li]).merge(rs[li])
			}
		}
	}
	return out
}

// record runs one sweep and appends its results to rs; where w is not nil
// it writes a table line for each result, row's columns then the seconds
// since the sweep began.
func record[R any](w io.Writer, rs []R, sweep func() []R, row func(R) string) []R {
	start := time.Now()
	out := sweep()
	if w != nil {
		for _, r := range out {
			fmt.Fprintf(w, "%s  (%.1fs)\n", row(r), time.Since(start).Seconds())
		}
	}
	return append(rs, out...)
}

// targetStr is target t as the tables print it: "uniform" for the stand-in
// uniform.
func targetStr[T float32 | float64](t, uniform T) string {
	if t == uniform {
		return "uniform"
	}
	return fmt.Sprint(t)
}
