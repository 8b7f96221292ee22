package kit

import (
	"math"
	"math/big"

	"github.com/focalkernels/focal/internal/bigref"
	"github.com/focalkernels/focal/internal/ulp"
)

// The softmax form's references and tolerances: the cross-entropy and the
// probabilities of a row in math/big (for γ = 0, where the focal loss is
// α-weighted cross-entropy), and the softmax bar's measure of a gradient
// component.

// softmaxCE returns the cross-entropy -log p_c of a finite row and its
// probabilities p_j, each times w (the row's weight·α_c), in math/big at 200
// bits, rounded to float64: -log p_c = (m - x_c) + log(1 + Σ_{j≠a} e^(x_j -
// m)), m the maximum, a a class that attains it, and p_j = e^(x_j - m)/Σ e;
// p_c - 1 is returned as -Σ_{j≠c} p_j (pcm1), which keeps its digits where
// p_c is near 1.
func softmaxCE(x []float64, c int, w float64) (ce float64, p []float64, pcm1 float64) {
	m, a := x[0], 0
	for j, v := range x {
		if v > m {
			m, a = v, j
		}
	}
	e := make([]*big.Float, len(x))
	z, rest, others := bigref.Float(0), bigref.Float(0), bigref.Float(0)
	for j, v := range x {
		d := bigref.New().Sub(bigref.Float(v), bigref.Float(m))
		e[j] = bigref.Float(0)
		if d.Cmp(bigref.Float(-65536)) >= 0 {
			e[j] = bigref.Exp(d)
		}
		z.Add(z, e[j])
		if j != a {
			rest.Add(rest, e[j])
		}
		if j != c {
			others.Add(others, e[j])
		}
	}
	bw := bigref.Float(w)
	l := bigref.New().Add(bigref.New().Sub(bigref.Float(m), bigref.Float(x[c])), bigref.Log1p(rest))
	ce, _ = l.Mul(l, bw).Float64()
	p = make([]float64, len(x))
	for j := range x {
		q := bigref.New().Quo(e[j], z)
		p[j], _ = q.Mul(q, bw).Float64()
	}
	q := bigref.New().Quo(others, z)
	pcm1, _ = q.Mul(q, bw).Float64()
	return ce, p, -pcm1
}

// finiteRow reports whether every logit of x is finite.
func finiteRow(x []float64) bool {
	for _, v := range x {
		if v != v || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// closeRel reports whether the gradient component got is within tl of
// want, in the softmax bar's measure: ulp.RelErr (relative to want, floored
// at the smallest normal number) within tl.grad, or for a relative bar
// |got - want| ≤ tl.rel·max(|want|, smallest normal). NaN equals NaN.
func closeRel(got, want float64, bits int, tl tol) bool {
	if got != got || want != want {
		return got != got && want != want
	}
	if got == want {
		return true
	}
	if tl.relative() {
		return math.Abs(got-want) <= float64(tl.rel*math.Max(math.Abs(want), minNormal(bits)))
	}
	return relErr(got, want, bits) <= tl.grad
}

// relErr is ulp.RelErr for the element type of width bits.
func relErr(got, want float64, bits int) float64 {
	return ulp.RelErr(got, want, eps(bits), minNormal(bits))
}
