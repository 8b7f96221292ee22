package rows

import (
	"github.com/focalkernels/focal/impl/internal/dd"
	"github.com/focalkernels/focal/impl/internal/form"
)

// Under label smoothing at γ = 2 every element takes the two-valued body
// (impl/internal/model's twovalue.go): its target is one of two values, a
// positive's T1 and a negative's T0, and its α_t one of two per class. A
// call forms both α_t of every class once, exactly, and the tables hold
// them where they hold class α's hi+lo pairs otherwise: A1 (A1lo) for T1,
// A0 (A0lo) for T0.

// TwoValue reports whether p's elements in E take the two-valued body:
// smoothing that gives soft targets in E, γ = 2, T1 > T0, so that a lane's
// target tells a positive from a negative (they are equal only for an ε
// within 2^-24 of 1), and T0 ≥ TwoMin.
func TwoValue[E Float](p form.Params) bool {
	t1, t0 := Targets[E](p.Smoothing)
	return Smoothed[E](p) && p.Gamma == 2 && t1 > t0 && t0 >= TwoMin[E]()
}

// TwoMin is the least target e = min(t, 1-t) that the two-valued body
// takes: α_t ≥ e (a mean of t and 1-t) and m = q² ≥ e², so α_t·m ≥ e³
// stays normal (2^-126 in float32, 2^-1022 in float64), and the loss
// α_t·m·CE keeps its precision however large CE is, up to |x| = ±Inf, where
// it is +Inf. Below (ε < 2^-41 in float32, 2^-339 in float64), a subnormal
// or zero α_t·m times a huge CE lost thousands of ULP, or gave 0·Inf; the
// general body leaves those lanes to float64.
func TwoMin[E Float]() E {
	if Is32[E]() {
		return 0x1p-42
	}
	return 0x1p-340
}

// TwoAlpha returns α_t = t·α + (1-t)·(1-α) for class α alpha at target t,
// as a hi+lo pair of E: 1 and 0 where α < 0 (weighting off).
func TwoAlpha[E Float](alpha float64, t E) (hi, lo E) {
	if alpha < 0 {
		return 1, 0
	}
	tt := float64(t)
	a := dd.TwoProd(tt, alpha).Add(dd.TwoSum(1, -tt).Mul(dd.TwoSum(1, -alpha)))
	if Is32[E]() {
		h := float32(a.Hi)
		return E(h), E(float32((a.Hi - float64(h)) + a.Lo))
	}
	return E(a.Hi), E(a.Lo)
}

// twoTables fills the tables' class α_t for the classes [lo, hi) under p
// (TwoValue), and reports whether one of them is 0.
func (a *Args[E]) twoTables(p form.Params, lo, hi int) (zero bool) {
	t := &a.Tab
	for k := 0; k < hi-lo; k++ {
		al := Alpha(p, lo+k)
		t.A1[k], t.A1lo[k] = TwoAlpha(al, a.T1)
		t.A0[k], t.A0lo[k] = TwoAlpha(al, a.T0)
		zero = zero || t.A1[k] == 0 || t.A0[k] == 0
	}
	return zero
}
