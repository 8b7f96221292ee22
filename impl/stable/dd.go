package stable

import "math"

// A dd is an unevaluated sum hi+lo of two float64s with |lo| ≤ ulp(hi)/2: about
// 106 bits. The soft-target path needs it because (1-p_t)^γ multiplies the
// relative error of 1-p_t by γ; with 1-p_t from plain float64 sigmoids the
// float64 loss would be off by up to 8 ULP at γ = 5.
//
// The error-free transformations below assume that every operation rounds on
// its own. Go lets a compiler fuse x*y + z into one FMA, even across
// statements and inlined calls (arm64, ppc64, s390x and riscv64 do, amd64 at
// GOAMD64=v3): a product fused into twoSum's first addition would leave its
// error term describing a sum that was never formed. So every product in this
// package is written float64(x*y), which the spec says rounds and so cannot
// be fused, and the one fused operation the algorithms want (the exact error
// of a product) is math.FMA.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

func fastTwoSum(a, b float64) dd { // |a| ≥ |b|
	s := a + b
	return dd{s, b - (s - a)}
}

func twoProd(a, b float64) dd {
	p := float64(a * b)
	return dd{p, math.FMA(a, b, -p)} // fused on purpose: a·b - p exactly
}

func (a dd) add(b dd) dd {
	s := twoSum(a.hi, b.hi)
	return fastTwoSum(s.hi, s.lo+a.lo+b.lo)
}

func (a dd) mul(b dd) dd {
	p := twoProd(a.hi, b.hi)
	return fastTwoSum(p.hi, p.lo+float64(a.hi*b.lo)+float64(a.lo*b.hi))
}

func (a dd) mulF(b float64) dd {
	p := twoProd(a.hi, b)
	return fastTwoSum(p.hi, p.lo+float64(a.lo*b))
}

// recip returns 1/a.
func (a dd) recip() dd {
	q := 1 / a.hi
	p := twoProd(q, a.hi)
	r := (1 - p.hi) - p.lo - float64(q*a.lo) // 1 - q·a, exactly enough
	return fastTwoSum(q, r/a.hi)
}

// ln2 as hi+lo, for the range reduction of expNeg.
var ln2 = dd{0x1.62e42fefa39efp-01, 0x1.abc9e3b39803fp-56}

// expNeg returns e^a for a ≤ 0 with a relative error below 1e-19, far below
// float64 rounding (0 below the float64 range). a = k·ln2 + r, |r| ≤ ln2/2; e^r = (1+m)^256 where
// m = expm1(r/256) comes from a short Taylor series, and the squarings are
// done on m (2m+m²) so that no 1+m loses m's low bits.
func expNeg(a float64) dd {
	if a < -746 {
		return dd{}
	}
	k := math.Round(float64(a * math.Log2E))
	p := twoProd(k, ln2.hi)
	s := twoSum(a, -p.hi)
	r := fastTwoSum(s.hi, s.lo-p.lo-float64(k*ln2.lo))
	u := dd{float64(r.hi / 256), float64(r.lo / 256)} // the compiler makes these products by 2^-8
	h := u.hi
	// Horner's rule, each product rounded (see dd)
	c := 1.0/720 + float64(h*(1.0/5040))
	c = 1.0/120 + float64(h*c)
	c = 1.0/24 + float64(h*c)
	c = 1.0/6 + float64(h*c)
	c = 1.0/2 + float64(h*c)
	tail := float64(float64(h*h) * c)
	m := twoSum(u.hi, tail)
	m = fastTwoSum(m.hi, m.lo+u.lo)
	for range 8 {
		m = m.mulF(2).add(m.mul(m))
	}
	e := twoSum(1, m.hi)
	e = fastTwoSum(e.hi, e.lo+m.lo)
	return dd{math.Ldexp(e.hi, int(k)), math.Ldexp(e.lo, int(k))}
}

// sigmoidsDD returns σ(x) and σ(-x) as dd.
func sigmoidsDD(x float64) (s, sneg dd) {
	e := expNeg(-math.Abs(x))
	big := twoSum(1, e.hi)
	big = fastTwoSum(big.hi, big.lo+e.lo).recip()
	small := e.mul(big)
	if x >= 0 {
		return big, small
	}
	return small, big
}
