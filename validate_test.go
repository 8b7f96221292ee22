package focal

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestFirstBadTarget holds the scan the checked functions use to the plain one: every
// length up to 200, one or two bad targets at every kind of place (the first
// word, the middle of a block, the tail after the last block, just after a
// soft target or a -0, which flag a block without being bad), both types.
func TestFirstBadTarget(t *testing.T) {
	testFirstBadTarget[float32](t)
	testFirstBadTarget[float64](t)
}

func testFirstBadTarget[F Float](t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	good := []float64{0, 1, 0.5, 0.05, 0.95, math.Copysign(0, -1), 0x1p-149, 0x1p-1074, 1e-30, math.Nextafter(1, 0)}
	bad := []float64{math.NaN(), -math.NaN(), math.Inf(1), math.Inf(-1), -1e-30, -0x1p-149, float64(math.Nextafter32(1, 2)), math.Nextafter(1, 2), 2, -1, math.MaxFloat64, 3e38}
	plain := func(ts []F) int {
		for i, v := range ts {
			if !(v >= 0 && v <= 1) {
				return i
			}
		}
		return -1
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
					b := F(bad[r.IntN(len(bad))])
					if is32[F]() && float64(b) >= 0 && float64(b) <= 1 {
						b = 2 // float64's next after 1 rounds to 1 in float32
					}
					ts[i] = b
				}
			}
			if got, want := firstBadTarget(ts), plain(ts); got != want {
				t.Fatalf("float%d n=%d: firstBadTarget = %d, want %d (%v)", bits[F](), n, got, want, ts)
			}
		}
	}
}

func bits[F Float]() int {
	if is32[F]() {
		return 32
	}
	return 64
}
