package kerneltest

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/focalkernels/focal/impl/internal/csum"
)

// SumLargeN is the length of SumLarge's slices (SumLargeShort with -short):
// past many float32 accumulation blocks (8 vectors) and float64 lane sums.
const (
	SumLargeN     = 1 << 24
	SumLargeShort = 1 << 20
)

// SumLarge checks that every level's Sum over SumLargeN elements is within
// SumRel of the compensated float64 sum of Generic's per-element losses, at
// γ = 2 and 1.5. The input repeats one random block of a detector head's
// logits with a few soft targets, so the reference is the block's sum times
// the number of blocks.
func SumLarge[F Float](t *testing.T, f Family) {
	n := SumLargeN
	if testing.Short() {
		n = SumLargeShort
	}
	const block = 4093 // odd: blocks straddle vectors and float32 accumulation blocks
	rng := rand.New(rand.NewPCG(9, 10))
	xb, tb := make([]F, block), make([]F, block)
	for i := range xb {
		xb[i] = F(rng.NormFloat64() * 4)
		tb[i] = F(rng.IntN(2))
		if i%7 == 0 {
			tb[i] = 0.9
		}
	}
	x, tt := make([]F, n), make([]F, n)
	for i := 0; i < n; i += block {
		copy(x[i:], xb)
		copy(tt[i:], tb)
	}
	for _, gamma := range []float64{2, 1.5} {
		lb := make([]F, block)
		Generic[F](f).Loss(lb, xb, tb, 0.25, gamma)
		var bs, rest csum.Sum
		for _, v := range lb {
			bs.Add(float64(v))
		}
		for i := n / block * block; i < n; i++ {
			rest.Add(float64(lb[i%block]))
		}
		want := float64(bs.Value()*float64(n/block)) + rest.Value()
		for _, k := range Kernels[F](f, f.Levels()) {
			s := k.Sum(x, tt, 0.25, gamma)
			rel := math.Abs(s-want) / want
			t.Logf("%s %s γ=%v N=%d: Sum %.17g, sum of the losses %.17g, relative error %.3g", k.Name, TypeName[F](), gamma, n, s, want, rel)
			if rel > SumRel[F]() {
				t.Errorf("%s %s γ=%v: relative error %.3g > %g", k.Name, TypeName[F](), gamma, rel, SumRel[F]())
			}
		}
	}
}

// SumOverflow32 checks that losses near MaxFloat32, which would overflow a
// float32 lane of the block sums, are summed again in float64, with no
// allocation.
func SumOverflow32(t *testing.T, f Family) {
	n := 100
	x, tt := make([]float32, n), make([]float32, n)
	for i := range x {
		x[i] = math.MaxFloat32 // t = 0: loss = α_t·x, about 2.6e38
	}
	want := float64(n) * 0.75 * math.MaxFloat32
	for _, k := range Kernels[float32](f, f.Levels()) {
		if s := k.Sum(x, tt, 0.25, 0); !CloseSum(s, want, SumRel[float32]()) {
			t.Errorf("%s: Sum = %v, want %v", k.Name, s, want)
		}
		if a := testing.AllocsPerRun(10, func() { k.Sum(x, tt, 0.25, 2) }); a != 0 {
			t.Errorf("%s: Sum allocates %v times on the overflow path", k.Name, a)
		}
	}
}

// NoAlloc checks that no function of any level allocates, at every γ of
// Gammas and past the lanes', with hard and soft targets.
func NoAlloc[F Float](t *testing.T, f Family) {
	x, tt := Inputs[F](rand.New(rand.NewPCG(11, 12)), 100, Mixed)
	loss, grad := make([]F, len(x)), make([]F, len(x))
	for _, k := range Kernels[F](f, f.Levels()) {
		for _, gamma := range append(Gammas, 7.5) {
			if a := testing.AllocsPerRun(5, func() {
				k.Loss(loss, x, tt, 0.25, gamma)
				k.LossGrad(loss, grad, x, tt, 0.25, gamma)
				k.LossGrad(nil, grad, x, tt, 0, gamma)
				k.Sum(x, tt, 1, gamma)
			}); a != 0 {
				t.Errorf("%s %s γ=%v: %v allocations per call", k.Name, TypeName[F](), gamma, a)
			}
		}
	}
}

// Race calls every level from many goroutines at once, on shared inputs and
// outputs of their own, and checks their losses against Generic's; run it
// with -race.
func Race[F Float](t *testing.T, f Family) {
	x, tt := Inputs[F](rand.New(rand.NewPCG(3, 4)), 1000, Mixed)
	ref := Generic[F](f)
	want := make([][]F, len(Gammas))
	for i, g := range Gammas {
		want[i] = make([]F, len(x))
		ref.Loss(want[i], x, tt, 0.25, g)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			loss, grad := make([]F, len(x)), make([]F, len(x))
			for i := range 10 {
				for _, k := range Kernels[F](f, f.Levels()) {
					gi := (g + i) % len(Gammas)
					k.Loss(loss, x, tt, 0.25, Gammas[gi])
					for j := range loss {
						if !Same(loss[j], want[gi][j]) {
							t.Errorf("%s %s γ=%v: element %d: %v, Generic %v", k.Name, TypeName[F](), Gammas[gi], j, loss[j], want[gi][j])
							return
						}
					}
					k.LossGrad(loss, grad, x, tt, 0.25, Gammas[gi])
					k.LossGrad(nil, grad, x, tt, -1, Gammas[gi])
					_ = k.Sum(x, tt, 0.25, Gammas[gi])
				}
			}
		})
	}
	wg.Wait()
}
