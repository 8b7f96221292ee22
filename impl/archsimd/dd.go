//go:build goexperiment.simd && amd64 && !purego

package archsimd

import "math"

// Double-double arithmetic for the float64 soft-target path (soft64.go),
// copied from impl/stable (dd.go) so that this package imports nothing from
// its module. A dd is an unevaluated sum hi+lo with |lo| ≤ ulp(hi)/2. The
// error-free transformations assume that every operation rounds on its own:
// every product is written float64(x*y), which Go cannot fuse, and the one
// wanted fusion (a product's exact error) is math.FMA.
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
	return dd{p, math.FMA(a, b, -p)}
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
	r := (1 - p.hi) - p.lo - float64(q*a.lo)
	return fastTwoSum(q, r/a.hi)
}

// ln2dd is ln2 as hi+lo, for the range reduction of expNegDD.
var ln2dd = dd{0x1.62e42fefa39efp-01, 0x1.abc9e3b39803fp-56}

// expNegDD returns e^a for a ≤ 0 with a relative error below 1e-19 (0 below
// the float64 range): a = k·ln2 + r, e^r = (1+m)^256 with m = expm1(r/256)
// from a short Taylor series, the squarings done on m (2m+m²).
func expNegDD(a float64) dd {
	if a < -746 {
		return dd{}
	}
	k := math.Round(float64(a * math.Log2E))
	p := twoProd(k, ln2dd.hi)
	s := twoSum(a, -p.hi)
	r := fastTwoSum(s.hi, s.lo-p.lo-float64(k*ln2dd.lo))
	u := dd{float64(r.hi / 256), float64(r.lo / 256)}
	h := u.hi
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
	e := expNegDD(-math.Abs(x))
	big := twoSum(1, e.hi)
	big = fastTwoSum(big.hi, big.lo+e.lo).recip()
	small := e.mul(big)
	if x >= 0 {
		return big, small
	}
	return small, big
}
