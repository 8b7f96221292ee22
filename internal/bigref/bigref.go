// Package bigref is the module's math/big reference functions, independent
// of every kernel and of float64: e^v and log v at Prec bits. exp is a Taylor
// series after halving the argument, squared back; log is
// 2·atanh((m-1)/(m+1)) on the mantissa plus k·ln2. The error of either is far
// below 2^-150 relative over the arguments the tests give them, so the values
// rounded to float64 are the truth. Tests and internal/sweep use it.
package bigref

import "math/big"

// Prec is the precision of every value here, in bits.
const Prec = 200

// Float returns v at Prec bits.
func Float(v float64) *big.Float { return new(big.Float).SetPrec(Prec).SetFloat64(v) }

// New returns 0 at Prec bits, to be set.
func New() *big.Float { return new(big.Float).SetPrec(Prec) }

// Exp returns e^v for |v| ≤ 2^16: v/2^k below 2^-8 by its Taylor series,
// squared k times.
func Exp(v *big.Float) *big.Float {
	k := 8
	if e := v.MantExp(nil); e > -8 {
		k = e + 8
	}
	y := New().SetMantExp(v, -k)
	sum, term := Float(1), Float(1)
	for i := 1; i < 40; i++ {
		term.Mul(term, y)
		term.Quo(term, Float(float64(i)))
		sum.Add(sum, term)
	}
	for range k {
		sum.Mul(sum, sum)
	}
	return sum
}

var ln2 = atanh2(New().Quo(Float(1), Float(3)))

// atanh2 returns 2·atanh(s) for |s| ≤ 1/3.
func atanh2(s *big.Float) *big.Float {
	s2 := New().Mul(s, s)
	sum, pow := Float(0), New().Set(s)
	for k := 0; k < 140; k++ {
		sum.Add(sum, New().Quo(pow, Float(float64(2*k+1))))
		pow.Mul(pow, s2)
	}
	return sum.Mul(sum, Float(2))
}

// Log returns log v for v > 0.
func Log(v *big.Float) *big.Float {
	m := New()
	k := v.MantExp(m) // v = m·2^k, m ∈ [0.5, 1)
	s := New().Quo(New().Sub(m, Float(1)), New().Add(m, Float(1)))
	l := atanh2(s)
	return l.Add(l, New().Mul(Float(float64(k)), ln2))
}

// Log1p returns log(1+e) for e ≥ 0.
func Log1p(e *big.Float) *big.Float {
	if e.Sign() == 0 {
		return Float(0)
	}
	if e.MantExp(nil) < -100 { // e - e²/2, past 2^-300 relative
		return New().Sub(e, New().Quo(New().Mul(e, e), Float(2)))
	}
	return Log(New().Add(Float(1), e))
}
