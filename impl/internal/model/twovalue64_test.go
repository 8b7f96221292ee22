package model

import (
	"fmt"
	"math"
	"math/big"
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
	"github.com/focalkernels/focal/internal/bigref"
	"github.com/focalkernels/focal/internal/ulp"
)

// twovalue_test.go's candidate in float64, as ElemHard64 is ElemHard32's
// twin, held to the truth (internal/bigref) rather than to a float64 element.

type twoValue64 struct {
	e, w1, w1lo, c12, c12lo, at, atLo float64
	h                                 int
}

// split returns v as float64 hi+lo.
func split(v *big.Float) (hi, lo float64) {
	hi, _ = v.Float64()
	lo, _ = new(big.Float).Sub(v, big.NewFloat(hi)).Float64()
	return hi, lo
}

// twoValueConsts64 returns the constants for target t and α (exact,
// through math/big, as a call would form them once per class).
func twoValueConsts64(t, alpha float64) twoValue64 {
	k := twoValue64{e: t}
	if t > 0.5 {
		k.e, k.h = 1-t, 1
	}
	bigref.New()
	one := big.NewFloat(1).SetPrec(bigref.Prec)
	be := new(big.Float).SetPrec(bigref.Prec).SetFloat64(k.e)
	k.w1, k.w1lo = split(new(big.Float).SetPrec(bigref.Prec).Sub(one, be))
	k.c12, k.c12lo = split(new(big.Float).SetPrec(bigref.Prec).Sub(one, new(big.Float).SetPrec(bigref.Prec).Add(be, be)))
	k.at, k.atLo = 1, 0
	if alpha >= 0 {
		bt, ba := bigref.Float(t), bigref.Float(alpha)
		at := bigref.New().Add(bigref.New().Mul(bt, ba),
			bigref.New().Mul(bigref.New().Sub(one, bt), bigref.New().Sub(one, ba)))
		k.at, k.atLo = split(at)
	}
	return k
}

func elemTwoValue64(x float64, k *twoValue64) (loss, grad float64) {
	s := float64(1 - 2*k.h)
	z := mul64(x, s)
	a := math.Float64frombits(math.Float64bits(z) &^ sign64)
	e, el := expSplit64(-a, 0, false)
	u := 1 + e
	rcp := 1 / u
	c := mul64((e-(u-1))+el, rcp)
	r1 := math.FMA(-u, rcp, 1)
	rc := math.FMA(rcp, r1-c, rcp)
	elrc := mul64(el, rc)
	sp, sn := rc, math.FMA(e, rc, elrc)
	rclo := math.FMA(rcp, r1-c, rcp-rc)
	snlo := math.FMA(rclo, e, elrc+math.FMA(e, rc, -sn))
	sz, snz, szlo := sp, sn, rclo
	w, wlo := k.w1, k.w1lo
	if math.Float64bits(z)&sign64 != 0 {
		sz, snz, szlo = sn, sp, snlo
		w, wlo = k.e, 0
	}
	l := log1pE64(u, c)
	ce := math.FMA(w, a, math.FMA(wlo, a, l))
	q := math.FMA(k.c12, sz, k.e)
	qlo := math.FMA(k.c12, szlo, mul64(k.c12lo, sz))
	m := mul64(q, q)
	mLo := math.FMA(mul64(2, q), qlo, math.FMA(q, q, -m))
	loss, _, _ = lossOf64(Mode2, k.at, k.atLo, m, mLo, ce, true)
	d := (sz - k.e) + szlo
	inner := math.FMA(mul64(2*k.c12, mul64(sz, snz)), min(ce, math.MaxFloat64), mul64(q, d))
	aqh := mul64(k.at, q)
	aql := math.FMA(k.atLo, q, math.FMA(k.at, q, -aqh))
	return loss, mul64(s, math.FMA(aqh, inner, mul64(aql, inner)))
}

// TestTwoValue64 holds the float64 candidate to LossULP and GradUnits
// against math/big over logits across [-100, 100] and near each target's
// root, at the rows form's smoothed targets and at flat soft targets.
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
	for _, alpha := range []float64{0.25, -1} {
		var worstL, worstG float64
		for _, tt := range targets {
			k := twoValueConsts64(tt, alpha)
			r := math.Log(tt / (1 - tt))
			all := append([]float64(nil), xs...)
			for i := -near; i <= near; i++ {
				all = append(all, r+float64(i)*1e-13*max(1, math.Abs(r)))
			}
			for _, x := range all {
				rl, rg, sc := bigref.Ref64(x, tt, alpha, 2)
				cl, cg := elemTwoValue64(x, &k)
				if a := math.Abs(rl); a == 0 || a >= 0x1p-1022 && !math.IsInf(a, 0) {
					worstL = max(worstL, float64(ulp.Dist64(cl, rl)))
				}
				if sc >= 0x1p-1022 && !math.IsInf(sc, 0) {
					if ge := ulp.GradErr(cg, rg, sc, ulp.Eps64); ge > worstG {
						worstG = ge
						if ge > 8 {
							t.Logf("x=%v t=%v: grad %v, truth %v (scale %v)", x, tt, cg, rg, sc)
						}
					}
				}
			}
		}
		what := fmt.Sprintf("float64 α=%v", alpha)
		t.Logf("%s: candidate loss %.0f ULP, grad %.3g units of the truth", what, worstL, worstG)
		if worstL > kerneltest.LossULP || worstG > kerneltest.GradUnits {
			t.Errorf("%s: loss %.0f ULP, grad %.3g units: over %d ULP, %d units",
				what, worstL, worstG, kerneltest.LossULP, kerneltest.GradUnits)
		}
	}
}
