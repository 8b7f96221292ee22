package softmax

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/dd"
)

// scale is the power of two the row's exps are kept scaled by: E_j·2^scale
// is normal for every x_j - m ≥ -1332 (e^-1332 < 2^-1921: below it a term
// cannot move a float64 result), and a sum of fewer than 2^120 of them does
// not overflow.
const scale = 900

type float interface{ float32 | float64 }

// Scaled is the value V·2^-K.
type Scaled struct {
	V dd.DD
	K int
}

// row is one row's state after its reduction (see the package doc).
type row struct {
	m       float64 // the maximum
	a       int     // the class that attains it (c if x_c does)
	nan     bool    // a logit is NaN
	right   bool    // a == c
	s       dd.DD   // S·2^scale
	ec      dd.DD   // E_c·2^scale (c ≠ a)
	loss    Scaled  // α_c·w·FL
	f       Scaled  // the factor of E_j·2^scale in grad_j, j ≠ c: α_c·w·B/Z
	gc      Scaled  // grad_c = -α_c·w·B·q
	infLoss bool    // -log p_c = +Inf: x_c = -Inf, or x_c finite and m = +Inf
}

// expShift returns e^(v-m)·2^scale for v ≤ m, with v - m taken exactly
// (TwoSum) and as 0 where v = m (±Inf included); 0 where v - m is -Inf.
func expShift(v, m float64) dd.DD {
	if v == m {
		return dd.DD{Hi: 0x1p900}
	}
	d := dd.TwoSum(v, -m)
	if math.IsInf(d.Hi, -1) {
		return dd.DD{}
	}
	e := dd.ExpNegScaled(d.Hi, scale)
	return e.Add(e.MulF(d.Lo)) // e^lo = 1 + lo to 2^-87: |lo| ≤ 2^-44 here
}

// reduce finds the row's maximum and sums its exps.
func reduce[E float](x []E, c int) row {
	var r row
	m := x[0]
	for j, v := range x {
		if v != v {
			r.nan = true
			return r
		}
		if v > m {
			m, r.a = v, j
		}
	}
	if x[c] == m {
		r.a = c
	}
	r.m = float64(m)
	r.right = r.a == c
	for j, v := range x {
		if j == r.a {
			continue
		}
		e := expShift(float64(v), r.m)
		if j == c {
			r.ec = e
		} else {
			r.s = r.s.Add(e)
		}
	}
	// Below 2^-1922 (scaled: below the normal range) S and E_c move no
	// float64 result; 0 keeps the divisions by them out of the subnormals.
	if r.s.Hi < 0x1p-1022 {
		r.s = dd.DD{}
	}
	if r.ec.Hi < 0x1p-1022 {
		r.ec = dd.DD{}
	}
	return r
}

// solve computes the row's loss and gradient factors from its reduction,
// for α_c·w = wa (exactly) and γ.
func (r *row) solve(xc float64, wa Scaled, gamma float64, grad bool) {
	su := r.s.Scale(-scale) // S, unscaled (subnormal or 0 where tiny)
	var l, lq, q, ratio, invZ dd.DD
	var lK, qK int // the scales of l and q
	switch {
	case r.right:
		// -log p_c = log1p(S); q = S/(1+S); ρ = log1p(S)/S
		l, lK = log1pScaled(r.s, su)
		onePlus := dd.DD{Hi: 1}.Add(su)
		invZ = onePlus.Recip()
		q, qK = r.s.Mul(invZ), scale
		ratio = dd.DD{Hi: 1}
		if r.s.Hi != 0 {
			ratio = l.Quo(r.s)
			if lK == 0 {
				ratio = l.Quo(su)
			}
		}
		switch {
		case r.s.Hi == 0: // q = 0
			lq = dd.DD{Hi: math.Inf(-1)}
		case su.Hi <= 1:
			// log S = log(S·2^scale) - scale·ln2
			ls := dd.Log(r.s).Add(dd.Ln2.MulF(-scale))
			lq = ls.Add(l.Scale(-lK).Neg())
		default:
			lq = dd.Log1p(su.Recip()).Neg()
		}
	default:
		// -log p_c = (m - x_c) + log1p(S + E_c); p_c = E_c/Z; q = (1+S)/Z
		ecu := r.ec.Scale(-scale)
		zm1 := su.Add(ecu)
		invZ = dd.DD{Hi: 1}.Add(zm1).Recip()
		delta := dd.TwoSum(r.m, -xc)
		switch {
		case math.IsInf(r.m, 1) || math.IsInf(xc, -1):
			r.infLoss = true
			l = dd.DD{Hi: math.Inf(1)}
		case math.IsInf(delta.Hi, 1):
			// m - x_c overflows, but α_c·w·FL may not: take it in
			// quarters (exact for such |m|, |x_c|); p_c = 0 here
			lK = -2
			delta = dd.TwoSum(float64(r.m/4), float64(-xc/4))
			l = delta.Add(dd.Log1p(zm1).Scale(-2))
		default:
			l = delta.Add(dd.Log1p(zm1))
		}
		pc := ecu.Mul(invZ)
		q = dd.DD{Hi: 1}.Add(su).Mul(invZ)
		if pc.Hi != 0 {
			lq = dd.Log1p(pc.Neg())
			if !r.infLoss {
				ratio = pc.Mul(l).Quo(q)
			}
		}
	}
	// q^γ = exp(γ·log q), γ·log q ≤ 0 split exactly, the exp scaled so
	// that a subnormal q^γ keeps its digits (a large weight may need them)
	mod := Scaled{V: dd.DD{Hi: 1}}
	if gamma != 0 {
		mod = Scaled{}
		if !math.IsInf(lq.Hi, -1) {
			t := dd.TwoProd(gamma, lq.Hi)
			t = dd.FastTwoSum(t.Hi, t.Lo+float64(gamma*lq.Lo))
			e := dd.ExpNegScaled(t.Hi, scale)
			mod = Scaled{V: e.Add(e.MulF(t.Lo)), K: scale}
		}
	}
	if r.infLoss {
		r.loss = Scaled{V: dd.DD{Hi: math.Inf(1)}}
	} else {
		r.loss = Mul(Mul(wa, mod), Scaled{V: l, K: lK})
	}
	if !grad {
		return
	}
	b := mod
	if gamma != 0 {
		b.V = mod.V.Add(mod.V.Mul(ratio).MulF(gamma))
	}
	wb := Mul(wa, b)
	r.gc = Mul(wb, Scaled{V: q.Neg(), K: qK})
	r.f = Mul(wb, Scaled{V: invZ})
}

// Mul returns a·b, normalized (see norm): the products of a row's factors
// neither overflow nor underflow before the one rounding of the result.
func Mul(a, b Scaled) Scaled {
	if near(a.V.Hi) && near(b.V.Hi) {
		// the product and its error terms are normal: the same value, by an
		// exact power of two, as the normalized operands' product
		return Scaled{V: a.V.Mul(b.V), K: a.K + b.K}
	}
	a, b = norm(a), norm(b)
	return norm(Scaled{V: a.V.Mul(b.V), K: a.K + b.K})
}

// near reports whether v is a normal float64 within 2^±300 of 1: the
// product of two such values (as double-doubles, their low parts included)
// is normal, and so is its product with a factor above 2^-400.
func near(v float64) bool {
	return uint64(math.Float64bits(v)>>52&0x7ff)-(1023-300) <= 600
}

// norm returns s with s.V's magnitude in [1, 2) (0, ±Inf and NaN as they are).
func norm(s Scaled) Scaled {
	if s.V.Hi == 0 || math.IsInf(s.V.Hi, 0) || s.V.Hi != s.V.Hi {
		return s
	}
	e := int(math.Float64bits(s.V.Hi)>>52&0x7ff) - 1022 // Frexp's exponent, for a normal Hi
	if e == 1 {
		return s // already in [1, 2)
	}
	if e == -1022 {
		_, e = math.Frexp(s.V.Hi) // subnormal
	}
	return Scaled{V: s.V.Scale(1 - e), K: s.K + 1 - e}
}

// ScaledOf returns v·w exactly, as a Scaled (normalized unless v and w are
// both near 1, see near).
func ScaledOf(v, w float64) Scaled {
	if near(v) && near(w) {
		return Scaled{V: dd.TwoProd(v, w)} // exact, and normal: the same value
	}
	fv, ev := math.Frexp(v)
	fw, ew := math.Frexp(w)
	return norm(Scaled{V: dd.TwoProd(fv, fw), K: -ev - ew})
}

// log1pScaled returns log1p(S) for S = s·2^-scale (su), scaled by 2^k: k =
// scale where S is below 2^-20 (there log1p(S) = S·(1 - S/2 + S²/3 - …),
// which keeps a tiny S's digits), 0 otherwise.
func log1pScaled(s, su dd.DD) (dd.DD, int) {
	if su.Hi >= 0x1p-20 {
		return dd.Log1p(su), 0
	}
	h := su.Hi
	tail := float64(h * (-0.5 + float64(h*(1.0/3+float64(h*(-0.25+float64(h*0.2)))))))
	return s.Add(s.MulF(tail)), scale
}
