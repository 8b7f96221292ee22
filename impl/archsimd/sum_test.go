//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestSumLarge32(t *testing.T) { testSumLarge[float32](t, 1e-6) }
func TestSumLarge64(t *testing.T) { testSumLarge[float64](t, 1e-13) }

// testSumLarge: Sum over N = 2^22 elements (2^18 with -short) is within rel
// of the float64 sum of the per-element losses, at every vector level. The
// input repeats one random block, so the reference is the block's sum times
// the number of blocks.
func testSumLarge[F float](t *testing.T, rel float64) {
	n := 1 << 22
	if testing.Short() {
		n = 1 << 18
	}
	const block = 4093 // odd: blocks straddle vectors and float32 accumulation blocks
	rng := rand.New(rand.NewPCG(9, 10))
	xb, tb := make([]F, block), make([]F, block)
	for i := range xb {
		xb[i] = F(rng.NormFloat64() * 4) // a detector head's logits
		tb[i] = F(rng.IntN(2))
		if i%7 == 0 {
			tb[i] = 0.9 // and a few soft targets
		}
	}
	x, tt := make([]F, n), make([]F, n)
	for i := 0; i < n; i += block {
		copy(x[i:], xb)
		copy(tt[i:], tb)
	}
	for _, gamma := range []float64{2, 1.5} {
		lb := make([]F, block)
		levelFns[F](Generic).loss(lb, xb, tb, 0.25, gamma)
		var bs float64
		for _, v := range lb {
			bs += float64(v)
		}
		want := bs * float64(n/block)
		for i := n / block * block; i < n; i++ {
			want += float64(lb[i%block])
		}
		for _, l := range vectorLevels() {
			k := levelFns[F](l)
			s := k.sum(x, tt, 0.25, gamma)
			e := math.Abs(s-want) / want
			t.Logf("%s γ=%v N=%d: Sum %.10g, float64 sum of the losses %.10g, relative error %.3g", k.name, gamma, n, s, want, e)
			if e > rel {
				t.Errorf("%s γ=%v: relative error %.3g > %g", k.name, gamma, e, rel)
			}
		}
	}
}

// TestSumOverflow32: losses near MaxFloat32 that would overflow a float32
// lane of the block sums are summed again in float64, with no allocation.
func TestSumOverflow32(t *testing.T) {
	n := 100
	x, tt := make([]float32, n), make([]float32, n)
	for i := range x {
		x[i] = math.MaxFloat32 // t = 0: loss = α_t·x, about 2.6e38
	}
	want := float64(n) * 0.75 * math.MaxFloat32
	for _, l := range testLevels() {
		s := l.Sum32(x, tt, 0.25, 0)
		if math.Abs(s-want) > 1e-6*want {
			t.Errorf("%v: Sum32 = %v, want %v", l, s, want)
		}
		if a := testing.AllocsPerRun(10, func() { l.Sum32(x, tt, 0.25, 2) }); a != 0 {
			t.Errorf("%v: Sum32 allocates %v times on the overflow path", l, a)
		}
	}
}

func TestNoAlloc32(t *testing.T) { testNoAlloc[float32](t) }
func TestNoAlloc64(t *testing.T) { testNoAlloc[float64](t) }

// testNoAlloc: no function of any level allocates, for any γ mode, with soft
// targets and without.
func testNoAlloc[F float](t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	x, tt := inputs[F](rng, 100, mixed)
	loss, grad := make([]F, len(x)), make([]F, len(x))
	for _, l := range testLevels() {
		k := levelFns[F](l)
		for _, gamma := range append(gammas, 7.5) {
			if a := testing.AllocsPerRun(5, func() {
				k.loss(loss, x, tt, 0.25, gamma)
				k.lossGrad(loss, grad, x, tt, 0.25, gamma)
				k.lossGrad(nil, grad, x, tt, 0, gamma)
				k.sum(x, tt, 1, gamma)
			}); a != 0 {
				t.Errorf("%s γ=%v: %v allocations per call", k.name, gamma, a)
			}
		}
	}
}
