package focal

import "github.com/focalkernels/focal/impl/naive"

// implRows and implParams are the rows forms' inputs as every impl package
// takes them (one type, impl/internal/form's, re-exported by each).
type (
	implRows[E float32 | float64] = naive.Rows[E]
	implParams                    = naive.Params
)

// toImplRows views r as the impl packages' Rows of F's underlying type.
func toImplRows[E float32 | float64, F Float](r Rows[F]) implRows[E] {
	var w []E // nil for no weights, as the kernels read it, however empty they came
	if len(r.Weight) > 0 {
		w = as[E](r.Weight)
	}
	return implRows[E]{X: as[E](r.X), Labels: r.Labels, C: r.C, Weight: w}
}

// toImplParams is p as the impl packages take it.
func toImplParams(p Params) implParams {
	return implParams{Alpha: p.Alpha, Gamma: p.Gamma, ClassAlpha: p.ClassAlpha, Smoothing: p.Smoothing}
}
