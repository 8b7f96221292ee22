package sweep

import (
	"math"
	"math/big"

	"github.com/focalkernels/focal/internal/bigref"
)

// The float64 sweep's reference: the focal loss and its gradient in
// math/big (internal/bigref), independent of every kernel (and of float64).

func bf(v float64) *big.Float { return bigref.Float(v) }

func bnew() *big.Float { return bigref.New() }

func babs(v *big.Float) *big.Float { return bnew().Abs(v) }

// Ref64 returns the loss, the gradient and the size of the gradient's two
// terms (|α_t|(|γ-term| + |(1-p_t)^γ(σ(x)-t)|), the golden rows'
// ref_grad_scale) for finite x and t ∈ [0, 1], rounded to float64.
func Ref64(x, t, alpha, gamma float64) (loss, grad, scale float64) {
	a := math.Abs(x)
	e := bf(0) // e^-|x|: below 2^-1500 past |x| = 1100, where it changes no float64 result
	if a <= 1100 {
		e = bigref.Exp(bf(-a))
	}
	one := bf(1)
	den := bnew().Add(one, e)
	sp := bnew().Quo(one, den) // σ(|x|)
	sn := bnew().Quo(e, den)   // σ(-|x|)
	s, sneg := sp, sn          // σ(x), σ(-x)
	if x < 0 {
		s, sneg = sn, sp
	}
	l1p := bigref.Log1p(e)
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
			m = bigref.Exp(bnew().Mul(bf(gamma), bigref.Log(q)))
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
