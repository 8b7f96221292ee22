package model

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/dd"
	"github.com/focalkernels/focal/impl/internal/softmax"
)

// The softmax form's per-row epilogue: from a row's reduction by the lanes
// (softmax_lanes.go) to its loss, its label's gradient g_c and the factor f
// of its stored exps in the others' gradients (g_j = store_j·f·2^-s), with
// impl/internal/softmax's formulas (see its package doc): with S the sum of
// the other classes' terms and nothing formed as a cancelling difference.
// It is scalar Go that every level runs, so that the levels agree with one
// another wherever their lanes do.
//
// float32 rows take it in float64: at γ ∈ {0, 0.5, 1, 1.5, 2} as the
// lanes do (softmax_epilanes.go, log by logHL64), else with math's Log1p,
// Log and Exp (the lanes' special rows at those γ too): every
// relative error is a few units of 2^-53, times γ for (1-p_c)^γ, far below
// float32's. float64 rows take it in double-double where it counts: log and
// log1p from the flat kernels' float64 polynomials with their rounding
// errors carried (logHL64, log1pHL64: about 2^-57 absolute on log q),
// (1-p_c)^γ = exp(γ·log q) with γ·log q split exactly and the exp's errors
// carried (smExp), S and q and the products in double-double, the scale
// 2^512 of the lanes' exps kept where S is tiny, one rounding at the end.
// A wrong row (x_c < m) takes log1p(S + E_c) as log Z, Z = O + E_c, one
// logarithm without the terms that keep a small argument's digits: its
// -log p_c is above ln2 (p_c < 1/2), so that an absolute error of log Z is
// as small relative to the loss.
//
// A row the epilogue does not take (ok = false) is left to the scalar
// algorithm, impl/internal/softmax, in Loss, Sum and LossGrad alike: where
// the stored exps' scaling would leave a gradient without its digits (float32:
// w·α_c·(1+γ) above 2^38; float64: above 2^500 or below 2^-400), float64
// rows with γ above 5 (γ times log q's error), and float64 rows whose m -
// x_c overflows.

// SoftmaxEpi32 is the epilogue of a float32 row: xc its label's logit, m its
// maximum, o and ec the lanes' O' and E'_c (scaled by 2^64), wa = weight·α_c.
// The loss is returned unrounded; f is the factor of the stored exps
// (before their scale's 2^-64, which SoftmaxScale32 applies). With grad
// false only the loss is computed (the same bits), f and gc are 0.
func SoftmaxEpi32(xc, m float32, o, ec, wa, gamma float64, grad bool) (loss, f, gc float64, ok bool) {
	if o != o || ec != ec || xc != xc {
		return math.NaN(), math.NaN(), math.NaN(), true
	}
	if wa == 0 {
		return 0, 0, 0, true
	}
	if float64(wa*(1+gamma)) > SoftmaxEpiLimit {
		return 0, 0, 0, false
	}
	if SoftmaxEpiLaneGamma(gamma) && !softmaxEpiSpecial(float64(xc), float64(m), o, ec, wa, gamma) {
		loss, f, gc = softmaxEpiLane(float64(xc), float64(m), o, ec, wa, gamma)
		if !grad {
			return loss, 0, 0, true
		}
		return loss, f, gc, true
	}
	const unscale = 0x1p-64
	O, Ec := float64(o*unscale), float64(ec*unscale)
	var l, q, invZ, mod, ratio float64
	right := xc == m
	inf := false
	if right { // right: O = S
		l = math.Log1p(O)
		invZ = 1 / (1 + O)
		q = float64(O * invZ)
		ratio = 1
		if O != 0 && grad {
			ratio = l / O
		}
	} else { // O = 1 + S, the maximum's term among the others
		z := O + Ec
		invZ = 1 / z
		inf = float64(m) > math.MaxFloat64 || float64(xc) < -math.MaxFloat64
		if !inf {
			// log1p(S + E_c) = log Z: -log p_c is above ln2 in a wrong row
			// (p_c < 1/2), so that log Z's absolute error is as small
			// relative to it
			l = (float64(m) - float64(xc)) + math.Log(z)
		}
		q = float64(O * invZ)
		if pc := float64(Ec * invZ); pc != 0 && !inf && grad {
			ratio = float64(Ec*l) / O // p_c·L/q
		}
	}
	switch gamma { // q^γ: products where they are exact enough, else exp(γ·log q)
	case 0:
		mod = 1
	case 1:
		mod = q
	case 2:
		mod = float64(q * q)
	case 0.5: // a correctly rounded root: two roundings at most, against exp(γ·log q)'s
		mod = math.Sqrt(q)
	case 1.5:
		mod = float64(q * math.Sqrt(q))
	default:
		// log q, only for a general γ (a logarithm fewer per row otherwise)
		var lq float64
		switch {
		case !right:
			lq = math.Log1p(-float64(Ec * invZ))
		case O == 0:
			lq = math.Inf(-1)
		case O <= 1:
			lq = math.Log(O) - l
		default:
			lq = -math.Log1p(1 / O)
		}
		mod = math.Exp(float64(gamma * lq))
	}
	if inf {
		loss = math.Inf(1)
	} else {
		loss = float64(float64(wa*mod) * l)
	}
	if !grad {
		return loss, 0, 0, true
	}
	b := mod
	if gamma != 0 {
		b = float64(mod * (1 + float64(gamma*ratio)))
	}
	wb := float64(wa * b)
	return loss, float64(wb * invZ), -float64(wb * q), true
}

// SoftmaxEpi64 is the epilogue of a float64 row: xc its label's logit, m its
// maximum, O' and E'_c as hi+lo (scaled by 2^512), wa = weight·α_c
// (exactly). f is the factor of the stored exps (before their 2^-512).
// With grad false only the loss is computed.
func SoftmaxEpi64(xc, m float64, o, ec dd.DD, wa softmax.Scaled, gamma float64, grad bool) (loss softmax.Scaled, f float64, gc softmax.Scaled, ok bool) {
	nan := softmax.Scaled{V: dd.DD{Hi: math.NaN()}}
	if o.Hi != o.Hi || o.Lo != o.Lo || ec.Hi != ec.Hi || ec.Lo != ec.Lo || xc != xc {
		return nan, math.NaN(), nan, true
	}
	if wa.V.Hi == 0 {
		return softmax.Scaled{}, 0, softmax.Scaled{}, true
	}
	if w := (dd.DD{Hi: wa.V.Hi}).Scale(-wa.K).Hi; gamma > 5 || float64(w*(1+gamma)) > 0x1p500 || w < 0x1p-400 {
		return softmax.Scaled{}, 0, softmax.Scaled{}, false
	}
	o = dd.FastTwoSum(o.Hi, o.Lo)
	ec = dd.FastTwoSum(ec.Hi, ec.Lo)
	one := dd.DD{Hi: 1}
	var l, q, mod softmax.Scaled // -log p_c, 1-p_c, (1-p_c)^γ
	var ratio, invZ dd.DD
	var lq dd.DD // log q
	lqInf := false
	inf := false
	if xc == m {
		// right: S = O; q = S/(1+S); -log p_c = log1p(S); ρ = log1p(S)/S
		s := o.Scale(-smScale64)
		invZ = one.Add(s).Recip()
		q = softmax.Scaled{V: o.Mul(invZ), K: smScale64}
		ratio = one
		switch {
		case o.Hi == 0:
			lqInf = true
		case s.Hi < 0x1p-20:
			h := s.Hi // log1p(S) = S·(1 - S/2 + S²/3 - S³/4), past 2^-80 relative
			tail := float64(h * (-0.5 + float64(h*(1.0/3+float64(h*-0.25)))))
			l = softmax.Scaled{V: o.Add(o.MulF(tail)), K: smScale64}
			ratio = one.Add(dd.DD{Hi: tail})
		default:
			l = softmax.Scaled{V: log1pDD(s)}
			if grad {
				ratio = l.V.Quo(s)
			}
		}
		general := gamma != 0 && gamma != 1 && gamma != 2 // q^γ needs log q
		switch {
		case lqInf || !general:
		case o.Hi < 0x1p-1022: // S below 2^-1534: q^γ·(…) underflows
			lqInf = true
		case s.Hi <= 1:
			ls := logDD(o).Add(dd.Ln2.MulF(-smScale64)) // log S
			lq = ls.Add(l.V.Scale(-l.K).Neg())
		default:
			lq = log1pDD(s.Recip()).Neg()
		}
	} else {
		// O = 1 + S; Z = O + E_c; -log p_c = (m - x_c) + log1p(S + E_c)
		O, Ec := o.Scale(-smScale64), ec.Scale(-smScale64)
		z := O.Add(Ec)
		invZ = z.Recip()
		q = softmax.Scaled{V: O.Mul(invZ)}
		inf = math.IsInf(m, 1) || math.IsInf(xc, -1)
		if !inf {
			delta := dd.TwoSum(m, -xc)
			if math.IsInf(delta.Hi, 0) {
				return softmax.Scaled{}, 0, softmax.Scaled{}, false
			}
			// log1p(S + E_c) = log Z, as in SoftmaxEpi32
			l = softmax.Scaled{V: delta.Add(logHiLo(z))}
		}
		// p_c, log q and the ratio: Loss and Sum at γ ∈ {0, 1, 2} need none of them
		if general := gamma != 0 && gamma != 1 && gamma != 2; general || grad {
			if pc := Ec.Mul(invZ); pc.Hi != 0 {
				if general {
					lq = logDD(q.V)
				}
				if !inf && grad {
					ratio = pc.Mul(l.V).Quo(q.V)
				}
			}
		}
	}
	switch {
	case gamma == 0:
		mod = softmax.Scaled{V: one}
	case gamma == 1:
		mod = q
	case gamma == 2:
		mod = softmax.Mul(q, q)
	case lqInf:
		mod = softmax.Scaled{}
	default:
		t := dd.TwoProd(gamma, lq.Hi)
		t = dd.FastTwoSum(t.Hi, t.Lo+float64(gamma*lq.Lo))
		e, elo := smExp(t.Hi, t.Lo, smLo64, smScale64, expQ64[:], true)
		mod = softmax.Scaled{V: dd.FastTwoSum(e, elo), K: smScale64}
	}
	if inf {
		loss = softmax.Scaled{V: dd.DD{Hi: math.Inf(1)}}
	} else {
		loss = softmax.Mul(softmax.Mul(wa, mod), l)
	}
	if !grad {
		return loss, 0, softmax.Scaled{}, true
	}
	b := mod
	if gamma != 0 {
		b.V = mod.V.Add(mod.V.Mul(ratio).MulF(gamma))
	}
	wb := softmax.Mul(wa, b)
	gc = softmax.Mul(wb, softmax.Scaled{V: q.V.Neg(), K: q.K})
	fz := softmax.Mul(wb, softmax.Scaled{V: invZ})
	return loss, (dd.DD{Hi: fz.V.Hi}).Scale(-fz.K).Hi, gc, true
}

// logDD returns log v for a normal v > 0 as hi+lo, to about 2^-57
// absolute: logHL64 of v's mantissa in [1/2, 1), plus its exponent·ln2, plus
// v.Lo/v.Hi.
func logDD(v dd.DD) dd.DD {
	f, e := math.Frexp(v.Hi)
	hi, lo := logHL64(f)
	r := dd.FastTwoSum(hi, lo)
	r = r.Add(dd.DD{Hi: float64(float64(e) * ln2hi64), Lo: float64(float64(e) * ln2lo64)})
	return r.Add(dd.DD{Hi: v.Lo / v.Hi})
}

// logHiLo returns log v for v ≥ 1 (|v.Lo| ≤ 2^-52·v.Hi) as hi+lo, to about
// 2^-57 absolute: logHL64 of v.Hi, plus v.Lo/v.Hi.
func logHiLo(v dd.DD) dd.DD {
	hi, lo := logHL64(v.Hi)
	return dd.TwoSum(hi, lo+v.Lo/v.Hi)
}

// log1pDD returns log(1+v) for v ≥ 0 as hi+lo, to about 2^-57 relative:
// log1pHL64 for v ≤ 1; above, logHiLo of 1+v formed by TwoSum: log(1+v) >
// ln2 there, so that its absolute error is as small relative to it.
func log1pDD(v dd.DD) dd.DD {
	if v.Hi > 1 {
		u := dd.TwoSum(1, v.Hi)
		return logHiLo(dd.DD{Hi: u.Hi, Lo: u.Lo + v.Lo}) // above ln2: to 2^-57 relative
	}
	u := 1 + v.Hi
	c := ((v.Hi - (u - 1)) + v.Lo) / u
	l, lo := log1pHL64(u, c)
	return dd.FastTwoSum(l, lo)
}
