//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// The float64 model's primitives measured against math/big (200 bits): the
// error of each, in units of the last place of the exact value, over a
// sweep of its domain. The bounds asserted are the measured maxima, rounded
// up to the next tenth.

const bigPrec = 200

func bf(v float64) *big.Float { return new(big.Float).SetPrec(bigPrec).SetFloat64(v) }

// bigExp returns e^x: x/2^20 by its Taylor series, squared 20 times.
func bigExp(x *big.Float) *big.Float {
	const halvings = 20
	y := new(big.Float).SetPrec(bigPrec).SetMantExp(x, -halvings)
	sum, term := bf(1), bf(1)
	for i := 1; i < 60; i++ {
		term.Mul(term, y)
		term.Quo(term, bf(float64(i)))
		sum.Add(sum, term)
	}
	for range halvings {
		sum.Mul(sum, sum)
	}
	return sum
}

// bigLog1p returns log(1+y) for y ≥ -1/2: 2·atanh(y/(2+y)).
func bigLog1p(y *big.Float) *big.Float {
	s := new(big.Float).SetPrec(bigPrec).Quo(y, new(big.Float).SetPrec(bigPrec).Add(bf(2), y))
	s2 := new(big.Float).SetPrec(bigPrec).Mul(s, s)
	sum, pow := bf(0), new(big.Float).SetPrec(bigPrec).Set(s)
	for k := 0; k < 200; k++ {
		t := new(big.Float).SetPrec(bigPrec).Quo(pow, bf(float64(2*k+1)))
		sum.Add(sum, t)
		pow.Mul(pow, s2)
	}
	return sum.Mul(sum, bf(2))
}

// ulpErr returns |got - want| in units of the last place of want rounded to
// float64; got is a sum of float64s.
func ulpErr(want *big.Float, got ...float64) float64 {
	g := bf(0)
	for _, v := range got {
		g.Add(g, bf(v))
	}
	d, _ := new(big.Float).Sub(g, want).Float64()
	w, _ := want.Float64()
	u := math.Nextafter(math.Abs(w), math.Inf(1)) - math.Abs(w)
	return math.Abs(d) / u
}

func TestPrimitives64(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	// exp(h) = e + el, h ∈ [-708, 0] (normal results); the pair where el is
	// normal too (h ≥ -660: below, el loses its low bits to underflow)
	var expPair, expHi float64
	for i := range n {
		h := -rng.Float64() * 708
		if i%4 == 0 {
			h = -rng.Float64() * 2
		}
		r, k := expArg64(h)
		p, pLo := expPoly64(r)
		e, el := scale64(p, pLo, k)
		want := bigExp(bf(h))
		if h >= -660 {
			expPair = max(expPair, ulpErr(want, e, el))
		}
		expHi = max(expHi, ulpErr(want, e))
	}
	// L + Llo = log(u) for u = 1+e ∈ [1, 2], c = 0
	var logPair, logHi float64
	for range n {
		u := 1 + rng.Float64()
		f, kf := u-1, 0.0
		if u > sqrt2f64 {
			f, kf = fma64(u, 0.5, -1), 1
		}
		l, lLo := log64(f, kf, 0)
		want := bigLog1p(bf(u - 1))
		logPair = max(logPair, ulpErr(want, l, lLo))
		logHi = max(logHi, ulpErr(want, l))
	}
	// σ(|z|) = rc and σ(-|z|) = sn, |z| ∈ [0, 700]
	var sigP, sigN float64
	for i := range n {
		a := rng.Float64() * 700
		if i%2 == 0 {
			a = rng.Float64() * 20
		}
		sp, sn := sigmoids64(a)
		ex := bigExp(bf(-a))
		den := new(big.Float).SetPrec(bigPrec).Add(bf(1), ex)
		sigP = max(sigP, ulpErr(new(big.Float).SetPrec(bigPrec).Quo(bf(1), den), sp))
		sigN = max(sigN, ulpErr(new(big.Float).SetPrec(bigPrec).Quo(ex, den), sn))
	}
	t.Logf("exp: e+el within %.3f ULP (h ≥ -660), e alone %.3f", expPair, expHi)
	t.Logf("log: L+Llo within %.3f ULP, L alone %.3f", logPair, logHi)
	t.Logf("σ(|z|) within %.3f ULP, σ(-|z|) %.3f", sigP, sigN)
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"exp pair", expPair, 0.5}, {"exp", expHi, 1.0},
		{"log pair", logPair, 0.3}, {"log", logHi, 0.8},
		{"σ(|z|)", sigP, 0.6}, {"σ(-|z|)", sigN, 1.3},
	} {
		if c.got > c.want {
			t.Errorf("%s: %.3f ULP > %.1f", c.name, c.got, c.want)
		}
	}
}

// sigmoids64 is elemHard64's σ(|z|) and σ(-|z|) for a = |z|.
func sigmoids64(a float64) (sp, sn float64) {
	r, k := expArg64(-a)
	p, pLo := expPoly64(r)
	e, el := scale64(p, pLo, k)
	u := 1 + e
	rcp := 1 / u
	c := mul64((e-(u-1))+el, rcp)
	r1 := fma64(-u, rcp, 1)
	rc := fma64(rcp, r1-c, rcp)
	return rc, fma64(e, rc, mul64(el, rc))
}
