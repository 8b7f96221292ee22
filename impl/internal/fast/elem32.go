package fast

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/dd"
	"github.com/focalkernels/focal/impl/internal/ref"
)

// band32 bounds the float32 kernel's σ(x) - t band: where |m·d| + |γ-term|
// is below m·σ·band32 (σ the sigmoid d is formed from, whose error is below
// σ·2^-49: exp32's 2^-50 and two roundings), d's error could pass half a
// unit of the gradient's bar, and d is formed again by dd.SigmaMinus.
const band32 = 0x1p-25

// Elem32 returns the focal loss of one float32 element and, if grad is
// set, its derivative with respect to x (0 otherwise), computed in float64:
// rounded to float32 they are within the package's float32 bounds. w is the
// element's class weight, g its γ (NewGamma).
func Elem32(x, t float32, w Weight, g *Gamma, grad bool) (loss, dx float64) {
	var p pre32
	p.e = exp32(-math.Abs(float64(x)))
	p.sigma(float64(x))
	return fin32(float64(x), float64(t), &p, &w, g, grad)
}

// The float32 kernel takes an element in three steps, which the loops run
// over a block of elements at a time, each step over the whole block (see
// block.go): e = exp(-|x|) (exp32), then the sigmoids and softplus of ±x
// (pre32.sigma), then the rest (fin32). Each step's chain of dependent
// operations is short, and the block's elements are independent, so the
// processor overlaps them; one element's whole chain, exp, divide, log,
// products, is too long for that. What depends on the sign of x, random
// from one element to the next, is settled in the second step, without a
// branch (swap); the last step's one branch, on t = 1, is predictable where
// positives are rare.

// pre32 is what the float32 kernel's last step starts from: e = exp(-|x|),
// σ(x), σ(-x), softplus(x) and softplus(-x).
type pre32 struct{ e, s, sn, cp, cn float64 }

// sigma sets the sigmoids and softplus of ±x from e: σ(|x|) = 1/u,
// σ(-|x|) = e/u, L = log u + (e - (u-1))/u, u = 1+e rounded (the second
// term for what u's rounding left out: all of e where e is below 2^-53),
// softplus(±|x|) = max(±|x|, 0) + L.
func (p *pre32) sigma(x float64) {
	e := p.e
	u := 1 + e
	big := 1 / u
	small := float64(e * big)
	l := logPoly32(logReduce(u)) + float64((e-(u-1))*big) // log32, inlined
	c := math.Abs(x) + l
	neg := signMask(x)
	p.s, p.sn = swap(neg, big, small)
	p.cp, p.cn = swap(neg, c, l)
}

// fin32 returns Elem32's results from p. A hard target (t ∈ {0, 1}) is
// taken here, a soft one by soft32. With z = x(1-2t), CE = softplus(z),
// q = σ(z), q^γ = exp(-γ·softplus(-z)) and
// dFL/dx = (1-2t)·α_t·σ(z)^γ·(γ·σ(-z)·CE + σ(z)), every term of one sign.
func fin32(x, t float64, p *pre32, w *Weight, g *Gamma, grad bool) (loss, dx float64) {
	if t != 0 && t != 1 {
		return soft32(x, t, p, w, g, grad)
	}
	if !(math.Abs(x) <= math.MaxFloat32) || g.wide32 { // ±Inf, NaN, or a large γ
		at := w.neg
		if t == 1 {
			at = w.pos
		}
		return ref.ElemAt(x, t, at, g.g, grad)
	}
	sz, snz, ce, cm, at := hardZ32(t, p, w)
	m := powInt(sz, g.mode)
	if g.mode == modeGen {
		m = exp32(float64(-g.g * cm))
	}
	return hardOut32(t, at, m, sz, snz, ce, g.g, grad)
}

// powInt returns q^γ for γ ∈ {0, 1, 2} (its mode), q otherwise.
func powInt(q float64, mode uint8) float64 {
	switch mode {
	case mode0:
		return 1
	case mode2:
		return float64(q * q)
	}
	return q
}

// hardZ32 returns σ(±z), softplus(±z) and α_t from p, for z = x(1-2t): p's
// for z = x, swapped for z = -x (a predictable branch where positives are
// rare).
func hardZ32(t float64, p *pre32, w *Weight) (sz, snz, ce, cm, at float64) {
	if t == 1 {
		return p.sn, p.s, p.cn, p.cp, w.pos
	}
	return p.s, p.sn, p.cp, p.cn, w.neg
}

// hardOut32 returns the loss α_t·m·CE and the gradient
// (1-2t)·α_t·m·(γ·σ(-z)·CE + σ(z)) of a hard target, m = σ(z)^γ.
func hardOut32(t, at, m, sz, snz, ce, gamma float64, grad bool) (loss, dx float64) {
	am := float64(at * m)
	loss = float64(am * ce)
	if grad {
		dx = float64((1 - float64(2*t)) * float64(am*(float64(float64(gamma*snz)*ce)+sz)))
	}
	return loss, dx
}

// soft32 is fin32 for 0 < t < 1 (and NaN): CE = (1-t)·softplus(x) +
// t·softplus(-x), q = t·σ(-x) + (1-t)·σ(x): terms of one sign. Only
// d = σ(x) - t cancels, near σ(x) = t; it is formed from the sigmoid it is
// nearest (1-t is exact for t ≥ 1/2), and in the band where float64's
// error could reach the gradient's bar, by dd.SigmaMinus.
func soft32(x, t float64, p *pre32, w *Weight, g *Gamma, grad bool) (loss, dx float64) {
	at := w.At(t)
	if !(math.Abs(x) <= math.MaxFloat32) || t != t || g.wide32 {
		return ref.ElemAt(x, t, at, g.g, grad)
	}
	s1 := 1 - t
	sx, snx := p.s, p.sn
	ce := float64(s1*p.cp) + float64(t*p.cn)
	q := float64(t*snx) + float64(s1*sx)
	m, mq := 1.0, 0.0 // q^γ, q^(γ-1)
	switch g.mode {
	case mode1:
		m, mq = q, 1
	case mode2:
		m, mq = float64(q*q), q
	case modeGen:
		m = exp32(float64(g.g * log32(q)))
		mq = m / q
	}
	loss = float64(float64(at*m) * ce)
	if !grad {
		return loss, 0
	}
	hi := above(t, 0.5)
	d, su := sel(hi, s1-snx, sx-t), sel(hi, snx, sx)
	// γ-term: γ(1-2t)·σ(x)σ(-x)·CE·q^(γ-1)
	gt := float64(float64(g.g*(1-float64(2*t))) * float64(float64(sx*snx)*float64(ce*mq)))
	md := float64(m * d)
	if math.Abs(md)+math.Abs(gt) < float64(float64(m*su)*band32) {
		md = float64(m * dd.SigmaMinus(x, t))
		if bandHook != nil {
			bandHook()
		}
	}
	return loss, float64(at * (gt + md))
}
