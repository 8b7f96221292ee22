package asm

import "math"

// wideGamma bounds the γ the float32 lanes take. Above it γ is no float32
// (it is split into float32 hi+lo), and σ(z)^γ = exp(-γ·log1p(e^-z)) still
// moves between 0 and 1 where e^-z is far below float32's range (near
// z ≈ ln γ), so the lanes would be wrong; such calls compute every element in
// float64 with elemWide instead. No model trains with such a γ: this keeps the
// kernels' results right over the whole domain, not fast there.
const wideGamma = 1e30

// elemWide returns the loss and gradient of one element in float64 with σ(z)^γ
// in log space: log(1-p_t) = -softplus(-z) for a hard target, log1p(-p_t)
// for a soft one, so that γ·log(1-p_t) keeps its relative accuracy however
// large γ is.
func elemWide(x32, t32 float32, alpha, gamma float64) (loss, grad float32) {
	x, t := float64(x32), float64(t32)
	if x != x || t != t {
		return float32(math.NaN()), float32(math.NaN())
	}
	at := 1.0
	if alpha >= 0 {
		at = alpha*t + (1-alpha)*(1-t)
	}
	e := math.Exp(-math.Abs(x))
	l := math.Log1p(e)
	big := 1 / (1 + e)
	small := e * big
	s, sn := big, small // σ(x), σ(-x)
	if x < 0 {
		s, sn = small, big
	}
	ce := t*(math.Max(-x, 0)+l) + (1-t)*(math.Max(x, 0)+l)
	var logq, g float64
	if t == 0 || t == 1 {
		z, sz, snz := x, s, sn
		if t == 1 {
			z, sz, snz = -x, sn, s
		}
		logq = -(math.Max(-z, 0) + l)
		// (1-2t)·α_t·σ(z)^γ·(γ·σ(-z)·CE + σ(z)); σ(-z)·CE → 0 where CE = +Inf
		g = (1 - 2*t) * at * math.Exp(gamma*logq) * (gamma*snz*math.Min(ce, math.MaxFloat64) + sz)
	} else {
		logq = math.Log1p(-(t*s + (1-t)*sn))
		g = at * (gamma*math.Exp((gamma-1)*logq)*(1-2*t)*s*sn*math.Min(ce, math.MaxFloat64) +
			math.Exp(gamma*logq)*(s-t))
	}
	l64 := at * math.Exp(gamma*logq) * ce
	switch {
	case at == 0:
		l64 = 0
	case math.IsInf(ce, 1) && !math.IsInf(logq, -1):
		l64 = ce // x = ±Inf: α_t·q^γ·(+Inf) is +Inf even where q^γ underflows
	}
	return float32(l64), float32(g)
}

func wideLoss32(dst, x, t []float32, alpha, gamma float64) {
	t = t[:len(x)]
	dst = dst[:len(x)]
	for i := range x {
		dst[i], _ = elemWide(x[i], t[i], alpha, gamma)
	}
}

func wideSum32(x, t []float32, alpha, gamma float64) float64 {
	t = t[:len(x)]
	var s float64
	for i := range x {
		l, _ := elemWide(x[i], t[i], alpha, gamma)
		s += float64(l)
	}
	return s
}

func wideLossGrad32(loss, grad, x, t []float32, alpha, gamma float64) {
	t = t[:len(x)]
	grad = grad[:len(x)]
	if loss != nil {
		loss = loss[:len(x)]
	}
	for i := range x {
		l, g := elemWide(x[i], t[i], alpha, gamma)
		if loss != nil {
			loss[i] = l
		}
		grad[i] = g
	}
}
