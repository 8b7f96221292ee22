package dd

import "math"

// The double-double logarithms and expm1, for the softmax focal loss, whose
// log p and (1-p)^γ need log and log1p of double-double sums to well below
// float64's rounding. Each takes math.Log or math.Log1p of the high part and
// corrects it by one Newton step against the double-double exp (ExpNeg,
// Expm1Neg), so its error is about ExpNeg's: below 2e-19 relative for Log1p
// and Expm1Neg, 1e-19 absolute for Log (whose value is near 0 only where
// its argument is near 1, where Log1p is the one to use).

// Expm1Neg returns e^a - 1 for a ≤ 0 with a relative error below 2e-19: for
// |a| ≤ ln2/2 it is ExpNeg's m itself, which never forms 1+m.
func Expm1Neg(a float64) DD {
	if a < -746 {
		return DD{-1, 0}
	}
	k, m := expm1Reduced(a)
	if k == 0 {
		return m
	}
	// 2^k·(1+m) - 1, |e^a - 1| > 0.29: nothing cancels
	e := TwoSum(1, m.Hi)
	e = FastTwoSum(e.Hi, e.Lo+m.Lo)
	return DD{math.Ldexp(e.Hi, int(k)), math.Ldexp(e.Lo, int(k))}.Add(DD{-1, 0})
}

// Neg returns -a.
func (a DD) Neg() DD { return DD{-a.Hi, -a.Lo} }

// Quo returns a/b.
func (a DD) Quo(b DD) DD { return a.Mul(b.Recip()) }

// Log1p returns log(1+v) for v > -1 (v.Hi > -1), to a relative error below
// 2e-19 (about 2^-100 for |v| < 2^-20, where a series is exact enough). 0
// gives 0; +Inf gives +Inf.
func Log1p(v DD) DD {
	switch {
	case v.Hi == 0:
		return DD{}
	case math.IsInf(v.Hi, 1):
		return DD{v.Hi, 0}
	case math.Abs(v.Hi) < 0x1p-20:
		// v - v²/2 + v³/3 - v⁴/4 + v⁵/5: the next term is below 2^-120·|v|
		h := v.Hi
		v2 := TwoProd(h, h)
		v2 = FastTwoSum(v2.Hi, v2.Lo+float64(2*float64(h*v.Lo)))
		h2 := v2.Hi
		rest := float64(float64(h2*h) * (1.0/3 + float64(h*(-1.0/4+float64(h*(1.0/5))))))
		return v.Add(DD{float64(-v2.Hi / 2), float64(-v2.Lo / 2)}).Add(DD{rest, 0})
	}
	y := math.Log1p(v.Hi + v.Lo)
	// Newton on expm1(y) = v: y - (expm1(y) - v)·e^-y, with expm1(y) and
	// e^-y from Expm1Neg of -|y| where e^-|y| is near 1, from ExpNeg where
	// it is not (1 + Expm1Neg would leave e^-y only Expm1Neg's absolute
	// accuracy)
	var em1, eNeg DD // expm1(y), e^-y
	switch {
	case y <= 0:
		em1 = Expm1Neg(y)
		eNeg = DD{1, 0}.Add(em1).Recip()
	case y < 0.5:
		m := Expm1Neg(-y) // e^-y - 1
		eNeg = DD{1, 0}.Add(m)
		em1 = m.Neg().Quo(eNeg)
	default:
		eNeg = ExpNeg(-y)
		em1 = DD{1, 0}.Add(eNeg.Neg()).Quo(eNeg)
	}
	r := em1.Add(v.Neg()) // the residual, a few units of 2^-53·v
	return FastTwoSum(y, -float64(r.Hi*eNeg.Hi))
}

// Log returns log v for a normal v > 0 (v.Hi normal), to an absolute error
// below 1e-19 (use Log1p where v is near 1 and a relative error counts).
func Log(v DD) DD {
	y := math.Log(v.Hi)
	// Newton on e^y = v: y + log1p(δ), δ = v·e^-y - 1 (a few units of
	// 2^-53), e^-y from ExpNeg of -|y|. Both sides are scaled by 2^±600,
	// exactly, so that no low part is lost to a subnormal near the ends of
	// the float64 range.
	const s = 600
	var d DD
	if y <= 0 {
		e := ExpNegScaled(y, s)
		d = v.Scale(s).Add(e.Neg()).Quo(e)
	} else {
		d = v.Scale(-s).Mul(ExpNegScaled(-y, s)).Add(DD{-1, 0})
	}
	dl := d.Hi - float64(float64(d.Hi*d.Hi)/2)
	return FastTwoSum(y, dl)
}

// Scale returns a·2^k, each part rounded once where it is subnormal (as
// math.Ldexp): by a multiplication by 2^k where 2^k is a normal float64.
func (a DD) Scale(k int) DD {
	if k >= -1022 && k <= 1023 {
		f := math.Float64frombits(uint64(k+1023) << 52)
		return DD{a.Hi * f, a.Lo * f}
	}
	return DD{math.Ldexp(a.Hi, k), math.Ldexp(a.Lo, k)}
}
