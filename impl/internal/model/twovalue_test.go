package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/internal/form"
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
	at, atLo := rows.TwoAlpha(p.Alpha, t)
	cl, cg := ElemTwoValue32(x, t, h, at, atLo)
	w.addResult(x, t, p, cl, cg)
}

// addFlat measures ElemTwoFlat32, with α_t formed in the lane.
func (w *twoValueErr) addFlat(x, t float32, p *Params32) {
	cl, cg := ElemTwoFlat32(x, t, p)
	w.addResult(x, t, p, cl, cg)
}

func (w *twoValueErr) addResult(x, t float32, p *Params32, cl, cg float32) {
	rl, rg := ElemSoft32(x, t, p)
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

// TestTwoValueFlat holds ElemTwoFlat32 (h = 1 above 1/2, α_t formed in
// the lane) to the same bars on flat soft targets, on the soft targets of
// impl/asm's TestSoftAccuracy: fixed targets with logits near their roots,
// and kerneltest's soft inputs.
func TestTwoValueFlat(t *testing.T) {
	step := uint32(1 << 14)
	n := 20000
	if testing.Short() {
		step, n = 1<<17, 4000
	}
	for _, alpha := range []float64{0.25, 0.9, 0.01, -1, 0, 1} {
		p := NewParams32(alpha, 2)
		var w twoValueErr
		for _, tt := range []float32{1e-40, 1e-30, 1e-4, 0.05, 0.1, 0.45, 0.499, 0.5, 0.501, 0.7, 0.95, 1 - 1e-4, 0.99999994} {
			for _, x := range twoValueLogits(step, root(tt)) {
				w.addFlat(x, tt, &p)
			}
		}
		rng := rand.New(rand.NewPCG(23, 24))
		x, tt := kerneltest.Inputs[float32](rng, n, kerneltest.AllSoft)
		for i := range x {
			if tt[i] > 0 && tt[i] < 1 {
				w.addFlat(x[i], tt[i], &p)
			}
		}
		w.check(t, fmt.Sprintf("flat α=%v", alpha))
	}
}

// TestTwoFlatHard: ElemTwoFlat32 and ElemTwoFlat64 give the hard element's
// loss and gradient bit for bit at a hard target (as TestGenHard holds the
// general body), so that a hard lane's result would not depend on its
// neighbours in a flat step that takes the two-valued body.
func TestTwoFlatHard(t *testing.T) {
	n := 40000
	if testing.Short() {
		n = 5000
	}
	rng := rand.New(rand.NewPCG(25, 26))
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.MaxFloat32, -math.MaxFloat32,
		1e-45, -1e-45, 87, -87, 104, -104, 200, -200, 710, -710, math.MaxFloat64, -math.MaxFloat64, 5e-324}
	same32 := func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) || a != a && b != b }
	same64 := func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) || a != a && b != b }
	for _, alpha := range []float64{0.25, -1, 0, 1, 0.9} {
		p32, p64 := NewParams32(alpha, 2), NewParams64(alpha, 2)
		for i := range n {
			x := float64(randLogit(rng))
			if i < len(special) {
				x = special[i]
			}
			tv := rng.IntN(2)
			lh, gh := ElemHard32(float32(x), float32(tv), &p32)
			lf, gf := ElemTwoFlat32(float32(x), float32(tv), &p32)
			if !same32(lh, lf) || !same32(gh, gf) {
				t.Fatalf("float32 α=%v x=%v t=%v: ElemHard32 %v %v, ElemTwoFlat32 %v %v", alpha, float32(x), tv, lh, gh, lf, gf)
			}
			lh64, gh64 := ElemHard64(x, float64(tv), &p64)
			lf64, gf64 := ElemTwoFlat64(x, float64(tv), &p64)
			if !same64(lh64, lf64) || !same64(gh64, gf64) {
				t.Fatalf("float64 α=%v x=%v t=%v: ElemHard64 %v %v, ElemTwoFlat64 %v %v", alpha, x, tv, lh64, gh64, lf64, gf64)
			}
		}
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

// TestTwoValueTiny: at the least target the two-valued body takes
// (rows.TwoMin, ε = 2^-41) it holds the bars against the float64 element
// for huge logits and ±Inf too, where α_t·m is smallest against CE; a
// smaller ε takes the general body (rows.TwoValue is false).
func TestTwoValueTiny(t *testing.T) {
	eps := 2 * float64(rows.TwoMin[float32]())
	xs := []float32{-math.MaxFloat32, math.MaxFloat32, -1e38, 1e38, -1e20, 1e20, -1e10, 1e10, -1e5, 1e5,
		float32(math.Inf(-1)), float32(math.Inf(1))}
	for _, alpha := range []float64{0.25, -1, 0, 1} {
		p := RowsParams32(alpha, 2)
		t1, t0 := rows.Targets[float32](eps)
		if t0 != rows.TwoMin[float32]() || t1 != 1 {
			t.Fatalf("ε=%v: targets %v, %v", eps, t1, t0)
		}
		for _, x := range xs {
			// T1 rounds to 1 in float32 here: its side is hard, the
			// hard body's; T0's side is measured
			at, atLo := rows.TwoAlpha(alpha, t0)
			cl, cg := ElemTwoValue32(x, t0, 0, at, atLo)
			rl, rg := ElemSoft32(x, t0, &p)
			if math.IsInf(float64(rl), 0) || math.IsInf(float64(cl), 0) {
				if cl != rl {
					t.Errorf("α=%v x=%v: loss %v, float64 %v", alpha, x, cl, rl)
				}
			} else if d := ulp.Dist32(cl, rl); d > kerneltest.LossULP {
				t.Errorf("α=%v x=%v: loss %v, float64 %v (%d ULP)", alpha, x, cl, rl, d)
			}
			if sc := ulp.GradScale(float64(x), float64(t0), alpha, 2); !math.IsInf(sc, 0) && sc >= 0x1p-126 {
				if ge := ulp.GradErr(float64(cg), float64(rg), sc, ulp.Eps32); ge > kerneltest.GradUnits {
					t.Errorf("α=%v x=%v: grad %v, float64 %v (%.3g units)", alpha, x, cg, rg, ge)
				}
			}
		}
	}
	for _, e := range []float64{eps / 2, 1e-20, 1e-30} {
		if rows.TwoValue[float32](form.Params{Alpha: 0.25, Gamma: 2, Smoothing: e}) {
			t.Errorf("ε=%v takes the two-valued body", e)
		}
	}
	if !rows.TwoValue[float32](form.Params{Alpha: 0.25, Gamma: 2, Smoothing: eps}) {
		t.Errorf("ε=%v does not take the two-valued body", eps)
	}
}
