package sweep

import (
	"math"

	"github.com/focalkernels/focal/internal/bigref"
)

// The float64 sweep's reference: the focal loss and its gradient in
// math/big at 200 bits (package bigref), independent of every kernel (and of
// float64).

// Ref64 returns the loss, the gradient and the size of the gradient's two
// terms (|α_t|(|γ-term| + |(1-p_t)^γ(σ(x)-t)|), the golden rows'
// ref_grad_scale) for finite x and t ∈ [0, 1], rounded to float64.
func Ref64(x, t, alpha, gamma float64) (loss, grad, scale float64) {
	a := math.Abs(x)
	e := bigref.F(0) // e^-|x|: below 2^-1500 past |x| = 1100, where it changes no float64 result
	if a <= 1100 {
		e = bigref.Exp(bigref.F(-a))
	}
	one := bigref.F(1)
	den := bigref.New().Add(one, e)
	sp := bigref.New().Quo(one, den) // σ(|x|)
	sn := bigref.New().Quo(e, den)   // σ(-|x|)
	s, sneg := sp, sn                // σ(x), σ(-x)
	if x < 0 {
		s, sneg = sn, sp
	}
	l1p := bigref.Log1p(e)
	bt := bigref.F(t)
	ut := bigref.New().Sub(one, bt)
	spPos := bigref.New().Add(bigref.F(math.Max(x, 0)), l1p)  // softplus(x)
	spNeg := bigref.New().Add(bigref.F(math.Max(-x, 0)), l1p) // softplus(-x)
	ce := bigref.New().Add(bigref.New().Mul(bt, spNeg), bigref.New().Mul(ut, spPos))
	q := bigref.New().Add(bigref.New().Mul(bt, sneg), bigref.New().Mul(ut, s))
	at := bigref.F(1)
	if alpha >= 0 {
		at = bigref.New().Add(bigref.New().Mul(bigref.F(alpha), bt), bigref.New().Mul(bigref.New().Sub(one, bigref.F(alpha)), ut))
	}
	m := bigref.F(1)
	if gamma != 0 {
		if q.Sign() == 0 {
			m = bigref.F(0)
		} else {
			m = bigref.Exp(bigref.New().Mul(bigref.F(gamma), bigref.Log(q)))
		}
	}
	lossB := bigref.New().Mul(bigref.New().Mul(at, m), ce)
	// σ(x) - t = (1-t)σ(x) - tσ(-x): no cancellation of σ(x) against 1
	d := bigref.New().Sub(bigref.New().Mul(ut, s), bigref.New().Mul(bt, sneg))
	dTerm := bigref.New().Mul(m, d)
	gTerm := bigref.F(0)
	if gamma != 0 && q.Sign() != 0 {
		// γ(1-2t)σ(x)σ(-x)·CE·q^γ/q
		gTerm = bigref.New().Mul(bigref.F(gamma), bigref.New().Sub(one, bigref.New().Mul(bigref.F(2), bt)))
		gTerm.Mul(gTerm, bigref.New().Mul(s, sneg))
		gTerm.Mul(gTerm, ce)
		gTerm.Mul(gTerm, bigref.New().Quo(m, q))
	}
	gradB := bigref.New().Mul(at, bigref.New().Add(gTerm, dTerm))
	scaleB := bigref.New().Mul(bigref.Abs(at), bigref.New().Add(bigref.Abs(gTerm), bigref.Abs(dTerm)))
	loss, _ = lossB.Float64()
	grad, _ = gradB.Float64()
	scale, _ = scaleB.Float64()
	return loss, grad, scale
}
