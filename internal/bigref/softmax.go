package bigref

import (
	"math"
	"math/big"
)

// SoftmaxRow is the truth of one row of the softmax focal loss,
//
//	FL = -w·α_c·(1-p_c)^γ·log p_c,  grad_j = K·(δ_jc - p_j),
//	K = -w·α_c·[(1-p_c)^γ - γ(1-p_c)^(γ-1)·p_c·log p_c],  p = softmax(x),
//
// at Prec bits, with the module's conventions at the edges (see the root
// package's SoftmaxLossGrad): NaN is set if a logit is NaN; x_j - m is 0
// where x_j equals the maximum m (+Inf logits count as equal, a row of -Inf
// as uniform); LossInf is set where -log p_c = +Inf (the loss is +Inf);
// w·α_c = 0 gives loss 0 and gradient 0.
type SoftmaxRow struct {
	NaN, LossInf bool
	Loss         *big.Float
	Grad         []*big.Float
}

// Softmax returns the truth of the row x (float64 values, of float32 for a
// float32 kernel) with class c, weight w, α_c = alpha and γ = gamma.
func Softmax(x []float64, c int, w, alpha, gamma float64) SoftmaxRow {
	var r SoftmaxRow
	m, a := x[0], 0
	for j, v := range x {
		if v != v {
			r.NaN = true
			return r
		}
		if v > m {
			m, a = v, j
		}
	}
	if x[c] == m {
		a = c
	}
	e := make([]*big.Float, len(x)) // e^(x_j - m)
	for j, v := range x {
		switch {
		case v == m:
			e[j] = Float(1)
		case math.IsInf(v, -1) || math.IsInf(m, 1):
			e[j] = Float(0)
		default:
			d := New().Sub(Float(v), Float(m))
			if d.Cmp(Float(-65536)) < 0 { // e^d < 2^-94000: moves nothing
				e[j] = Float(0)
			} else {
				e[j] = Exp(d)
			}
		}
	}
	wa := New().Mul(Float(w), Float(alpha))
	r.Grad = make([]*big.Float, len(x))
	if wa.Sign() == 0 {
		r.Loss = Float(0)
		for j := range r.Grad {
			r.Grad[j] = Float(0)
		}
		return r
	}
	others := Float(0) // Σ_{j≠c} e_j
	for j := range x {
		if j != c {
			others.Add(others, e[j])
		}
	}
	z := New().Add(others, e[c])
	q := New().Quo(others, z) // 1 - p_c, from the other classes' terms
	pc := New().Quo(e[c], z)
	var l *big.Float // -log p_c
	if a == c {
		l = Log1p(others) // log(Z), Z = 1 + others
	} else if math.IsInf(x[c], -1) || math.IsInf(m, 1) {
		r.LossInf = true
	} else {
		zm1 := Float(0) // Z - 1: every term but the maximum's
		for j := range x {
			if j != a {
				zm1.Add(zm1, e[j])
			}
		}
		l = New().Add(New().Sub(Float(m), Float(x[c])), Log1p(zm1))
	}
	mod := Float(1) // q^γ
	if gamma != 0 {
		mod = Float(0)
		if q.Sign() != 0 {
			lg := New().Mul(Float(gamma), Log(q))
			if lg.Cmp(Float(-65536)) >= 0 {
				mod = Exp(lg)
			}
		}
	}
	term2 := Float(0) // γ·q^(γ-1)·p_c·(-log p_c)
	if gamma != 0 && q.Sign() != 0 && pc.Sign() != 0 && !r.LossInf {
		term2 = New().Mul(Float(gamma), New().Quo(mod, q))
		term2.Mul(term2, New().Mul(pc, l))
	}
	k := New().Mul(wa, New().Add(mod, term2))
	k.Neg(k)
	if r.LossInf {
		r.Loss = New().SetInf(false)
	} else {
		r.Loss = New().Mul(New().Mul(wa, mod), l)
	}
	for j := range x {
		if j == c {
			r.Grad[j] = New().Mul(k, q)
		} else {
			g := New().Mul(k, New().Quo(e[j], z))
			r.Grad[j] = g.Neg(g)
		}
	}
	return r
}

// Loss64 and Loss32 return the loss rounded to float64 and float32 (NaN for
// a NaN row, +Inf where LossInf).
func (r SoftmaxRow) Loss64() float64 {
	if r.NaN {
		return math.NaN()
	}
	v, _ := r.Loss.Float64()
	return v
}

func (r SoftmaxRow) Loss32() float32 {
	if r.NaN {
		return float32(math.NaN())
	}
	v, _ := r.Loss.Float32()
	return v
}

// Grad64 and Grad32 return gradient component j rounded to float64 and float32.
func (r SoftmaxRow) Grad64(j int) float64 {
	if r.NaN {
		return math.NaN()
	}
	v, _ := r.Grad[j].Float64()
	return v
}

func (r SoftmaxRow) Grad32(j int) float32 {
	if r.NaN {
		return float32(math.NaN())
	}
	v, _ := r.Grad[j].Float32()
	return v
}

// NearTie reports whether v lies within 2^-150 of v of a rounding boundary
// of float32 (bits 32) or float64 (bits 64): there a 200-bit evaluation
// whose sums dropped terms below 2^-200 of them cannot tell which way the
// truth rounds, and a caller allows either neighbour.
func NearTie(v *big.Float, bits int) bool {
	if v == nil || v.IsInf() || v.Sign() == 0 {
		return false
	}
	var lo, hi float64
	if bits == 32 {
		f, _ := v.Float32()
		if math.IsInf(float64(f), 0) {
			return false
		}
		lo = float64(math.Nextafter32(f, float32(math.Inf(-1))))
		hi = float64(math.Nextafter32(f, float32(math.Inf(1))))
		lo, hi = (lo+float64(f))/2, (hi+float64(f))/2 // exact in float64
	} else {
		f, _ := v.Float64()
		if math.IsInf(f, 0) {
			return false
		}
		// the midpoints f ± half a spacing, in big (not representable in float64)
		d1 := New().Sub(Float(math.Nextafter(f, math.Inf(-1))), Float(f))
		d2 := New().Sub(Float(math.Nextafter(f, math.Inf(1))), Float(f))
		m1 := New().Add(Float(f), d1.SetMantExp(d1, -1))
		m2 := New().Add(Float(f), d2.SetMantExp(d2, -1))
		return near(v, m1) || near(v, m2)
	}
	return near(v, Float(lo)) || near(v, Float(hi))
}

func near(v, mid *big.Float) bool {
	d := New().Sub(v, mid)
	if d.Sign() == 0 {
		return true
	}
	return d.MantExp(nil)-v.MantExp(nil) < -150
}
