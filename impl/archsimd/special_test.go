//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

func TestSpecial32(t *testing.T) { testSpecial[float32](t) }
func TestSpecial64(t *testing.T) { testSpecial[float64](t) }

// testSpecial: NaN in gives NaN out; ±Inf logits give the limits; finite
// inputs over the whole range give finite results. Each input is run alone
// and in a vector of its own kind, at every level.
func testSpecial[F float](t *testing.T) {
	nan := F(math.NaN())
	inf := F(math.Inf(1))
	maxF, tiny := math.MaxFloat64, math.SmallestNonzeroFloat64
	if is32[F]() {
		maxF, tiny = math.MaxFloat32, math.SmallestNonzeroFloat32
	}
	x := []F{nan, nan, 1, inf, inf, -inf, -inf, 0, F(maxF), F(-maxF), F(tiny), F(-tiny), F(maxF), F(-maxF)}
	tt := []F{0, 1, nan, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1}
	for _, l := range testLevels() {
		k := levelFns[F](l)
		for _, gamma := range append(gammas, 7.5) {
			for _, single := range []bool{false, true} {
				n := len(x)
				loss, grad := make([]F, n), make([]F, n)
				if single {
					for i := range x {
						k.lossGrad(loss[i:i+1], grad[i:i+1], x[i:i+1], tt[i:i+1], 0.25, gamma)
						for _, alpha := range []float64{0.25, -1} {
							l := make([]F, 1)
							k.loss(l, x[i:i+1], tt[i:i+1], alpha, gamma)
							if s := k.sum(x[i:i+1], tt[i:i+1], alpha, gamma); s != float64(l[0]) && !(s != s && l[0] != l[0]) {
								t.Errorf("%s γ=%v α=%v: x=%v t=%v: Sum %v, Loss %v", k.name, gamma, alpha, x[i], tt[i], s, l[0])
							}
						}
					}
				} else {
					k.lossGrad(loss, grad, x, tt, 0.25, gamma)
				}
				what := fmt.Sprintf("%s γ=%v single=%v", k.name, gamma, single)
				for i := range 3 {
					if loss[i] == loss[i] || grad[i] == grad[i] {
						t.Errorf("%s: x=%v t=%v: loss %v grad %v, want NaN", what, x[i], tt[i], loss[i], grad[i])
					}
				}
				// x = +Inf, t = 1 and x = -Inf, t = 0: loss 0, grad 0
				for _, i := range []int{3, 5} {
					if loss[i] != 0 || grad[i] != 0 {
						t.Errorf("%s: x=%v t=%v: loss %v grad %v, want 0, 0", what, x[i], tt[i], loss[i], grad[i])
					}
				}
				for _, i := range []int{4, 6} {
					if !math.IsInf(float64(loss[i]), 1) || grad[i] != grad[i] {
						t.Errorf("%s: x=%v t=%v: loss %v grad %v, want +Inf and a number", what, x[i], tt[i], loss[i], grad[i])
					}
				}
				for i := 7; i < n; i++ {
					if math.IsNaN(float64(loss[i])) || math.IsNaN(float64(grad[i])) || math.IsInf(float64(grad[i]), 0) || loss[i] < 0 {
						t.Errorf("%s: x=%v t=%v: loss %v grad %v, want finite, loss ≥ 0", what, x[i], tt[i], loss[i], grad[i])
					}
				}
				// x = ±MaxF with the wrong target: loss = α_t·|x|, gradient ±α_t
				for _, i := range []int{12, 13} {
					want := 0.75 * maxF
					if i == 13 {
						want = 0.25 * maxF
					}
					if d := dist(loss[i], F(want)); d > 1 {
						t.Errorf("%s: x=%v t=%v: loss %v, want %v", what, x[i], tt[i], loss[i], want)
					}
				}
			}
		}
	}
}

func TestRace32(t *testing.T) { testRace[float32](t) }
func TestRace64(t *testing.T) { testRace[float64](t) }

// testRace calls every level from many goroutines at once, on shared inputs
// and outputs of their own, and checks the results; run it with -race.
func testRace[F float](t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	x, tt := inputs[F](rng, 1000, mixed)
	ref := levelFns[F](Generic)
	want := make([][]F, len(gammas))
	for i, g := range gammas {
		want[i] = make([]F, len(x))
		ref.loss(want[i], x, tt, 0.25, g)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			loss, grad := make([]F, len(x)), make([]F, len(x))
			for i := range 10 {
				for _, l := range testLevels() {
					k := levelFns[F](l)
					gi := (g + i) % len(gammas)
					k.loss(loss, x, tt, 0.25, gammas[gi])
					for j := range loss {
						if d := dist(loss[j], want[gi][j]); d > 2 {
							t.Errorf("%s γ=%v: element %d: %v vs %v", k.name, gammas[gi], j, loss[j], want[gi][j])
							return
						}
					}
					k.lossGrad(loss, grad, x, tt, 0.25, gammas[gi])
					k.lossGrad(nil, grad, x, tt, -1, gammas[gi])
					_ = k.sum(x, tt, 0.25, gammas[gi])
				}
			}
		})
	}
	wg.Wait()
}

func TestZeroWeight32(t *testing.T) { testZeroWeight[float32](t) }
func TestZeroWeight64(t *testing.T) { testZeroWeight[float64](t) }

// testZeroWeight: with α = 0 or 1, α_t is 0 for one target, and at x = ±Inf
// the loss there is 0 (not 0·Inf); every level agrees with the model, NaN in
// still gives NaN, and Sum is not NaN.
func testZeroWeight[F float](t *testing.T) {
	inf := F(math.Inf(1))
	nan := F(math.NaN())
	x := []F{inf, -inf, inf, -inf, 1, -2, 3, inf, -inf, inf, -inf, 0, 5, -5, inf, -inf, 7, -inf, inf}
	tt := []F{0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 1}
	eq := func(a, b F) bool { return a == b || (a != a && b != b) }
	ref := levelFns[F](Generic)
	for _, alpha := range []float64{0, 1} {
		for _, gamma := range gammas {
			for _, n := range []int{len(x), 3} {
				want, wantG := make([]F, n), make([]F, n)
				ref.lossGrad(want, wantG, x[:n], tt[:n], alpha, gamma)
				wantS := ref.sum(x[:n], tt[:n], alpha, gamma)
				for _, l := range testLevels() {
					k := levelFns[F](l)
					loss, grad, d := make([]F, n), make([]F, n), make([]F, n)
					k.lossGrad(loss, grad, x[:n], tt[:n], alpha, gamma)
					k.loss(d, x[:n], tt[:n], alpha, gamma)
					for i := range n {
						if !eq(loss[i], want[i]) || !eq(grad[i], wantG[i]) || !eq(d[i], want[i]) {
							t.Errorf("%s α=%v γ=%v x=%v t=%v: loss %v/%v grad %v, model %v %v", k.name, alpha, gamma, x[i], tt[i], loss[i], d[i], grad[i], want[i], wantG[i])
						}
					}
					if s := k.sum(x[:n], tt[:n], alpha, gamma); !(s == wantS || (math.IsInf(s, 1) && math.IsInf(wantS, 1))) {
						t.Errorf("%s α=%v γ=%v n=%d: Sum %v, model %v", k.name, alpha, gamma, n, s, wantS)
					}
				}
			}
		}
	}
	for _, l := range testLevels() {
		k := levelFns[F](l)
		loss := make([]F, 1)
		k.loss(loss, []F{nan}, []F{0}, 1, 2)
		if loss[0] == loss[0] {
			t.Errorf("%s: NaN x, α_t = 0: loss %v, want NaN", k.name, loss[0])
		}
	}
}

func TestLargeGamma32(t *testing.T) { testLargeGamma[float32](t) }
func TestLargeGamma64(t *testing.T) { testLargeGamma[float64](t) }

// testLargeGamma: where σ(z)^γ underflows, every level gives 0, not the exp
// of an unclamped error term; at x = -Inf, t = 0.5 the loss is +Inf even
// where q^γ underflows.
func testLargeGamma[F float](t *testing.T) {
	inf := F(math.Inf(-1))
	for _, l := range testLevels() {
		k := levelFns[F](l)
		for _, gamma := range []float64{1e4, 91786, 7.13e10, 1e30} {
			x, tt := make([]F, 40), make([]F, 40)
			for i := range x {
				x[i] = F(i-20) / 4
				tt[i] = F(i % 2)
			}
			loss := make([]F, len(x))
			k.loss(loss, x, tt, -1, gamma)
			for i, v := range loss {
				if v < 0 || v > 1e-30 && gamma >= 7e10 || v != v {
					t.Errorf("%s γ=%g x=%v t=%v: loss %v, want ≥ 0 and 0 where σ(z)^γ underflows", k.name, gamma, x[i], tt[i], v)
				}
			}
			k.loss(loss[:1], []F{inf}, []F{0.5}, -1, gamma)
			if !math.IsInf(float64(loss[0]), 1) {
				t.Errorf("%s γ=%g x=-Inf t=0.5: loss %v, want +Inf", k.name, gamma, loss[0])
			}
		}
	}
}

// TestWideGamma32: above wideGamma32 every element is computed in float64 in
// log space, where σ(z)^γ moves between 0 and 1 near z ≈ ln γ, far below
// float32's exp range (references: mpmath, 50 digits, t = 0, α off).
func TestWideGamma32(t *testing.T) {
	for _, l := range testLevels() {
		x := []float32{260, 270, 280}
		want := []float64{0, 255.54687284526907, 279.99930063715467}
		loss := make([]float32, 3)
		l.Loss32(loss, x, make([]float32, 3), -1, 1e116)
		for i := range x {
			if math.Abs(float64(loss[i])-want[i]) > 1e-6*want[i] {
				t.Errorf("%v γ=1e116 x=%v: loss %v, want %v", l, x[i], loss[i], want[i])
			}
		}
		if s := l.Sum32(x, make([]float32, 3), -1, 1e116); math.Abs(s-(want[1]+want[2])) > 1e-6*s {
			t.Errorf("%v γ=1e116: Sum %v, want %v", l, s, want[1]+want[2])
		}
	}
}
