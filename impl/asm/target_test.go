package asm

import (
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestFirstBadTarget holds every level's scan to the plain loop: every
// length up to 200, one or two bad targets at every kind of place (the
// first vector, the middle, the tail, just after a soft target or a -0),
// and a bad target at every position of a good slice, both types.
func TestFirstBadTarget(t *testing.T) {
	for _, l := range testLevels() {
		testFirstBad(t, l, l.FirstBadTarget32)
		testFirstBad(t, l, l.FirstBadTarget64)
	}
}

func testFirstBad[F float32 | float64](t *testing.T, l Level, scan func([]F) int) {
	r := rand.New(rand.NewPCG(11, 12))
	good := []float64{0, 1, 0.5, 0.05, 0.95, math.Copysign(0, -1), 0x1p-149, 0x1p-1074, 1e-30, math.Nextafter(1, 0)}
	bad := []float64{math.NaN(), -math.NaN(), math.Inf(1), math.Inf(-1), -1e-30, -0x1p-149, float64(math.Nextafter32(1, 2)), math.Nextafter(1, 2), 2, -1, math.MaxFloat64, 3e38}
	is32 := unsafe.Sizeof(F(0)) == 4
	badF := func() F {
		b := F(bad[r.IntN(len(bad))])
		if is32 && float64(b) >= 0 && float64(b) <= 1 {
			b = 2 // float64's next after 1 rounds to 1 in float32
		}
		return b
	}
	plain := func(ts []F) int {
		for i, v := range ts {
			if !(v >= 0 && v <= 1) {
				return i
			}
		}
		return -1
	}
	check := func(ts []F, what string) {
		t.Helper()
		if got, want := scan(ts), plain(ts); got != want {
			t.Fatalf("%v float%d n=%d %s: first bad = %d, want %d (%v)", l, 8*unsafe.Sizeof(F(0)), len(ts), what, got, want, ts)
		}
	}
	for n := 0; n <= 200; n++ {
		for trial := 0; trial < 8; trial++ {
			ts := make([]F, n)
			for i := range ts {
				ts[i] = F(good[r.IntN(len(good))])
			}
			if n > 0 && trial > 0 {
				for range 1 + r.IntN(2) {
					i := r.IntN(n)
					if trial == 1 {
						i = n - 1 // the tail
					}
					ts[i] = badF()
				}
			}
			check(ts, "random")
		}
		// one bad target at every position, after a soft target and a -0
		ts := make([]F, n)
		for i := range ts {
			ts[i] = F(good[i%len(good)])
		}
		for i := range ts {
			old := ts[i]
			ts[i] = badF()
			check(ts, "one bad")
			ts[i] = old
		}
	}
}
