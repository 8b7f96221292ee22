package asm

import "github.com/focalkernels/focal/impl/internal/fast"

// The PureGo level's rows form: impl/internal/rows's loops over
// impl/internal/fast's element, with class c's weight made per element
// (fast.NewWeight: one TwoSum) where ClassAlpha is set.

// fastRows is the PureGo level's element of the rows form.
type fastRows struct {
	class []float64   // Params.ClassAlpha, or nil
	w     fast.Weight // the call's weight where class is nil
	g     fast.Gamma
}

func newFastRows(p Params) fastRows {
	return fastRows{class: p.ClassAlpha, w: fast.NewWeight(p.Alpha), g: fast.NewGamma(p.Gamma)}
}

func (e fastRows) weight(c int) fast.Weight {
	if e.class != nil {
		return fast.NewWeight(e.class[c])
	}
	return e.w
}

// fastRows32 and fastRows64 are fastRows as rows.Elem of either element type.
type (
	fastRows32 struct{ fastRows }
	fastRows64 struct{ fastRows }
)

func newFastRows32(p Params) fastRows32 { return fastRows32{newFastRows(p)} }

func newFastRows64(p Params) fastRows64 { return fastRows64{newFastRows(p)} }

func (e fastRows32) Elem(x, t float32, c int, grad bool) (loss, dx float32) {
	l, g := fast.Elem32(x, t, e.weight(c), &e.g, grad)
	return float32(l), float32(g)
}

func (e fastRows64) Elem(x, t float64, c int, grad bool) (loss, dx float64) {
	return fast.Elem64(x, t, e.weight(c), &e.g, grad)
}
