//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/internal/golden"
)

func TestAgree32(t *testing.T) { testAgree[float32](t) }
func TestAgree64(t *testing.T) { testAgree[float64](t) }

// testAgree: every vector level gives Generic's (the scalar model's) results
// bit for bit on every element for every length 0..70, at every misalignment 0..15
// (0..2 with -short), with every target pattern of inputs, for every γ mode
// and α on and off; outputs are never written past their end; misaligned
// slices, Loss and LossGrad with and without the loss give bit-identical
// results; Sum is the model's within 1e-6 (float32) or 1e-12 (float64).
func testAgree[F float](t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ref := levelFns[F](Generic)
	sumRel := 1e-6
	if !is32[F]() {
		sumRel = 1e-12
	}
	offsets := 16
	if testing.Short() {
		offsets = 3 // the emulated AVX-512 CPU runs -short, at a few MIPS
	}
	for _, l := range vectorLevels() {
		k := levelFns[F](l)
		var maxLoss, maxGrad uint64
		var maxSumRel float64
		check := func(what string, got, want []F, worst *uint64) {
			t.Helper()
			for i := range want {
				d := dist(got[i], want[i])
				if d != 0 {
					t.Errorf("%s: element %d: %v vs model %v (%d ULP)", what, i, got[i], want[i], d)
				}
				*worst = max(*worst, d)
			}
		}
		for kind := range nPatterns {
			for _, gamma := range gammas {
				for _, alpha := range []float64{0.25, -1} {
					for n := 0; n <= 70; n++ {
						x, tt := inputs[F](rng, n, kind)
						want, wantG := make([]F, n), make([]F, n)
						ref.lossGrad(want, wantG, x, tt, alpha, gamma)
						wantS := ref.sum(x, tt, alpha, gamma)
						var base, baseG []F
						for off := range offsets {
							what := fmt.Sprintf("%s kind=%d γ=%v α=%v n=%d off=%d", k.name, kind, gamma, alpha, n, off)
							xs := make([]F, n+off)[off:]
							ts := make([]F, n+off)[off:]
							copy(xs, x)
							copy(ts, tt)
							loss, grad := filled[F](n + off + 20)[off:], filled[F](n + off + 20)[off:]
							k.lossGrad(loss[:n], grad[:n], xs, ts, alpha, gamma)
							checkSentinel(t, what+" LossGrad loss", loss, n)
							checkSentinel(t, what+" LossGrad grad", grad, n)
							check(what+" LossGrad loss", loss[:n], want, &maxLoss)
							check(what+" LossGrad grad", grad[:n], wantG, &maxGrad)
							if off == 0 {
								base, baseG = append([]F(nil), loss[:n]...), append([]F(nil), grad[:n]...)
							} else {
								for i := range base {
									if !same(base[i], loss[i]) || !same(baseG[i], grad[i]) {
										t.Fatalf("%s: element %d differs from offset 0", what, i)
									}
								}
							}
							g2 := filled[F](n + 20)
							k.lossGrad(nil, g2[:n], xs, ts, alpha, gamma)
							checkSentinel(t, what+" LossGrad nil loss", g2, n)
							for i := range n {
								if !same(g2[i], grad[i]) {
									t.Fatalf("%s: nil-loss gradient %d: %v != %v", what, i, g2[i], grad[i])
								}
							}
							d := filled[F](n + 20)
							k.loss(d[:n], xs, ts, alpha, gamma)
							checkSentinel(t, what+" Loss", d, n)
							for i := range n {
								if !same(d[i], loss[i]) {
									t.Fatalf("%s: Loss %d: %v != LossGrad %v", what, i, d[i], loss[i])
								}
							}
							s := k.sum(xs, ts, alpha, gamma)
							if rel := math.Abs(s-wantS) / math.Abs(wantS); wantS != 0 && rel > maxSumRel {
								maxSumRel = rel
							}
							if !(math.Abs(s-wantS) <= sumRel*math.Abs(wantS)) && !(s == wantS) {
								t.Errorf("%s: Sum %v vs model %v", what, s, wantS)
							}
						}
					}
				}
			}
		}
		t.Logf("%s vs the model: loss max %d ULP, grad max %d ULP, sum max rel %.3g", k.name, maxLoss, maxGrad, maxSumRel)
	}
}

func checkSentinel[F float](t *testing.T, what string, s []F, from int) {
	t.Helper()
	for i := from; i < len(s); i++ {
		if s[i] != sentinel {
			t.Fatalf("%s: element %d past the end was written: %v", what, i, s[i])
		}
	}
}

func TestAgreeGolden32(t *testing.T) { testAgreeGolden[float32](t) }
func TestAgreeGolden64(t *testing.T) { testAgreeGolden[float64](t) }

// testAgreeGolden: the levels give the model's results bit for bit on the
// golden inputs, each (α, γ) group run as one long slice.
func testAgreeGolden[F float](t *testing.T) {
	type key struct{ a, g float64 }
	groups := map[key][]golden.Row{}
	for _, r := range golden.Rows() {
		k := key{r.Alpha, r.Gamma}
		groups[k] = append(groups[k], r)
	}
	ref := levelFns[F](Generic)
	for _, l := range vectorLevels() {
		k := levelFns[F](l)
		var worst uint64
		for g, rs := range groups {
			n := len(rs)
			x, tt := make([]F, n), make([]F, n)
			for i, r := range rs {
				x[i], tt[i] = F(r.X), F(r.T)
			}
			want, wantG := make([]F, n), make([]F, n)
			ref.lossGrad(want, wantG, x, tt, g.a, g.g)
			loss, grad := make([]F, n), make([]F, n)
			k.lossGrad(loss, grad, x, tt, g.a, g.g)
			for i := range n {
				d := max(dist(loss[i], want[i]), dist(grad[i], wantG[i]))
				worst = max(worst, d)
				if d != 0 {
					t.Errorf("%s α=%v γ=%v x=%v t=%v: loss %v/%v grad %v/%v", k.name, g.a, g.g, x[i], tt[i], loss[i], want[i], grad[i], wantG[i])
				}
			}
		}
		t.Logf("%s vs the model on the golden inputs: max %d ULP", k.name, worst)
	}
}
