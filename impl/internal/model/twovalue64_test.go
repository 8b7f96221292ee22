package model

import (
	"fmt"
	"math"
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
	"github.com/focalkernels/focal/impl/internal/rows"
	"github.com/focalkernels/focal/internal/bigref"
	"github.com/focalkernels/focal/internal/ulp"
)

// ElemTwoValue64 held to the truth (internal/bigref).

// TestTwoValue64 holds the float64 body to LossULP and GradUnits
// against math/big over logits across [-100, 100] and near each target's
// root, at the rows form's smoothed targets and at flat soft targets: as
// the rows form takes it (α_t exact, rows.TwoAlpha) and as ElemTwoFlat64
// (α_t formed in the lane).
func TestTwoValue64(t *testing.T) {
	step := uint64(1) << 51
	near := 50
	if testing.Short() {
		step, near = 1<<53, 20
	}
	var xs []float64
	// from 2^-120: below it σ(x) - 1/2 ≈ x/4 has fewer than 80 of
	// bigref's 200 bits
	for b := uint64(0x3870000000000000); b < 0x4059000000000000; b += step {
		v := math.Float64frombits(b)
		xs = append(xs, v, -v)
	}
	var targets []float64
	for _, eps := range []float64{1e-300, 1e-6, 0.1, 0.5, 0.999} {
		targets = append(targets, eps/2)
		if t1 := 1 - eps/2; t1 < 1 { // a t1 of 1 is hard
			targets = append(targets, t1)
		}
	}
	targets = append(targets, 0.45, 0.499, 0.5, 0.7, 0.95, 1-0x1p-53)
	// α < 0 (α_t = 1, exact on both paths) is in the float32 tests
	for _, alpha := range []float64{0.25, 0.01, 0.9} {
		var worstL, worstG, flatL, flatG float64
		p := NewParams64(alpha, 2)
		for _, tt := range targets {
			h := 0
			if tt > 0.5 {
				h = 1
			}
			at, atLo := rows.TwoAlpha(alpha, tt)
			r := math.Log(tt / (1 - tt))
			all := append([]float64(nil), xs...)
			for i := -near; i <= near; i++ {
				all = append(all, r+float64(i)*1e-13*max(1, math.Abs(r)))
			}
			for _, x := range all {
				rl, rg, sc := bigref.Ref64(x, tt, alpha, 2)
				cl, cg := ElemTwoValue64(x, tt, h, at, atLo)
				fl, fg := ElemTwoFlat64(x, tt, &p)
				if a := math.Abs(rl); a == 0 || a >= 0x1p-1022 && !math.IsInf(a, 0) {
					worstL = max(worstL, float64(ulp.Dist64(cl, rl)))
					flatL = max(flatL, float64(ulp.Dist64(fl, rl)))
				}
				if sc >= 0x1p-1022 && !math.IsInf(sc, 0) {
					flatG = max(flatG, ulp.GradErr(fg, rg, sc, ulp.Eps64))
					if ge := ulp.GradErr(cg, rg, sc, ulp.Eps64); ge > worstG {
						worstG = ge
						if ge > 8 {
							t.Logf("x=%v t=%v: grad %v, truth %v (scale %v)", x, tt, cg, rg, sc)
						}
					}
				}
			}
		}
		for _, r := range []struct {
			what string
			l, g float64
		}{{"rows", worstL, worstG}, {"flat", flatL, flatG}} {
			what := fmt.Sprintf("float64 %s α=%v", r.what, alpha)
			t.Logf("%s: body loss %.0f ULP, grad %.3g units of the truth", what, r.l, r.g)
			if r.l > kerneltest.LossULP || r.g > kerneltest.GradUnits {
				t.Errorf("%s: loss %.0f ULP, grad %.3g units: over %d ULP, %d units",
					what, r.l, r.g, kerneltest.LossULP, kerneltest.GradUnits)
			}
		}
	}
}

// TestTwoValueTiny64 is TestTwoValueTiny in float64: at rows.TwoMin (ε =
// 2^-339) against math/big for huge logits, and +Inf at x = -Inf.
func TestTwoValueTiny64(t *testing.T) {
	eps := 2 * rows.TwoMin[float64]()
	t1, t0 := rows.Targets[float64](eps)
	if t0 != rows.TwoMin[float64]() || t1 != 1 {
		t.Fatalf("ε=%v: targets %v, %v", eps, t1, t0)
	}
	for _, alpha := range []float64{0.25, -1, 0, 1} {
		at, atLo := rows.TwoAlpha(alpha, t0)
		for _, x := range []float64{-math.MaxFloat64, math.MaxFloat64, -1e300, 1e300, -1e100, 1e100, -1e5, 1e5} {
			rl, rg, sc := bigref.Ref64(x, t0, alpha, 2)
			cl, cg := ElemTwoValue64(x, t0, 0, at, atLo)
			if math.IsInf(rl, 0) || math.IsInf(cl, 0) {
				if cl != rl {
					t.Errorf("α=%v x=%v: loss %v, truth %v", alpha, x, cl, rl)
				}
			} else if d := ulp.Dist64(cl, rl); d > kerneltest.LossULP {
				t.Errorf("α=%v x=%v: loss %v, truth %v (%d ULP)", alpha, x, cl, rl, d)
			}
			if sc >= 0x1p-1022 && !math.IsInf(sc, 0) {
				if ge := ulp.GradErr(cg, rg, sc, ulp.Eps64); ge > kerneltest.GradUnits {
					t.Errorf("α=%v x=%v: grad %v, truth %v (%.3g units)", alpha, x, cg, rg, ge)
				}
			}
		}
		if l, _ := ElemTwoValue64(math.Inf(-1), t0, 0, at, atLo); !math.IsInf(l, 1) {
			t.Errorf("α=%v x=-Inf: loss %v, want +Inf", alpha, l)
		}
	}
}
