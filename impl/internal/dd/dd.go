// Package dd is double-double arithmetic: a value held as the unevaluated sum
// Hi+Lo of two float64s with |Lo| ≤ ulp(Hi)/2, about 106 bits. The kernels
// need it where a float64 result cancels far below float64's resolution:
// σ(x) - t near σ(x) = t (x = 9.210074, t = 0.9999 leaves 7.2e-15, which
// float64 sigmoids get 1.3% wrong), and 1-p_t raised to γ, which multiplies
// 1-p_t's relative error by γ.
//
// The error-free transformations assume that every operation rounds on its
// own. Go lets a compiler fuse x*y + z into one FMA, even across statements
// and inlined calls (arm64, ppc64, s390x and riscv64 do, amd64 at
// GOAMD64=v3): a product fused into TwoSum's first addition would leave its
// error term describing a sum that was never formed. So every product here
// is written float64(x*y), which the spec says rounds and so cannot be
// fused, and the one fused operation wanted (the exact error of a product)
// is math.FMA.
package dd

import "math"

// DD is the unevaluated sum Hi+Lo.
type DD struct{ Hi, Lo float64 }

// TwoSum returns a+b exactly as s+err, s = fl(a+b) (Knuth).
func TwoSum(a, b float64) DD {
	s := a + b
	bb := s - a
	return DD{s, (a - (s - bb)) + (b - bb)}
}

// FastTwoSum is TwoSum for |a| ≥ |b| (Dekker), three operations instead of six.
func FastTwoSum(a, b float64) DD {
	s := a + b
	return DD{s, b - (s - a)}
}

// TwoProd returns a·b exactly as p+err, p = fl(a·b).
func TwoProd(a, b float64) DD {
	p := float64(a * b)
	return DD{p, math.FMA(a, b, -p)} // fused on purpose: a·b - p exactly
}

// Add returns a+b.
func (a DD) Add(b DD) DD {
	s := TwoSum(a.Hi, b.Hi)
	return FastTwoSum(s.Hi, s.Lo+a.Lo+b.Lo)
}

// Mul returns a·b.
func (a DD) Mul(b DD) DD {
	p := TwoProd(a.Hi, b.Hi)
	return FastTwoSum(p.Hi, p.Lo+float64(a.Hi*b.Lo)+float64(a.Lo*b.Hi))
}

// MulF returns a·b for a float64 b.
func (a DD) MulF(b float64) DD {
	p := TwoProd(a.Hi, b)
	return FastTwoSum(p.Hi, p.Lo+float64(a.Lo*b))
}

// Recip returns 1/a.
func (a DD) Recip() DD {
	q := 1 / a.Hi
	p := TwoProd(q, a.Hi)
	r := (1 - p.Hi) - p.Lo - float64(q*a.Lo) // 1 - q·a, exactly enough
	return FastTwoSum(q, r/a.Hi)
}

// Ln2 is ln 2 as hi+lo (the range reduction of ExpNeg; log scalings).
var Ln2 = DD{0x1.62e42fefa39efp-01, 0x1.abc9e3b39803fp-56}

// ExpNeg returns e^a for a ≤ 0 with a relative error below 1e-19, far below
// float64 rounding (0 below the float64 range). a = k·Ln2 + r, |r| ≤ Ln2/2;
// e^r = (1+m)^256 where m = expm1(r/256) comes from a short Taylor series,
// and the squarings are done on m (2m+m²) so that no 1+m loses m's low bits.
func ExpNeg(a float64) DD {
	if a < -746 {
		return DD{}
	}
	return ExpNegScaled(a, 0)
}

// ExpNegScaled returns e^a·2^s for a ≤ 0, as ExpNeg does e^a, scaled before
// it is rounded, so that a caller who keeps a sum of such terms above the
// float64 range's bottom loses nothing to subnormals (0 for a < -1500).
func ExpNegScaled(a float64, s int) DD {
	if a < -1500 {
		return DD{}
	}
	k, m := expm1Reduced(a)
	e := TwoSum(1, m.Hi)
	e = FastTwoSum(e.Hi, e.Lo+m.Lo)
	return DD{math.Ldexp(e.Hi, int(k)+s), math.Ldexp(e.Lo, int(k)+s)}
}

// expm1Reduced returns k and m with e^a = 2^k·(1+m), k = round(a·log2e),
// m = expm1(a - k·Ln2) to a relative error below 1e-19 (see ExpNeg).
func expm1Reduced(a float64) (k float64, m DD) {
	k = math.Round(float64(a * math.Log2E))
	p := TwoProd(k, Ln2.Hi)
	s := TwoSum(a, -p.Hi)
	r := FastTwoSum(s.Hi, s.Lo-p.Lo-float64(k*Ln2.Lo))
	u := DD{float64(r.Hi / 256), float64(r.Lo / 256)} // exact: products by 2^-8
	h := u.Hi
	// Horner's rule, each product rounded (see the package doc)
	c := 1.0/720 + float64(h*(1.0/5040))
	c = 1.0/120 + float64(h*c)
	c = 1.0/24 + float64(h*c)
	c = 1.0/6 + float64(h*c)
	c = 1.0/2 + float64(h*c)
	tail := float64(float64(h*h) * c)
	m = TwoSum(u.Hi, tail)
	m = FastTwoSum(m.Hi, m.Lo+u.Lo)
	for range 8 {
		m = m.MulF(2).Add(m.Mul(m))
	}
	return k, m
}

// Sigmoids returns σ(x) and σ(-x), from one ExpNeg(-|x|).
func Sigmoids(x float64) (s, sneg DD) {
	e := ExpNeg(-math.Abs(x))
	big := TwoSum(1, e.Hi)
	big = FastTwoSum(big.Hi, big.Lo+e.Lo).Recip()
	small := e.Mul(big)
	if x >= 0 {
		return big, small
	}
	return small, big
}

// SigmoidMinus returns σ(x)-t from σ(x) and σ(-x) (Sigmoids). Where they are
// close, σ.Hi-t (t ≤ 1/2) or (1-t)-σ(-x).Hi (t > 1/2, where 1-t is exact) is
// exact, so the result keeps its relative accuracy, to about 2^-106 of the
// smaller of t and 1-t: near t = 1/2 with x ≈ 0 as well as near 0 or 1 with
// large |x|.
func SigmoidMinus(s, sneg DD, t float64) float64 {
	if t > 0.5 {
		d := TwoSum(1-t, -sneg.Hi)
		return d.Hi + (d.Lo - sneg.Lo)
	}
	d := TwoSum(s.Hi, -t)
	return d.Hi + (d.Lo + s.Lo)
}

// SigmaMinus returns σ(x) - t for finite x: SigmoidMinus(Sigmoids(x), t).
func SigmaMinus(x, t float64) float64 {
	s, sneg := Sigmoids(x)
	return SigmoidMinus(s, sneg, t)
}
