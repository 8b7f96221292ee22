package model

import (
	"github.com/focalkernels/focal/impl/internal/form"
	"github.com/focalkernels/focal/impl/internal/rows"
)

// The sigmoid rows form of the lanes: package rows' loops over this model's
// element, which is the flat element (Elem32, Elem64) with the target from
// the label (rows.Targets), class c's α (rows.Alpha), or under smoothing at
// γ = 2 the two-valued body (twovalue.go), and one γ mode fewer
// than the flat form has: the rows kernels specialise γ = 2 (Mode2) and
// take every other γ in the general mode (RowsMode), which gives the same
// bits as Mode0 at γ = 0 with hard targets. The weight multiplies the
// element's loss and gradient in float32 (float64), as the lanes do.

// RowsMode returns the γ mode of the rows kernels: Mode2 for γ = 2, else ModeGen.
func RowsMode(gamma float64) int {
	if gamma == 2 {
		return Mode2
	}
	return ModeGen
}

// RowsParams32 returns the float32 kernels' parameters for class α alpha in
// the rows form (NewParams32 with the mode RowsMode gives).
func RowsParams32(alpha, gamma float64) Params32 {
	q := NewParams32(alpha, gamma)
	q.Mode = RowsMode(gamma)
	return q
}

// RowsParams64 is RowsParams32 for float64.
func RowsParams64(alpha, gamma float64) Params64 {
	q := NewParams64(alpha, gamma)
	q.Mode = RowsMode(gamma)
	return q
}

// RowsElem32 is the rows form's element in float32: the flat element
// against target t with class c's parameters (RowsParams32).
type RowsElem32 struct {
	p     form.Params
	fixed Params32 // the parameters of every class when ClassAlpha is nil
	two   bool     // the two-valued body (rows.TwoValue), t1 a positive's target
	t1    float32
}

// NewRowsElem32 returns the float32 element of the rows form under p.
func NewRowsElem32(p form.Params) RowsElem32 {
	t1, _ := rows.Targets[float32](p.Smoothing)
	return RowsElem32{p: p, fixed: RowsParams32(p.Alpha, p.Gamma), two: rows.TwoValue[float32](p), t1: t1}
}

// Params returns class c's parameters.
func (e *RowsElem32) Params(c int) Params32 {
	if e.p.ClassAlpha == nil {
		return e.fixed
	}
	return RowsParams32(e.p.ClassAlpha[c], e.p.Gamma)
}

func (e RowsElem32) Elem(x, t float32, c int, grad bool) (float32, float32) {
	q := e.Params(c)
	if e.two && !q.Wide {
		h := 0
		if t == e.t1 {
			h = 1
		}
		at, atLo := rows.TwoAlpha(rows.Alpha(e.p, c), t)
		l, g := ElemTwoValue32(x, t, h, at, atLo)
		if !grad {
			g = 0
		}
		return l, g
	}
	if grad {
		return ElemGeneral32(x, t, &q)
	}
	return ElemGeneralLoss32(x, t, &q), 0
}

// RowsElem64 is RowsElem32 for float64.
type RowsElem64 struct {
	p     form.Params
	fixed Params64
	two   bool
	t1    float64
}

// NewRowsElem64 returns the float64 element of the rows form under p.
func NewRowsElem64(p form.Params) RowsElem64 {
	t1, _ := rows.Targets[float64](p.Smoothing)
	return RowsElem64{p: p, fixed: RowsParams64(p.Alpha, p.Gamma), two: rows.TwoValue[float64](p), t1: t1}
}

// Params returns class c's parameters.
func (e *RowsElem64) Params(c int) Params64 {
	if e.p.ClassAlpha == nil {
		return e.fixed
	}
	return RowsParams64(e.p.ClassAlpha[c], e.p.Gamma)
}

func (e RowsElem64) Elem(x, t float64, c int, grad bool) (float64, float64) {
	q := e.Params(c)
	if e.two && !q.Wide {
		h := 0
		if t == e.t1 {
			h = 1
		}
		at, atLo := rows.TwoAlpha(rows.Alpha(e.p, c), t)
		l, g := ElemTwoValue64(x, t, h, at, atLo)
		if !grad {
			g = 0
		}
		return l, g
	}
	if grad {
		return ElemGeneral64(x, t, &q)
	}
	return ElemGeneralLoss64(x, t, &q), 0
}

// LossRows32 writes the rows form's loss into dst (the Generic level).
func LossRows32(dst []float32, r form.Rows[float32], p form.Params) {
	rows.Loss(dst, r, p, NewRowsElem32(p))
}

// SumRows32 returns the rows form's sum and positive rows (the Generic level).
func SumRows32(r form.Rows[float32], p form.Params) (float64, int) {
	return rows.Sum(r, p, NewRowsElem32(p))
}

// LossGradRows32 writes the rows form's loss and gradient (the Generic level).
func LossGradRows32(loss, grad []float32, r form.Rows[float32], p form.Params) {
	rows.LossGrad(loss, grad, r, p, NewRowsElem32(p))
}

// LossRows64 is LossRows32 for float64.
func LossRows64(dst []float64, r form.Rows[float64], p form.Params) {
	rows.Loss(dst, r, p, NewRowsElem64(p))
}

// SumRows64 is SumRows32 for float64.
func SumRows64(r form.Rows[float64], p form.Params) (float64, int) {
	return rows.Sum(r, p, NewRowsElem64(p))
}

// LossGradRows64 is LossGradRows32 for float64.
func LossGradRows64(loss, grad []float64, r form.Rows[float64], p form.Params) {
	rows.LossGrad(loss, grad, r, p, NewRowsElem64(p))
}

// The vector families' rows lanes (impl/asm's and impl/archsimd's) take
// their class α and fall back to this model through the functions below,
// so that both families split α and choose the scalar path the same way.

// RowsLanesTake reports whether the rows lanes take r and p: a non-empty
// call none of whose class α sends the lanes' parameters for E (Wide) to
// the scalar path, and not smoothing at γ = 2 that the two-valued body does
// not take (rows.TwoValue false: ε below 2^-41 in float32, or within 2^-24
// of 1), since the lanes' smoothed functions at γ = 2 are that body's.
func RowsLanesTake[E rows.Float](r form.Rows[E], p form.Params) bool {
	if p.Gamma == 2 && rows.Smoothed[E](p) && !rows.TwoValue[E](p) {
		return false
	}
	if rows.Is32[E]() {
		return rows.LanesTake(r, p, func(alpha float64) bool { return RowsParams32(alpha, p.Gamma).Wide })
	}
	return rows.LanesTake(r, p, func(alpha float64) bool { return RowsParams64(alpha, p.Gamma).Wide })
}

// RowsSplit is a rows.Split: class α as the lanes take it, RowsParams32's
// (RowsParams64's) hi+lo pairs, and whether α_t can be 0.
func RowsSplit[E rows.Float](alpha, gamma float64) (a1, a0, a1lo, a0lo E, zero bool) {
	if rows.Is32[E]() {
		q := RowsParams32(alpha, gamma)
		return E(q.A1), E(q.A0), E(q.A1lo), E(q.A0lo), q.ZeroWeight()
	}
	q := RowsParams64(alpha, gamma)
	return E(q.A1), E(q.A0), E(q.A1lo), E(q.A0lo), q.ZeroWeight()
}

// RowsElem is the rows form's element for E (RowsElem32 or RowsElem64), the
// model that rows.Run redoes the lanes' flagged elements with.
type RowsElem[E rows.Float] struct {
	e32 RowsElem32
	e64 RowsElem64
}

// NewRowsElem returns the element of the rows form for E under p.
func NewRowsElem[E rows.Float](p form.Params) RowsElem[E] {
	if rows.Is32[E]() {
		return RowsElem[E]{e32: NewRowsElem32(p)}
	}
	return RowsElem[E]{e64: NewRowsElem64(p)}
}

func (m RowsElem[E]) Elem(x, t E, c int, grad bool) (E, E) {
	if rows.Is32[E]() {
		l, g := m.e32.Elem(float32(x), float32(t), c, grad)
		return E(l), E(g)
	}
	l, g := m.e64.Elem(float64(x), float64(t), c, grad)
	return E(l), E(g)
}
