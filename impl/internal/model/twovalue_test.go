package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
	"github.com/focalkernels/focal/internal/ulp"
)

// A candidate soft body at γ = 2, held here to the accuracy bars before any
// kernel takes it; results/<machine>/twovalue.md says what it would cost
// against the hard body and the general one.
//
// Orient each element so that its target e is at most 1/2: h = 1 where
// t > 1/2 (e = 1-t, exact), else h = 0 (e = t), and z = x(1-2h) as the hard
// body's z. With σ = σ(z), σ' = σ(-z) and L from the hard body:
//
//	CE   = w·|z| + L              w = 1-e for z ≥ 0, e below: terms of one sign
//	q    = e + (1-2e)·σ           = 1-p_t: terms of one sign, σ as hi+lo
//	loss = α_t·q²·CE              as the hard body's, q for σ(z)
//	∂/∂z = α_t·q·(2(1-2e)·σσ'·CE + q·d)    d = σ - e = (σ.hi - e) + σ.lo
//
// The γ-term's σσ'/q of the general form is multiplied out by m/q = q, so
// no division is added, and nothing cancels but d, whose first difference
// is exact by Sterbenz where it is small. Under label smoothing (the rows
// form) e, 1-2e and α_t take two values per class, which a call forms once;
// for the flat form they come from t in each lane.

// twoValue32 holds an element's constants: e, w = 1-e, 1-2e as hi+lo, and
// α_t as hi+lo.
type twoValue32 struct {
	e, w1, w1lo, c12, c12lo, at, atLo float32
	h                                 int
}

// rowsTwoValue32 returns the constants of a rows element under smoothing ε
// with class α alpha: h = 1 on the label's class (t = 1-ε/2), 0 elsewhere
// (t = ε/2), each target rounded to float32 as the rows form does, and the
// constants formed in float64.
func rowsTwoValue32(eps, alpha float64, h int) twoValue32 {
	t := float32(eps / 2)
	e := t
	if h == 1 {
		t = float32(1 - eps/2)
		e = 1 - t
	}
	k := twoValue32{e: e, h: h}
	k.w1, k.w1lo = split32(1 - float64(e))
	k.c12, k.c12lo = split32(1 - 2*float64(e))
	at := 1.0
	if alpha >= 0 {
		at = float64(float64(t)*alpha) + float64((1-float64(t))*(1-alpha))
	}
	k.at, k.atLo = split32(at)
	return k
}

// flatTwoValue32 returns the constants of a flat element with target t ∈
// (0, 1), formed in float32 as a lane would: 1-e and 1-2e as hi+lo by
// Fast2Sum, and α_t = (1-α) + t·(2α-1) as hi+lo, the product split by fma
// and the sum by TwoSum (α_t from 1-t rounded, as the hard body forms it,
// was 5 ULP off at t = 0.1).
func flatTwoValue32(t float32, p *Params32) twoValue32 {
	k := twoValue32{e: t}
	if t > 0.5 {
		k.e, k.h = 1-t, 1
	}
	k.w1 = 1 - k.e
	k.w1lo = (1 - k.w1) - k.e // exact
	k.c12 = fma(k.e, -2, 1)
	k.c12lo = fma(k.e, -2, 1-k.c12) // 1-c12 is exact
	k.at, k.atLo = 1, 0
	if p.Alpha >= 0 {
		dh, dl := split32(2*p.Alpha - 1) // a call's constants
		ph := mul(t, dh)
		pl := fma(t, dl, fma(t, dh, -ph))
		k.at = p.A0 + ph
		bv := k.at - p.A0
		k.atLo = ((p.A0 - (k.at - bv)) + (ph - bv)) + (pl + p.A0lo)
	}
	return k
}

func elemTwoValue32(x float32, k *twoValue32) (loss, grad float32) {
	s := float32(1 - 2*k.h)
	z := mul(x, s)
	a := math.Float32frombits(math.Float32bits(z) &^ signBit)
	e, el := expSplit(-a, 0, false)
	u := 1 + e
	rcp := 1 / u
	c := mul((e-(u-1))+el, rcp)
	r1 := fma(-u, rcp, 1)
	rc := fma(rcp, r1-c, rcp)
	elrc := mul(el, rc)
	sp, sn := rc, fma(e, rc, elrc)
	// σ's low parts, as the general body forms them: rc's from the
	// division's remainder, sn's from the product's error and el
	rclo := fma(rcp, r1-c, rcp-rc)
	snlo := fma(rclo, e, elrc+fma(e, rc, -sn))
	sz, snz, szlo := sp, sn, rclo
	w, wlo := k.w1, k.w1lo
	if math.Float32bits(z)&signBit != 0 {
		sz, snz, szlo = sn, sp, snlo
		w, wlo = k.e, 0
	}
	l := log1pE(u, c)
	ce := fma(w, a, fma(wlo, a, l))
	q := fma(k.c12, sz, k.e)
	qlo := fma(k.c12, szlo, mul(k.c12lo, sz))
	m := mul(q, q)
	mLo := fma(mul(2, q), qlo, fma(q, q, -m))
	loss, _, _ = lossOf32(Mode2, k.at, k.atLo, m, mLo, ce, true)
	ceg := ce
	if ceg > math.MaxFloat32 {
		ceg = math.MaxFloat32
	}
	d := (sz - k.e) + szlo
	inner := fma(mul(2*k.c12, mul(sz, snz)), ceg, mul(q, d))
	aqh := mul(k.at, q)
	aql := fma(k.atLo, q, fma(k.at, q, -aqh))
	return loss, mul(s, fma(aqh, inner, mul(aql, inner)))
}

// twoValueErr measures the candidate (and the general body, ElemGen32 with
// its float64 lanes) against the float64 element ElemSoft32 on the logits
// xs at target t: the largest loss error in ULP and gradient error in units
// of 2^-23 × its two terms (ulp.GradErr).
type twoValueErr struct{ loss, grad, genLoss, genGrad float64 }

func (w *twoValueErr) add(x, t float32, k *twoValue32, p *Params32) {
	rl, rg := ElemSoft32(x, t, p)
	cl, cg := elemTwoValue32(x, k)
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
	t.Logf("%s: candidate loss %.0f ULP, grad %.3g units; general body %.0f ULP, %.3g units",
		what, w.loss, w.grad, w.genLoss, w.genGrad)
	if w.loss > kerneltest.LossULP || w.grad > kerneltest.GradUnits {
		t.Errorf("%s: candidate loss %.0f ULP, grad %.3g units: over %d ULP, %d units",
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

// TestTwoValueRows holds the rows form's candidate to LossULP and
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
			for h := range 2 {
				k := rowsTwoValue32(eps, alpha, h)
				tt := float32(eps / 2)
				if h == 1 {
					tt = float32(1 - eps/2)
				}
				for _, x := range twoValueLogits(step, root(tt)) {
					w.add(x, tt, &k, &p)
				}
			}
			w.check(t, fmt.Sprintf("rows α=%v ε=%v", alpha, eps))
		}
	}
}

// TestTwoValueFlat holds the flat form's candidate to the same bars on the
// soft targets of impl/asm's TestSoftAccuracy: fixed targets with logits
// near their roots, and kerneltest's soft inputs.
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
			k := flatTwoValue32(tt, &p)
			for _, x := range twoValueLogits(step, root(tt)) {
				w.add(x, tt, &k, &p)
			}
		}
		rng := rand.New(rand.NewPCG(23, 24))
		x, tt := kerneltest.Inputs[float32](rng, n, kerneltest.AllSoft)
		for i := range x {
			if tt[i] > 0 && tt[i] < 1 {
				k := flatTwoValue32(tt[i], &p)
				w.add(x[i], tt[i], &k, &p)
			}
		}
		w.check(t, fmt.Sprintf("flat α=%v", alpha))
	}
}

// BenchmarkTwoValue times the scalar candidate beside the hard element and
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
	k := [2]twoValue32{rowsTwoValue32(0.1, 0.25, 0), rowsTwoValue32(0.1, 0.25, 1)}
	t := [2]float32{float32(0.1 / 2), float32(1 - 0.1/2)}
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
				l, g := elemTwoValue32(v, &k[min(i%classes, 1)^1])
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
