package softmax

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/csum"
	"github.com/focalkernels/focal/impl/internal/dd"
	"github.com/focalkernels/focal/impl/internal/form"
)

// The loops over rows, with the preconditions of the kernels' softmax
// functions (not checked): len(r.X) = N·C with N = len(r.Labels), C ≥ 1;
// labels < C (negative: the row is ignored); r.Weight nil or of length N,
// finite and ≥ 0; p.ClassAlpha nil or of length C; the outputs of length N
// (loss) and N·C (grad; loss may be nil in LossGrad).

// weightAlpha returns row n's weight times α_c, exactly.
func weightAlpha[E float](r form.Rows[E], p form.Params, n, c int) Scaled {
	w := 1.0
	if r.Weight != nil {
		w = float64(r.Weight[n])
	}
	return ScaledOf(w, p.SoftmaxAlpha(c))
}

// Row returns the loss of one row (x of C logits, class c, wa = weight·α_c)
// and, if grad is not nil, writes its gradient there.
func Row[E float](x []E, c int, wa Scaled, gamma float64, grad []E) Scaled {
	r := reduce(x, c)
	switch {
	case r.nan:
		for j := range grad {
			grad[j] = E(math.NaN())
		}
		return Scaled{V: dd.DD{Hi: math.NaN()}}
	case wa.V.Hi == 0:
		clear(grad)
		return Scaled{}
	}
	r.solve(float64(x[c]), wa, gamma, grad != nil)
	if grad == nil {
		return r.loss
	}
	for j, v := range x {
		switch {
		case j == c:
			grad[j] = Round[E](r.gc)
		default:
			grad[j] = Round[E](Mul(r.f, Scaled{V: expShift(float64(v), r.m), K: scale}))
		}
	}
	return r.loss
}

// Loss writes each row's loss into dst: 0 for an ignored row.
func Loss[E float](dst []E, r form.Rows[E], p form.Params) {
	C := r.C
	clear(dst[:len(r.Labels)])
	for n, c := range r.KeptRows() {
		dst[n] = Round[E](Row[E](r.X[n*C:(n+1)*C], c, weightAlpha(r, p, n, c), p.Gamma, nil))
	}
}

// Sum returns the sum of the rows' losses, each unrounded, with compensated
// summation, and the number of rows not ignored.
func Sum[E float](r form.Rows[E], p form.Params) (float64, int) {
	C := r.C
	var acc csum.Sum
	for n, c := range r.KeptRows() {
		v := Row[E](r.X[n*C:(n+1)*C], c, weightAlpha(r, p, n, c), p.Gamma, nil)
		acc.Add(math.Ldexp(v.V.Hi, -v.K))
		acc.Add(math.Ldexp(v.V.Lo, -v.K))
	}
	return acc.Value(), r.Kept()
}

// LossGrad writes each row's loss into loss (unless it is nil) and its
// gradient into grad: 0 for an ignored row.
func LossGrad[E float](loss, grad []E, r form.Rows[E], p form.Params) {
	C := r.C
	for n, l := range r.Labels {
		g := grad[n*C : (n+1)*C]
		if l < 0 {
			clear(g)
			if loss != nil {
				loss[n] = 0
			}
			continue
		}
		c := int(l)
		v := Row(r.X[n*C:(n+1)*C], c, weightAlpha(r, p, n, c), p.Gamma, g)
		if loss != nil {
			loss[n] = Round[E](v)
		}
	}
}
