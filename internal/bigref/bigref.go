// Package bigref is exact arithmetic for the module's references: exp and
// log in math/big at 200 bits, independent of every kernel and of float64,
// and the focal losses built on them (the sweep's sigmoid reference in
// internal/sweep; the softmax form's in softmax.go). exp is a Taylor series
// after halving the argument, squared back; log is 2·atanh((m-1)/(m+1)) on
// the mantissa plus k·ln2. The error of either is far below 2^-150 relative
// over the arguments the references give them, so their values rounded to
// float64 or float32 are the truth.
package bigref

import "math/big"

// Prec is the precision of the references, in bits.
const Prec = 200

// F returns v at Prec bits.
func F(v float64) *big.Float { return new(big.Float).SetPrec(Prec).SetFloat64(v) }

// New returns 0 at Prec bits.
func New() *big.Float { return new(big.Float).SetPrec(Prec) }

// Exp returns e^v for |v| ≤ 2^16: v/2^k below 2^-8 by its Taylor series,
// squared k times.
func Exp(v *big.Float) *big.Float {
	k := 8
	if e := v.MantExp(nil); e > -8 {
		k = e + 8
	}
	y := New().SetMantExp(v, -k)
	sum, term := F(1), F(1)
	for i := 1; i < 40; i++ {
		term.Mul(term, y)
		term.Quo(term, F(float64(i)))
		sum.Add(sum, term)
		if term.Sign() == 0 || term.MantExp(nil) < -Prec-8 { // |term| < 2^-208, sum ≥ 1/2
			break
		}
	}
	for range k {
		sum.Mul(sum, sum)
	}
	return sum
}

var ln2 = func() *big.Float { return atanh2(New().Quo(F(1), F(3))) }()

// atanh2 returns 2·atanh(s) for |s| ≤ 1/3.
func atanh2(s *big.Float) *big.Float {
	s2 := New().Mul(s, s)
	sum, pow := F(0), New().Set(s)
	for k := 0; k < 140; k++ {
		sum.Add(sum, New().Quo(pow, F(float64(2*k+1))))
		pow.Mul(pow, s2)
	}
	return sum.Mul(sum, F(2))
}

// Log returns log v for v > 0.
func Log(v *big.Float) *big.Float {
	m := New()
	k := v.MantExp(m) // v = m·2^k, m ∈ [0.5, 1)
	s := New().Quo(New().Sub(m, F(1)), New().Add(m, F(1)))
	l := atanh2(s)
	return l.Add(l, New().Mul(F(float64(k)), ln2))
}

// Log1p returns log(1+e) for e ≥ 0.
func Log1p(e *big.Float) *big.Float {
	if e.Sign() == 0 {
		return F(0)
	}
	if e.MantExp(nil) < -100 { // e - e²/2, past 2^-300 relative
		return New().Sub(e, New().Quo(New().Mul(e, e), F(2)))
	}
	return Log(New().Add(F(1), e))
}

// Abs returns |v|.
func Abs(v *big.Float) *big.Float { return New().Abs(v) }
