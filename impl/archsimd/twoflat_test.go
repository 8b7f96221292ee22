//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
	"github.com/focalkernels/focal/impl/internal/model"
	"github.com/focalkernels/focal/impl/internal/rows"
)

// TestTwoFlat32 holds the flat form's two-valued lanes (γ = 2, float32) to
// the model on the edges that the shared suite's random targets may miss:
// targets at and around rows.TwoMin (the least the lanes take; below, they
// flag the lane), subnormal and near-1 targets, t = 1/2 and its neighbours
// (the side h changes above 1/2), hard lanes in a soft vector (ElemHard32's
// bits), logits 0, ±Inf, NaN, huge and where exp(-|x|) is subnormal, and α
// 0, 1, off and small. Every level's Loss, LossGrad (with and without the
// loss) and Sum must give the model's results, and the kernel's own pass
// must flag exactly the vectors with a target below TwoMin, those lanes NaN
// and every other lane the model's element.
func TestTwoFlat32(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	tmin := rows.TwoMin[float32]()
	ts := []float32{
		0, 1, 0.5, math.Nextafter32(0.5, 0), math.Nextafter32(0.5, 1), 0.1, 0.9, 0.25, 0.75,
		tmin, math.Nextafter32(tmin, 0), math.Nextafter32(tmin, 1), tmin / 2, 2 * tmin,
		1 - 0x1p-24, 0x1p-24, 0x1p-30, 1e-45, 0x1p-126, 0x1p-100,
	}
	xs := []float32{
		0, float32(math.Copysign(0, -1)), 1, -1, 3, -3, 20, -20, 104, -104, 88, -88,
		math.MaxFloat32, -math.MaxFloat32, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()),
	}
	n := 203
	x, tt := make([]float32, n), make([]float32, n)
	for i := range n {
		if rng.IntN(3) == 0 {
			x[i] = xs[rng.IntN(len(xs))]
		} else {
			x[i] = float32(rng.NormFloat64() * 30)
		}
		tt[i] = ts[rng.IntN(len(ts))]
	}
	// a whole vector of hard lanes but one soft, and a vector of tiny targets alone
	for i := range 16 {
		tt[i] = float32(i & 1)
	}
	tt[5] = 0.3
	for i := 16; i < 32; i++ {
		tt[i] = tmin / 4
	}
	tiny := func(v float32) bool { return v > 0 && v < 1 && min(v, 1-v) < tmin }
	for _, alpha := range []float64{0.25, 0.75, -1, 0, 1, 0x1p-90} {
		p := model.NewParams32(alpha, 2)
		if p.Wide || p.Mode != model.Mode2 {
			t.Fatalf("α=%v: not the two-valued mode", alpha)
		}
		want, wantG := make([]float32, n), make([]float32, n)
		model.LossGrad32(want, wantG, x, tt, &p)
		wantL := make([]float32, n)
		model.Loss32(wantL, x, tt, &p)
		ws := model.Sum32(x, tt, &p)
		for _, l := range Levels()[1:] {
			what := fmt.Sprintf("archsimd-%v α=%v", l, alpha)
			loss, grad, grad2, lossL := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
			l.LossGrad32(loss, grad, x, tt, alpha, 2)
			l.LossGrad32(nil, grad2, x, tt, alpha, 2)
			l.Loss32(lossL, x, tt, alpha, 2)
			for i := range n {
				if !kerneltest.Same(loss[i], want[i]) || !kerneltest.Same(grad[i], wantG[i]) ||
					!kerneltest.Same(grad2[i], wantG[i]) || !kerneltest.Same(lossL[i], wantL[i]) {
					t.Errorf("%s x=%v t=%v: loss %v grad %v (nil loss %v) Loss %v; model %v %v %v",
						what, x[i], tt[i], loss[i], grad[i], grad2[i], lossL[i], want[i], wantG[i], wantL[i])
				}
			}
			if s := l.Sum32(x, tt, alpha, 2); !kerneltest.CloseSum(s, ws, kerneltest.SumRel[float32]()) {
				t.Errorf("%s: Sum %v, model's %v", what, s, ws)
			}
			// the kernel's own pass, vector by vector: flags and raw lanes
			lanes := 8
			if l == AVX512 {
				lanes = 16
			}
			for i := 0; i < n; i += lanes {
				j := min(i+lanes, n)
				rl, rg := make([]float32, j-i), make([]float32, j-i)
				_, clean, _ := kern32[kLossGrad](l, rl, rg, x[i:j], tt[i:j], &p)
				anyTiny := false
				for k := i; k < j; k++ {
					anyTiny = anyTiny || tiny(tt[k])
				}
				if clean == anyTiny {
					t.Errorf("%s elements %d to %d: clean %v with targets %v", what, i, j, clean, tt[i:j])
				}
				for k := i; k < j; k++ {
					l0, g0 := model.Elem32(x[k], tt[k], &p)
					switch {
					case tiny(tt[k]):
						if rl[k-i] == rl[k-i] || rg[k-i] == rg[k-i] {
							t.Errorf("%s x=%v t=%v: below TwoMin but not flagged: %v %v", what, x[k], tt[k], rl[k-i], rg[k-i])
						}
					case math.IsInf(float64(x[k]), 0) && (tt[k] == 0 || tt[k] == 1) && p.ZeroWeight():
						// 0·Inf in the lanes, redone by model.FixZeroWeight32
					case !kerneltest.Same(rl[k-i], l0) || !kerneltest.Same(rg[k-i], g0):
						t.Errorf("%s x=%v t=%v: lanes %v %v, model %v %v", what, x[k], tt[k], rl[k-i], rg[k-i], l0, g0)
					}
				}
			}
		}
	}
}
