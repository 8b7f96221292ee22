package main

// Instruction sequences that the hard body and the soft body (soft.go) share,
// so that a hard lane computes the same operations in either.

import (
	. "github.com/mmcloughlin/avo/operand"
)

// log1p returns L = log1p(e) from u = 1+e and c (see log1pE in ../generic.go).
// u and cc are destroyed.
func (g *gen) log1p(u, cc V) V {
	f, kf, p := g.log1pY(u, cc)
	g.each(VADDP, f, p, p)
	g.each(VFMADD231P, c("ln2hi"), kf, p)
	return p
}

// log1pY is the part of log1p before its last two additions: it returns
// f, kf and y, with L = (y + f) + kf·ln2hi. u and cc are destroyed.
func (g *gen) log1pY(u, cc V) (f, kf, y V) {
	f = g.newV()
	kf = g.newV()
	// f = u-1, or u/2-1 where u > √2: both exact (u ≤ 2), and the second is
	// f/2 - 1/2 too, so that AVX-512 forms it by a masked fma on f, one
	// operation where a second fma and a select took two; AVX2 forms it as
	// fma(u, s, -1) with s = 1/2 or 1 by the mask's bits (1.0 XOR 0.5 is
	// one exponent bit), two logic operations where a VBLENDVPS took about
	// three µops of the arithmetic ports on Intel cores (pipes.txt)
	zz := u // u dead
	if g.avx512() {
		g.each(VSUBP, c("one"), u, f)
		km := g.newK()
		g.each(VCMPP, U8(0x1e), c("sqrt2"), u, km) // u > √2
		half := g.load("half")
		g.each(VFMADD213P, c("mhalf"), half, km, f) // f·1/2 - 1/2 there
		g.each(broadcastZ, c("one"), km, kf)
	} else {
		g.each(VCMPP, U8(0x1e), c("sqrt2"), u, kf) // u > √2
		sc := f
		g.each(VANDP, c("oneHalf"), kf, sc)
		g.each(VXORP, c("one"), sc, sc)      // 1/2 there, 1 elsewhere
		g.each(VFMADD213P, c("mone"), sc, u) // u·s - 1, in u's register
		g.each(VANDP, c("one"), kf, kf)
		f, zz = u, sc
	}
	g.each(VMULP, f, f, zz)
	p, f3, hz := g.logTerms(f, zz)
	g.each(VFMADD231P, c("ln2lo"), kf, cc) // c + kf·ln2lo; c dead after
	g.each(VFMADD213P, hz, f3, p)          // p·f³ - f²/2
	g.each(VADDP, cc, p, p)
	return f, kf, p
}

// logTerms returns the terms of log(1+f)'s y = p·f³ - f²/2 from f and
// zz = f²: p = logPoly(f, zz), f³ and f²/2, in the registers that logPoly
// left (spare).
func (g *gen) logTerms(f, zz V) (p, f3, hz V) {
	g.dead = nil
	p = g.logPoly(f, zz)
	f3 = g.spare()
	hz = g.spare()
	g.each(VMULP, f, zz, f3)
	g.each(VMULP, c("mhalf"), zz, hz)
	return p, f3, hz
}

// log1pHL is log1p that also returns the rounding errors of its last two
// additions (see log1pHL in ../soft.go). u and cc are destroyed.
func (g *gen) log1pHL(u, cc V) (l, lo V) {
	f, kf, y := g.log1pY(u, cc)
	w := g.newV()
	g.each(VADDP, f, y, w)
	l = g.newV()
	g.each(VMOVAP, w, l)
	g.each(VFMADD231P, c("ln2hi"), kf, l)
	kh := kf
	g.each(VMULP, c("ln2hi"), kf, kh)
	t1 := cc
	g.each(VSUBP, kh, l, t1)
	g.each(VSUBP, t1, w, t1) // w - (l - kh)
	t2 := f
	g.each(VSUBP, f, w, t2)
	g.each(VSUBP, t2, y, t2) // y - (w - f)
	g.each(VADDP, t2, t1, t1)
	return l, t1
}

// powLog returns exp(γ·(mz - L) + γ·extraLo): both products split exactly
// by fma and summed as hi+lo into the exp's reduced argument (see elemHard's
// general γ in ../generic.go). extraLo may be nil. mz and l are destroyed.
func (g *gen) powLog(mz, l, extraLo V) V {
	var dml V
	if !f64 { // float64's γ is exact
		dml = g.newV()
		g.each(VSUBP, l, mz, dml) // mz - L, for γ's rounding error
	}
	h1 := g.newV()
	g.each(VMULP, g.g, mz, h1)
	g.each(VFMSUB132P, g.g, h1, mz) // l1 = mz·g - h1
	l1 := mz
	h2 := g.newV()
	g.each(VMULP, g.g, l, h2)
	g.each(VFMSUB132P, g.g, h2, l) // l2 = L·g - h2
	l2 := l
	h := g.newV()
	g.each(VSUBP, h2, h1, h)
	bb := g.newV()
	g.each(VSUBP, h1, h, bb)
	ta := g.newV()
	g.each(VSUBP, bb, h, ta)
	g.each(VSUBP, ta, h1, ta)
	g.each(VADDP, bb, h2, h2)
	g.each(VSUBP, h2, ta, ta) // er
	g.each(VSUBP, l2, l1, l1)
	g.each(VADDP, ta, l1, l1) // lo
	if !f64 {
		g.each(VFMADD231P, g.glo, dml, l1) // + γlo·(mz - L)
	}
	if extraLo != nil {
		g.each(VFMADD231P, g.g, extraLo, l1) // + γ·extraLo
	}
	return g.expo(h, l1)
}

// lossOf returns the loss α_t·m·CE with the products' rounding errors (and
// α_t's, and mlo) carried to one final rounding, and for γ ∈ {1,2} the
// compensated α_t·m (amh + aml) that the gradient reuses, and CE held
// finite (cec, min(CE, MaxFloat): NaN-free where CE = +Inf, for the
// gradient's σ(-z)·CE), which mode 0's and γ ∈ {1,2}'s losses form anyway;
// nil for a general γ.
func (g *gen) lossOf(m, mlo, ce, at, atLo V) (loss, amh, aml, cec V) {
	loss = g.newV()
	switch g.mode {
	case mode0:
		cec = g.newV()
		g.each(VMINP, c("maxf"), ce, cec)
		g.each(VMULP, cec, atLo, loss)
		g.finalFMA(at, ce, loss, ce)
	case mode1, mode2:
		// m is ready long before CE: α_t·m with its exact error first
		amh, aml = g.newV(), g.newV()
		g.each(VMULP, m, at, amh)
		g.each(VMOVAP, amh, aml)
		g.each(VFMSUB231P, m, at, aml) // at·m - amh
		if mlo != nil {
			g.each(VFMADD231P, mlo, at, aml) // + at·mLo
		}
		g.each(VFMADD231P, m, atLo, aml) // + atLo·m
		cec = g.newV()
		g.each(VMINP, c("maxf"), ce, cec)
		g.each(VMULP, cec, aml, loss)
		g.finalFMA(amh, ce, loss, ce) // amh = 0 exactly where at = 0 when CE = +Inf (m = 1 there)
	default:
		g.compensated(m, mlo, ce, at, atLo, loss, true)
	}

	return loss, amh, aml, cec
}

// finiteCE returns CE held finite for the gradient: lossOf's where it formed
// it (cec), else ce itself clamped.
func (g *gen) finiteCE(ce, cec V) V {
	if cec != nil {
		return cec
	}
	g.each(VMINP, c("maxf"), ce, ce)
	return ce
}
