package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/stable"
	"github.com/focalkernels/focal/internal/ulp"
)

// TestGenHard: the general form gives elemHard's loss and gradient bit for
// bit at a hard target, so that a hard lane in a soft step computes what it
// would in a hard one (and what Generic computes for it).
func TestGenHard(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)),
		math.MaxFloat32, -math.MaxFloat32, 1e-45, -1e-45, 87, -87, 104, -104, 200, -200}
	for _, gamma := range gammas {
		for _, alpha := range []float64{0.25, -1, 0, 1} {
			p := mkParams(alpha, gamma)
			for i := range 40000 {
				x := randLogit(rng)
				if i < len(special) {
					x = special[i]
				}
				tv := float32(rng.IntN(2))
				lh, gh := elemHard(x, tv, &p)
				lg, gg, _, _ := elemGen(x, tv, &p, true)
				if math.Float32bits(lh) != math.Float32bits(lg) && !(lh != lh && lg != lg) ||
					math.Float32bits(gh) != math.Float32bits(gg) && !(gh != gh && gg != gg) && !(gh == 0 && gg == 0) {
					t.Fatalf("γ=%v α=%v x=%v t=%v: elemHard %v %v, elemGen %v %v", gamma, alpha, x, tv, lh, gh, lg, gg)
				}
			}
		}
	}
}

// randLogit draws a logit as inputs does.
func randLogit(rng *rand.Rand) float32 {
	x, _ := inputs(rng, 1, kindHard)
	return x[0]
}

// TestExpSoft: e + el + el2 is exp(-|x|) to 2^-26.3·min(16x², 1) relative for
// |x| < 70 (beyond, el and el2 are subnormal, and so are σ(x)σ(-x) and the
// flag band)
// (plus 2^-51 for the float64 reference's own rounding), the bound that the
// flag band of soft.go (softNear, softFlag) rests on; e and el are expSplit's.
func TestExpSoft(t *testing.T) {
	var worst float64
	var wx float32
	for v := float32(1e-6); v < 70; {
		e, el, el2 := expSoft(-v)
		e0, el0 := expSplit(-v, 0, false)
		if e != e0 || el != el0 {
			t.Fatalf("x=%v: expSoft's e, el %v %v differ from expSplit's %v %v", v, e, el, e0, el0)
		}
		ex := math.Exp(-float64(v))
		r := (math.Abs(float64(e)+float64(el)+float64(el2)-ex)/ex - 0x1p-51) / math.Min(16*float64(v)*float64(v), 1)
		if r > worst {
			worst, wx = r, v
		}
		for range 7 {
			v = math.Nextafter32(v, 100)
		}
		if v < 0.01 {
			v *= 1.001
		}
	}
	t.Logf("largest error: 2^%.2f·min(16x², 1) at x=%v", math.Log2(worst), wx)
	if worst > math.Exp2(-26.3) {
		t.Errorf("e+el+el2's relative error 2^%.2f·min(16x², 1) > 2^-26.3·min(16x², 1) at x=%v", math.Log2(worst), wx)
	}
}

// gradScale is the size of the gradient's two terms, |α_t|(|γ-term| + |q^γ(σ-t)|),
// in float64: the measure of ulp.GradErr (as ref_grad_scale of the golden rows).
func gradScale(x, t, alpha, gamma float64) float64 {
	s, sn := 1/(1+math.Exp(-x)), 1/(1+math.Exp(x))
	at := 1.0
	if alpha >= 0 {
		at = float64(alpha*t) + float64((1-alpha)*(1-t))
	}
	sp := func(v float64) float64 { return math.Max(v, 0) + math.Log1p(math.Exp(-math.Abs(v))) }
	ce := float64(t*sp(-x)) + float64((1-t)*sp(x))
	q := float64(t*sn) + float64((1-t)*s)
	mod, dmod := 1.0, 0.0
	if gamma != 0 {
		mod, dmod = math.Pow(q, gamma), gamma*math.Pow(q, gamma-1)
	}
	return math.Abs(at) * (math.Abs(float64(dmod*(1-2*t)*s*sn*ce)) + math.Abs(float64(mod*(s-t))))
}

// TestSoftAccuracy: at every level, soft targets (random, and the logits
// where σ(x) ≈ t, where σ(x) - t cancels) are within 5 ULP (loss) and 8
// units of the gradient's scale·2^-23 of stable's float32 kernel, stable
// being itself within 1 ULP and 2 units of the truth. The flagged lanes
// (float64) are among them.
func TestSoftAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	n := 20000
	if testing.Short() {
		n = 4000
	}
	x, tt := make([]float32, 0, 2*n), make([]float32, 0, 2*n)
	for range n {
		xs, ts := inputs(rng, 1, kindSoft)
		x, tt = append(x, xs[0]), append(tt, ts[0])
	}
	for _, tv := range []float32{1e-4, 0.05, 0.1, 0.45, 0.499, 0.5, 0.501, 0.7, 0.95, 1 - 1e-4} {
		root := float32(math.Log(float64(tv) / (1 - float64(tv))))
		for i := -n / 20; i < n/20; i++ {
			x, tt = append(x, root+float32(i)*1e-4/float32(n)), append(tt, tv)
		}
	}
	for _, l := range testLevels() {
		for _, gamma := range gammas {
			for _, alpha := range []float64{0.25, -1} {
				what := fmt.Sprintf("asm-%v γ=%v α=%v", l, gamma, alpha)
				loss, grad := make([]float32, len(x)), make([]float32, len(x))
				l.LossGrad32(loss, grad, x, tt, alpha, gamma)
				rl, rg := make([]float32, len(x)), make([]float32, len(x))
				stable.LossGrad32(rl, rg, x, tt, alpha, gamma)
				var maxL uint64
				var maxG float64
				for i := range x {
					if a := math.Abs(float64(rl[i])); a == 0 || a >= 0x1p-126 && !math.IsInf(a, 0) {
						if d := ulp.Dist32(loss[i], rl[i]); d > maxL {
							maxL = d
							if d > 5 {
								t.Errorf("%s x=%v t=%v: loss %v, stable %v (%d ULP)", what, x[i], tt[i], loss[i], rl[i], d)
							}
						}
					}
					if sc := gradScale(float64(x[i]), float64(tt[i]), alpha, gamma); sc >= 0x1p-126 && !math.IsInf(sc, 0) {
						if e := ulp.GradErr(float64(grad[i]), float64(rg[i]), sc, ulp.Eps32); e > maxG {
							maxG = e
							if e > 8 {
								t.Errorf("%s x=%v t=%v: grad %v, stable %v (%.3g units)", what, x[i], tt[i], grad[i], rg[i], e)
							}
						}
					}
				}
				t.Logf("%s: loss %d ULP, grad %.3g units from stable over %d soft targets", what, maxL, maxG, len(x))
			}
		}
	}
}

// TestSoftDegenerate: the lanes left to float64, at every level, among
// other lanes: a tiny target where α_t·m underflows while CE is huge or
// +Inf (a loss of 0 or NaN once), a hard lane with α_t = 0 beside them
// (which must not be flagged), a subnormal target, and a NaN input beside a
// flagged lane (whose loss must be the same bits from Loss32 and LossGrad32).
func TestSoftDegenerate(t *testing.T) {
	inf := float32(math.Inf(1))
	x := []float32{-inf, -2.8157312e29, -1, 1e30, -50, float32(math.NaN()), -0.5, 3, -1e38, 0.25}
	tt := []float32{1.8111469e-16, 1.4039347e-16, 1, 1e-40, 1e-40, 0.5, 0.37732220, 0.3, 1e-20, 0.2}
	for _, l := range testLevels() {
		for _, alpha := range []float64{1, 0, 0.25, -1} {
			for _, gamma := range gammas {
				what := fmt.Sprintf("asm-%v α=%v γ=%v", l, alpha, gamma)
				loss, grad, d := make([]float32, len(x)), make([]float32, len(x)), make([]float32, len(x))
				l.LossGrad32(loss, grad, x, tt, alpha, gamma)
				l.Loss32(d, x, tt, alpha, gamma)
				rl, rg := make([]float32, len(x)), make([]float32, len(x))
				stable.LossGrad32(rl, rg, x, tt, alpha, gamma)
				for i := range x {
					if math.Float32bits(d[i]) != math.Float32bits(loss[i]) {
						t.Errorf("%s x=%v t=%v: Loss32 %v (%#x) but LossGrad32's loss %v (%#x)", what, x[i], tt[i], d[i], math.Float32bits(d[i]), loss[i], math.Float32bits(loss[i]))
					}
					if x[i] != x[i] {
						continue
					}
					if rl[i] == 0 || math.Abs(float64(rl[i])) >= 0x1p-126 {
						if dl := ulp.Dist32(loss[i], rl[i]); dl > 5 {
							t.Errorf("%s x=%v t=%v: loss %v, stable %v (%d ULP)", what, x[i], tt[i], loss[i], rl[i], dl)
						}
					}
					if grad[i] != grad[i] || math.IsInf(float64(grad[i]), 0) {
						t.Errorf("%s x=%v t=%v: grad %v, stable %v", what, x[i], tt[i], grad[i], rg[i])
					}
				}
				if s := l.Sum32(x[:5], tt[:5], alpha, gamma); s != s {
					t.Errorf("%s: Sum32 of the finite-input lanes is NaN", what)
				}
			}
		}
	}
}
