package sweep

import (
	"math"
	"math/big"
)

// The float64 sweep's reference: the focal loss and its gradient in
// math/big at 200 bits, independent of every kernel (and of float64). exp is
// a Taylor series after halving the argument, squared back; log is
// 2·atanh((m-1)/(m+1)) on the mantissa plus k·ln2. The error of either is
// far below 2^-150 relative over the arguments the sweep gives them, so the
// values rounded to float64 are the truth.

const bigPrec = 200

func bf(v float64) *big.Float { return new(big.Float).SetPrec(bigPrec).SetFloat64(v) }

func bnew() *big.Float { return new(big.Float).SetPrec(bigPrec) }

// bigExp returns e^v for |v| ≤ 2^16: v/2^k below 2^-8 by its Taylor series,
// squared k times.
func bigExp(v *big.Float) *big.Float {
	k := 8
	if e := v.MantExp(nil); e > -8 {
		k = e + 8
	}
	y := bnew().SetMantExp(v, -k)
	sum, term := bf(1), bf(1)
	for i := 1; i < 40; i++ {
		term.Mul(term, y)
		term.Quo(term, bf(float64(i)))
		sum.Add(sum, term)
	}
	for range k {
		sum.Mul(sum, sum)
	}
	return sum
}

var bigLn2 = func() *big.Float { return atanh2(bnew().Quo(bf(1), bf(3))) }()

// atanh2 returns 2·atanh(s) for |s| ≤ 1/3.
func atanh2(s *big.Float) *big.Float {
	s2 := bnew().Mul(s, s)
	sum, pow := bf(0), bnew().Set(s)
	for k := 0; k < 140; k++ {
		sum.Add(sum, bnew().Quo(pow, bf(float64(2*k+1))))
		pow.Mul(pow, s2)
	}
	return sum.Mul(sum, bf(2))
}

// bigLog returns log v for v > 0.
func bigLog(v *big.Float) *big.Float {
	m := bnew()
	k := v.MantExp(m) // v = m·2^k, m ∈ [0.5, 1)
	s := bnew().Quo(bnew().Sub(m, bf(1)), bnew().Add(m, bf(1)))
	l := atanh2(s)
	return l.Add(l, bnew().Mul(bf(float64(k)), bigLn2))
}

// bigLog1p returns log(1+e) for e ≥ 0.
func bigLog1p(e *big.Float) *big.Float {
	if e.Sign() == 0 {
		return bf(0)
	}
	if e.MantExp(nil) < -100 { // e - e²/2, past 2^-300 relative
		return bnew().Sub(e, bnew().Quo(bnew().Mul(e, e), bf(2)))
	}
	return bigLog(bnew().Add(bf(1), e))
}

func babs(v *big.Float) *big.Float { return bnew().Abs(v) }

// Ref64 returns the loss, the gradient and the size of the gradient's two
// terms (|α_t|(|γ-term| + |(1-p_t)^γ(σ(x)-t)|), the golden rows'
// ref_grad_scale) for finite x and t ∈ [0, 1], rounded to float64.
func Ref64(x, t, alpha, gamma float64) (loss, grad, scale float64) {
	a := math.Abs(x)
	e := bf(0) // e^-|x|: below 2^-1500 past |x| = 1100, where it changes no float64 result
	if a <= 1100 {
		e = bigExp(bf(-a))
	}
	one := bf(1)
	den := bnew().Add(one, e)
	sp := bnew().Quo(one, den) // σ(|x|)
	sn := bnew().Quo(e, den)   // σ(-|x|)
	s, sneg := sp, sn          // σ(x), σ(-x)
	if x < 0 {
		s, sneg = sn, sp
	}
	l1p := bigLog1p(e)
	bt := bf(t)
	ut := bnew().Sub(one, bt)
	spPos := bnew().Add(bf(math.Max(x, 0)), l1p)  // softplus(x)
	spNeg := bnew().Add(bf(math.Max(-x, 0)), l1p) // softplus(-x)
	ce := bnew().Add(bnew().Mul(bt, spNeg), bnew().Mul(ut, spPos))
	q := bnew().Add(bnew().Mul(bt, sneg), bnew().Mul(ut, s))
	at := bf(1)
	if alpha >= 0 {
		at = bnew().Add(bnew().Mul(bf(alpha), bt), bnew().Mul(bnew().Sub(one, bf(alpha)), ut))
	}
	m := bf(1)
	if gamma != 0 {
		if q.Sign() == 0 {
			m = bf(0)
		} else {
			m = bigExp(bnew().Mul(bf(gamma), bigLog(q)))
		}
	}
	lossB := bnew().Mul(bnew().Mul(at, m), ce)
	// σ(x) - t = (1-t)σ(x) - tσ(-x): no cancellation of σ(x) against 1
	d := bnew().Sub(bnew().Mul(ut, s), bnew().Mul(bt, sneg))
	dTerm := bnew().Mul(m, d)
	gTerm := bf(0)
	if gamma != 0 && q.Sign() != 0 {
		// γ(1-2t)σ(x)σ(-x)·CE·q^γ/q
		gTerm = bnew().Mul(bf(gamma), bnew().Sub(one, bnew().Mul(bf(2), bt)))
		gTerm.Mul(gTerm, bnew().Mul(s, sneg))
		gTerm.Mul(gTerm, ce)
		gTerm.Mul(gTerm, bnew().Quo(m, q))
	}
	gradB := bnew().Mul(at, bnew().Add(gTerm, dTerm))
	scaleB := bnew().Mul(babs(at), bnew().Add(babs(gTerm), babs(dTerm)))
	loss, _ = lossB.Float64()
	grad, _ = gradB.Float64()
	scale, _ = scaleB.Float64()
	return loss, grad, scale
}
