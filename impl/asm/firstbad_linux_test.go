//go:build linux

package asm

import (
	"math"
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
)

// TestGuardPagesFirstBad: the target scans read nothing outside t, for
// every length 0..70 against an inaccessible page on either side, with no
// bad target and with one at the end (where the scan reads its last vector).
func TestGuardPagesFirstBad(t *testing.T) {
	for _, l := range testLevels() {
		for _, front := range []bool{false, true} {
			for n := 0; n <= 70; n++ {
				guardFirstBad(t, l, n, front, l.FirstBadTarget32)
				guardFirstBad(t, l, n, front, l.FirstBadTarget64)
			}
		}
	}
}

func guardFirstBad[F float32 | float64](t *testing.T, l Level, n int, front bool, scan func([]F) int) {
	ts := kerneltest.Guarded[F](t, n, front)
	for i := range ts {
		ts[i] = F(i%3) / 2
	}
	if got := scan(ts); got != -1 {
		t.Fatalf("%v n=%d front=%v: first bad = %d in good targets", l, n, front, got)
	}
	if n > 0 {
		ts[n-1] = F(math.NaN())
		if got := scan(ts); got != n-1 {
			t.Fatalf("%v n=%d front=%v: first bad = %d, want %d", l, n, front, got, n-1)
		}
	}
}
