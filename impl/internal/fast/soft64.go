package fast

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/dd"
	"github.com/focalkernels/focal/impl/internal/ref"
)

// band64 bounds the float64 kernel's σ(x) - t band: where |m·d| + |γ-term|
// is below m·(σ(x)σ(-x)·band64 + σ·2^-51), d's error (e's, under
// σ(x)σ(-x)·2^-59, and σ's hi+lo, under σ·2^-103) could pass two units of
// the gradient's bar, and d is formed again by dd.SigmaMinus.
const band64 = 0x1p-8

// tinyF is the least normal float64.
const tinyF = 0x1p-1022

// soft64 is fin64 for 0 < t < 1 (and NaN): soft32's form with every
// quantity the loss needs carried as hi+lo: CE = w·|x| + L, A = w + v·e,
// q = A·σ(|x|), q^γ as products (γ = 1, 2) or exp(γ·(log A - L)), α_t, and
// d = σ(x) - t from the hi+lo sigmoid nearest t, exact where it cancels but
// for e's own error; in the band where that could pass the gradient's bar,
// d is taken from dd.SigmaMinus. Left to ref's algorithm: ±Inf and NaN, a
// subnormal A (a subnormal t at x < 0: q^γ and ρ lose their digits), and
// α_t·q^γ below 2^-1022 while CE > 1 (its product's error is lost where
// the loss may be normal).
func soft64(x, t float64, sg *sig64, w *Weight, g *Gamma, grad bool) (loss, dx float64) {
	a := math.Abs(x)
	if !(a <= math.MaxFloat64) || t != t || g.wide64 || w.tiny {
		return ref.ElemAt(x, t, w.At(t), g.g, grad)
	}
	e, el := sg.e, sg.el
	neg := signMask(x)
	sx, sxl, snx, snxl := sg.s, sg.sl, sg.sn, sg.snl // σ(x), σ(-x)
	sp, sn := swap(neg, sx, snx)                     // σ(|x|), σ(-|x|)
	spl, _ := swap(neg, sxl, snxl)
	_, lh := swap(neg, sg.cp, sg.cn) // L = softplus(-|x|)
	_, ll := swap(neg, sg.cpl, sg.cnl)
	s1 := 1 - t
	tz := t + (s1 - 1) // 1-t = s1 - tz exactly
	wt, v := swap(neg, s1, t)
	wtl, vl := swap(neg, -tz, 0)
	// CE = w·|x| + L
	cp := float64(wt * a)
	cpl := float64(wtl*a) + math.FMA(wt, a, -cp) // the product's error, exactly
	ce := dd.TwoSum(cp, lh)
	cel := ce.Lo + (cpl + ll)
	// A = w + v·e, and q = A·σ(|x|)
	ph := float64(v * e)
	as := dd.TwoSum(wt, ph)
	ah := as.Hi
	al := as.Lo + (math.FMA(v, e, -ph) + (float64(v*el) + (float64(vl*e) + wtl)))
	qh := float64(ah * sp)
	ql := math.FMA(ah, sp, -qh) + (float64(ah*spl) + float64(al*sp))
	// α_t = pos·t + neg·(1-t)
	p1 := float64(w.pos * t)
	p2 := float64(w.neg * s1)
	as = dd.TwoSum(p1, p2)
	ath := as.Hi
	atl := as.Lo + (math.FMA(w.pos, t, -p1) + math.FMA(w.neg, s1, -p2)) +
		((float64(w.posLo*t) + float64(w.negLo*s1)) - float64(w.neg*tz))

	m, ml, mq := 1.0, 0.0, 0.0 // q^γ as hi+lo, q^(γ-1)
	switch g.mode {
	case mode1:
		m, ml, mq = qh, ql, 1
	case mode2:
		m = float64(qh * qh)
		ml = math.FMA(qh, qh, -m) + float64(2*qh*ql)
		mq = qh
	case modeGen:
		if !(ah >= tinyF) {
			return ref.ElemAt(x, t, w.At(t), g.g, grad)
		}
		// log q = log A - L, terms of one sign, as hi+lo; γ·log q by an FMA
		lah, lal := logHL(ah)
		lq := dd.TwoSum(lah, -lh)
		lql := lq.Lo + ((lal + float64(al/ah)) - ll)
		yh := float64(g.g * lq.Hi)
		yl := math.FMA(g.g, lq.Hi, -yh) + float64(g.g*lql)
		m, ml = expHL(yh, yl)
		mq = m / qh
	}
	amh := float64(ath * m)
	aml := math.FMA(ath, m, -amh) + (float64(ath*ml) + float64(atl*m))
	if amh < tinyF && ce.Hi > 1 && ath != 0 || ah < tinyF && g.mode != mode0 {
		return ref.ElemAt(x, t, w.At(t), g.g, grad)
	}
	loss = math.FMA(amh, ce.Hi, float64(amh*cel)+float64(aml*ce.Hi)) // rounded once
	if !grad {
		return loss, 0
	}
	// d = σ(x) - t: σ(x).hi - t is exact where they are close (Sterbenz),
	// and so is (1-t) - σ(-x).hi for t > 1/2, where 1-t is exact.
	hi := above(t, 0.5)
	d, su := sel(hi, (s1-snx)-snxl, (sx-t)+sxl), sel(hi, snx, sx)
	// γ-term: γ(1-2t)·σ(x)σ(-x)·q^(γ-1)·CE
	gt := float64(float64(g.g*(1-float64(2*t))) * float64(float64(float64(sp*sn)*mq)*ce.Hi))
	md := float64(m * d)
	thr := float64(m * (float64(float64(sp*sn)*band64) + float64(su*0x1p-51)))
	if math.Abs(md)+math.Abs(gt) < thr {
		md = float64(m * dd.SigmaMinus(x, t))
		if bandHook != nil {
			bandHook()
		}
	}
	inner := gt + md
	return loss, float64(ath*inner) + float64(atl*inner)
}
