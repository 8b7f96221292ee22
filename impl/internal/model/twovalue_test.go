package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
	"github.com/focalkernels/focal/impl/internal/rows"
	"github.com/focalkernels/focal/internal/ulp"
)

// The two-valued body (twovalue.go) held to the truth bars: in float32
// against the float64 element ElemSoft32, beside the general body on the
// same elements; results/<machine>/twovalue.md has the figures.

// twoValueErr measures the body (and the general body, ElemGen32 with
// its float64 lanes) against the float64 element ElemSoft32 on the logits
// xs at target t: the largest loss error in ULP and gradient error in units
// of 2^-23 × its two terms (ulp.GradErr).
type twoValueErr struct{ loss, grad, genLoss, genGrad float64 }

func (w *twoValueErr) add(x, t float32, h int, p *Params32) {
	rl, rg := ElemSoft32(x, t, p)
	at, atLo := rows.TwoAlpha(p.Alpha, t)
	cl, cg := ElemTwoValue32(x, t, h, at, atLo)
	gl, gg, okL, okG := ElemGen32(x, t, p, true)
	if !okL {
		gl = rl
	}
	if !okG {
		gg = rg
	}
	if a := math.Abs(float64(rl)); a == 0 || a >= 0x1p-126 && !math.IsInf(a, 0) {
		w.loss = max(w.loss, float64(ulp.Dist32(cl, rl)))
		w.genLoss = max(w.genLoss, float64(ulp.Dist32(gl, rl)))
	}
	if sc := ulp.GradScale(float64(x), float64(t), p.Alpha, 2); sc >= 0x1p-126 && !math.IsInf(sc, 0) {
		w.grad = max(w.grad, ulp.GradErr(float64(cg), float64(rg), sc, ulp.Eps32))
		w.genGrad = max(w.genGrad, ulp.GradErr(float64(gg), float64(rg), sc, ulp.Eps32))
	}
}

func (w *twoValueErr) check(t *testing.T, what string) {
	t.Helper()
	t.Logf("%s: body loss %.0f ULP, grad %.3g units; general body %.0f ULP, %.3g units",
		what, w.loss, w.grad, w.genLoss, w.genGrad)
	if w.loss > kerneltest.LossULP || w.grad > kerneltest.GradUnits {
		t.Errorf("%s: body loss %.0f ULP, grad %.3g units: over %d ULP, %d units",
			what, w.loss, w.grad, kerneltest.LossULP, kerneltest.GradUnits)
	}
}

// twoValueLogits returns every step-th float32 logit in [-100, 100] and,
// for each root r, 4001 logits around it.
func twoValueLogits(step uint32, roots ...float32) []float32 {
	var xs []float32
	for b := uint32(0); b < 0x42c80000; b += step {
		v := math.Float32frombits(b)
		xs = append(xs, v, -v)
	}
	for _, r := range roots {
		for i := -2000; i <= 2000; i++ {
			xs = append(xs, r+float32(i)*1e-6*max(1, abs32(r)))
		}
	}
	return xs
}

// root returns the logit where σ(x) = t.
func root(t float32) float32 { return float32(math.Log(float64(t) / (1 - float64(t)))) }

// TestTwoValueRows holds the rows form's body to LossULP and
// GradUnits against the float64 element, over logits across the range and
// near each target's root, for smoothing from subnormal targets to 0.999.
func TestTwoValueRows(t *testing.T) {
	step := uint32(1 << 13)
	if testing.Short() {
		step = 1 << 16
	}
	for _, alpha := range []float64{0.25, -1} {
		for _, eps := range []float64{1e-44, 1e-6, 0.01, 0.1, 0.2, 0.5, 0.9, 0.999} {
			p := RowsParams32(alpha, 2)
			var w twoValueErr
			t1, t0 := rows.Targets[float32](eps)
			for h, tt := range []float32{t0, t1} {
				for _, x := range twoValueLogits(step, root(tt)) {
					w.add(x, tt, h, &p)
				}
			}
			w.check(t, fmt.Sprintf("rows α=%v ε=%v", alpha, eps))
		}
	}
}

// side is the flat form's h for target t: 1 above 1/2.
func side(t float32) int {
	if t > 0.5 {
		return 1
	}
	return 0
}

// TestTwoValueFlat holds the body to the same bars on flat soft targets (a
// flat form could take it at γ = 2, with h = 1 above 1/2 and α_t exact), on
// the soft targets of impl/asm's TestSoftAccuracy: fixed targets with
// logits near their roots, and kerneltest's soft inputs.
func TestTwoValueFlat(t *testing.T) {
	step := uint32(1 << 14)
	n := 20000
	if testing.Short() {
		step, n = 1<<17, 4000
	}
	for _, alpha := range []float64{0.25, 0.9, 0.01, -1} {
		p := NewParams32(alpha, 2)
		var w twoValueErr
		for _, tt := range []float32{1e-40, 1e-30, 1e-4, 0.05, 0.1, 0.45, 0.499, 0.5, 0.501, 0.7, 0.95, 1 - 1e-4, 0.99999994} {
			for _, x := range twoValueLogits(step, root(tt)) {
				w.add(x, tt, side(tt), &p)
			}
		}
		rng := rand.New(rand.NewPCG(23, 24))
		x, tt := kerneltest.Inputs[float32](rng, n, kerneltest.AllSoft)
		for i := range x {
			if tt[i] > 0 && tt[i] < 1 {
				w.add(x[i], tt[i], side(tt[i]), &p)
			}
		}
		w.check(t, fmt.Sprintf("flat α=%v", alpha))
	}
}

// BenchmarkTwoValue times the scalar body beside the hard element and
// the general one on the rows form's smoothed targets (ε = 0.1, one label
// in 80 classes), a check on twovalue.md's instruction counts in scalar Go.
func BenchmarkTwoValue(b *testing.B) {
	const n, classes = 8192, 80
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64()*3 - 4)
	}
	p := RowsParams32(0.25, 2)
	t1, t0 := rows.Targets[float32](0.1)
	t := [2]float32{t0, t1}
	var at, atLo [2]float32
	for h := range 2 {
		at[h], atLo[h] = rows.TwoAlpha(0.25, t[h])
	}
	var sink float32
	b.Run("body=hard", func(b *testing.B) {
		for b.Loop() {
			for i, v := range x {
				l, g := ElemHard32(v, float32(min(i%classes, 1)^1), &p)
				sink += l + g
			}
		}
	})
	b.Run("body=twovalue", func(b *testing.B) {
		for b.Loop() {
			for i, v := range x {
				h := min(i%classes, 1) ^ 1
				l, g := ElemTwoValue32(v, t[h], h, at[h], atLo[h])
				sink += l + g
			}
		}
	})
	b.Run("body=general", func(b *testing.B) {
		for b.Loop() {
			for i, v := range x {
				l, g, _, _ := ElemGen32(v, t[min(i%classes, 1)^1], &p, true)
				sink += l + g
			}
		}
	})
	_ = sink
}
