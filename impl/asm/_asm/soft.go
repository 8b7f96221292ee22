package main

// The per-vector loss and gradient in the general form, for a step with a
// soft target: elemGen in ../soft.go, operation for operation. A hard lane
// gets elemHard's results bit for bit.

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
)

// softHard returns the lanes whose target is hard (t·(1-t) = 0), whose
// results the soft body gives as the hard body does; on AVX-512 the mask is
// formed once per body (s1 = 1-t) and kept, on AVX2 made from t at each use.
func (g *gen) softHard(tr, s1 V) masks {
	if !g.avx512() {
		return g.hardMask(tr)
	}
	if g.hardK == nil {
		p := g.newV()
		g.each(VMULP, s1, tr, p)
		g.hardK = g.newK()
		g.each(VCMPP, U8(0), c("zero"), p, g.hardK)
	}
	return masks{k: g.hardK}
}

// softNeg returns the lanes where x < 0 (x's sign bit): on AVX-512 a mask
// formed once per body, on AVX2 x itself (VBLENDVPS reads its sign bit).
func (g *gen) softNeg() masks {
	if !g.avx512() {
		return masks{v: g.reload(g.xs)}
	}
	if g.negK == nil {
		g.negK = g.newK()
		g.each(VPMOV2M, g.reload(g.xs), g.negK)
	}
	return masks{k: g.negK}
}

// Masks that live long are kept as vectors (lanes all ones or all zeros, or
// any vector whose sign bit selects) on AVX-512 too, where a K register is
// made from one just before each use: seven K registers do not hold them all.

// softBody computes the loss (and the gradient for opLossGrad) of the lanes
// of x and t in the general form. It returns loss, grad (nil unless
// opLossGrad) and the lanes left to float64 (none for γ = 0's loss). The
// operations are elemGen's; their order is the one that keeps the fewest
// values live at once, and on AVX2 the values that live long are spilled
// (g.xs and g.ts hold x and t for reloading).
func (g *gen) softBody(x, t V, o op) (loss, grad V, flag masks) {
	wantGrad := o == opLossGrad
	g.hardK, g.negK = nil, nil
	h := g.newV()
	g.each(VORP, c("sign"), x, h) // -|x|
	var e, el, el2 V
	if wantGrad {
		e, el, el2 = g.expoSoft(h)
	} else {
		e, el = g.expoSplit(h, nil, true)
	}
	// σ(|x|) = rc + rclo, σ(-|x|) = sn, as the hard body
	u, rcp, cc, r1 := g.recip1(e, el)
	su := g.spill(u)          // u and c wait for the log
	g.each(VSUBP, cc, r1, r1) // r1 - c
	scc := g.spill(cc)
	rc := g.newV()
	g.each(VMOVAP, rcp, rc)
	g.each(VFMADD132P, r1, rcp, rc) // rc = rcp·(r1-c) + rcp
	rclo := g.newV()
	g.each(VSUBP, rc, rcp, rclo)      // rcp - rc, exact
	g.each(VFMADD231P, r1, rcp, rclo) // + rcp·(r1-c)
	var elrc, sn V                    // σ(-|x|): only the gradient needs it
	if wantGrad {
		elrc, sn = g.newV(), g.newV()
		g.each(VMULP, rc, el, elrc)
		g.each(VMOVAP, elrc, sn)
		g.each(VFMADD231P, e, rc, sn)
	}
	var sthr, sd slot
	tr := g.reload(g.ts)
	s1 := g.newV()
	g.each(VXORP, c("sign"), tr, s1)
	g.each(VADDP, c("one"), s1, s1) // 1 - t
	if wantGrad || g.mode != mode0 {
		g.softHard(tr, s1) // AVX-512: formed here, while t and 1-t are at hand
	}
	if wantGrad {
		// d = σ(x) - t from σ as hi+lo
		snlo := g.newV()
		g.each(VMOVAP, sn, snlo)
		g.each(VFMSUB231P, rc, e, snlo) // e·rc - sn
		g.each(VADDP, elrc, snlo, snlo)
		g.each(VFMADD231P, rclo, e, snlo)
		d2 := g.newV()
		g.each(VMULP, rc, rc, d2)
		g.each(VMULP, el2, d2, d2)
		rl := g.newV()
		g.each(VSUBP, d2, rclo, rl)
		g.each(VADDP, d2, snlo, snlo)
		gtm := g.cmp(0x1e, c("half"), tr) // t > 1/2
		var selm masks
		if g.avx512() {
			selm.k = g.newK()
			g.each(KXORW, gtm.k, g.softNeg().k, selm.k)
		} else {
			selm.v = g.newV()
			g.each(VXORP, g.mem(g.xs), gtm.v, selm.v)
		}
		hi, lo, tt := g.newV(), snlo, g.newV()
		g.sel(selm, sn, rc, hi)
		g.sel(selm, snlo, rl, lo)
		g.sel(gtm, s1, tr, tt)
		g.zeroWhere(g.softHard(tr, s1), lo)
		d := hi
		g.each(VSUBP, tt, hi, d)
		g.each(VADDP, lo, d, d)
		g.applyWhere(gtm, VXORP, c("sign"), d)
		sd = g.spill(d)
		// the flag's threshold σ(x)σ(-x)·min(max(x², softFloor), softNear)·softFlag
		xr := g.reload(g.xs)
		thr := g.newV()
		g.each(VMULP, xr, xr, thr)
		g.each(VMINP, c("softNear"), thr, thr)
		g.each(VMAXP, c("softFloor"), thr, thr)
		ss := g.newV()
		g.each(VMULP, sn, rc, ss)
		g.each(VMULP, thr, ss, thr)
		g.each(VMULP, c("softFlag"), thr, thr)
		sthr = g.spill(thr)
	}
	var ssn slot
	if wantGrad && g.mode != mode0 {
		ssn = g.spill(sn) // for ρ
	}
	// α_t
	at, atLo := g.newV(), g.newV()
	g.each(VMULP, g.a0, s1, at)
	g.each(VFMADD231P, g.a1, tr, at)
	g.each(VMULP, g.a0lo, s1, atLo)
	g.each(VFMADD231P, g.a1lo, tr, atLo)
	sat, satLo := g.spill(at), g.spill(atLo)

	// w, v: the weights of the side x does not favour and of the side it does
	tz := g.newV()
	g.each(VSUBP, c("one"), s1, tz)
	g.each(VADDP, tr, tz, tz) // 1-t = s1 - tz exactly
	xr := g.reload(g.xs)
	neg := masks{v: xr} // the lanes where x < 0: x's sign bit (AVX2)
	if g.avx512() {
		neg = g.softNeg()
	}
	w, v := g.newV(), g.newV()
	g.sel(neg, tr, s1, w)
	g.sel(neg, s1, tr, v)
	tzw, tzv := g.newV(), g.newV()
	if g.avx512() {
		g.each(VBLENDMP, c("zero"), tz, neg.k, tzw)
		g.each(VMOVAP_Z, tz, neg.k, tzv)
	} else {
		xm := g.newV()
		g.each(VPSRAD, U8(31), xr, xm)
		if f64 { // the high half's sign to the whole lane (no VPSRAQ on AVX2)
			g.each(VPSHUFD, U8(0xf5), xm, xm)
		}
		g.each(VANDP, xm, tz, tzv)
		g.each(VANDNP, tz, xm, tzw)
	}
	stzw := g.spill(tzw)
	// A = w + v·e' as ah + alo (TwoSum)
	ph := g.newV()
	g.each(VMULP, e, v, ph)
	alo := g.newV()
	g.each(VMOVAP, ph, alo)
	g.each(VFMSUB231P, e, v, alo) // v·e - ph
	ah := g.newV()
	g.each(VADDP, ph, w, ah)
	big, t1 := g.newV(), g.newV()
	g.each(VMAXP, ph, w, big)
	g.each(VMINP, ph, w, t1)
	g.each(VSUBP, big, ah, big)
	g.each(VSUBP, big, t1, t1) // the error of ah (Fast2Sum: both terms ≥ 0)
	g.each(VADDP, t1, alo, alo)
	g.each(VFMADD231P, el, v, alo)
	tze := tzv
	g.each(VMULP, e, tzv, tze)
	g.each(VADDP, tzw, tze, tze) // fma(tzv, e, tzw) where one of them is 0: exact either way
	g.each(VSUBP, tze, alo, alo)
	var rA V // 1/A: log A's correction (general γ) and ρ, beside the first division
	if g.mode == modeGen || wantGrad && g.mode != mode0 {
		rA = g.load("one")
		g.each(VDIVP, ah, rA, rA)
	}
	var srho slot
	if wantGrad && g.mode != mode0 {
		rho := g.newV()
		g.each(VMULP, rA, g.reload(ssn), rho)
		g.sel(g.cmp(0, c("zero"), w), rc, rho, rho) // σ(-z) = σ(|x|) for a hard lane with w = 0
		srho = g.spill(rho)
	}
	var sm, smlo slot
	if g.mode == mode1 || g.mode == mode2 {
		// q = A·σ(|x|) rounded once (σ(z) exactly for a hard lane)
		ar := g.newV()
		g.each(VMULP, rc, alo, ar)
		qh := g.newV()
		g.each(VMOVAP, ar, qh)
		g.each(VFMADD231P, rc, ah, qh)
		ql := g.newV()
		g.each(VMOVAP, qh, ql)
		g.each(VFMSUB231P, rc, ah, ql) // ah·rc - qh
		g.each(VADDP, ar, ql, ql)
		g.each(VFMADD231P, rclo, ah, ql)
		g.zeroWhere(g.softHard(g.reload(g.ts), nil), ql)
		if g.mode == mode1 {
			sm, smlo = g.spill(qh), g.spill(ql)
		} else {
			m, mlo := g.newV(), g.newV()
			g.each(VMULP, qh, qh, m)
			g.each(VMOVAP, m, mlo)
			g.each(VFMSUB231P, qh, qh, mlo)
			q2 := qh
			g.each(VADDP, qh, qh, q2)
			g.each(VFMADD231P, ql, q2, mlo)
			sm, smlo = g.spill(m), g.spill(mlo)
		}
	}
	sw := g.spill(w)
	var sah, salo, srA slot
	if g.mode == modeGen {
		sah, salo = g.spill(ah), g.spill(alo)
		srA = g.spill(rA)
	} else if wantGrad && g.mode != mode0 {
		sah = g.spill(ah) // for the tiny-A flag
	}

	var l, lLo V
	if g.mode == modeGen {
		l, lLo = g.log1pHL(g.reload(su), g.reload(scc))
	} else {
		l = g.log1p(g.reload(su), g.reload(scc))
	}
	// CE = w·|x| + L (max: 0·Inf at a hard lane with w = 0 gives L)
	a := g.newV()
	g.each(VANDP, c("absmask"), g.reload(g.xs), a)
	am := g.newV()
	g.each(VMINP, c("maxf"), a, am)
	lw := g.newV()
	g.each(VMOVAP, l, lw)
	g.each(VFNMADD231P, g.mem(stzw), am, lw)
	ce := am
	g.each(VMOVAP, lw, ce)
	g.each(VFMADD231P, g.mem(sw), a, ce)
	g.each(VMAXP, lw, ce, ce)
	var tiny masks
	if g.mode == modeGen || (wantGrad && g.mode != mode0) {
		tiny = g.cmp(1, c("flagTiny"), g.reload(sah)) // A < 2^-126 …
		g.andNot(tiny, g.cmp(0, c("zero"), g.reload(sw)))
	}
	var m, mlo V
	if g.mode == modeGen {
		lh, ll := g.logHL(g.reload(sah))
		g.each(VFMADD231P, g.mem(srA), g.reload(salo), ll)
		g.each(VSUBP, lLo, ll, ll) // log q = (lh + ll) - (l + lLo)
		mzh := g.newV()
		g.each(VORP, c("sign"), g.reload(g.xs), mzh)
		g.each(VMAXP, c("mzLo"), mzh, mzh)
		g.sel(g.cmp(0, c("zero"), g.reload(sw)), mzh, lh, lh) // log A = -|x| exactly for a hard lane
		g.zeroWhere(g.softHard(g.reload(g.ts), nil), ll)
		m = g.powLog(lh, l, ll)
	} else if g.mode != mode0 {
		m, mlo = g.reload(sm), g.reload(smlo)
	}
	at, atLo = g.reload(sat), g.reload(satLo)
	var amh, aml, cec V
	loss, amh, aml, cec = g.lossOf(m, mlo, ce, at, atLo)

	// Lanes left to float64: m (α_t·m for γ ∈ {1,2}) underflows while CE > 1;
	// with a general γ, a subnormal A (1/A above 2^126, but for a hard lane
	// with w = 0).
	if g.mode != mode0 {
		under := m // what the loss is CE times: α_t·m (amh) for γ ∈ {1,2}
		if amh != nil {
			under = amh
		}
		flag = g.cmp(1, c("flagTiny"), under) // < 2^-126
		g.and(flag, g.cmp(0x1e, c("one"), ce))
		g.andNot(flag, g.cmp(0, c("zero"), at)) // a hard lane's α_t = 0 (α = 0 or 1)
		if g.mode == modeGen {
			g.or(flag, tiny)
		}
		g.nanWhere(flag, loss)
	}
	if !wantGrad {
		return loss, nil, flag
	}

	grad = g.newV()
	d := g.reload(sd)
	var gt V
	switch g.mode {
	case mode0:
		g.each(VMULP, atLo, d, grad)
		g.each(VFMADD231P, at, d, grad)
	default:
		ceg := g.finiteCE(ce, cec)
		s2t := g.newV()
		g.each(VMOVUP, g.g, s2t)
		g.each(VFMADD231P, g.g2, g.reload(g.ts), s2t) // γ(1-2t) = t·(-2γ) + γ
		gr := g.reload(srho)
		g.each(VMULP, s2t, gr, gr)
		inner := g.newV()
		g.each(VMOVAP, d, inner)
		g.each(VFMADD231P, ceg, gr, inner)
		gt = gr
		g.each(VMULP, ceg, gr, gt)
		if amh != nil {
			g.each(VMULP, inner, aml, grad)
			g.each(VFMADD231P, amh, inner, grad)
		} else {
			g.compensated(m, nil, inner, at, atLo, grad, false)
		}
	}
	// flag where d's own error is large against the gradient's two terms
	size := d
	g.each(VANDP, c("absmask"), d, size)
	if gt != nil {
		g.each(VANDP, c("absmask"), gt, gt)
		g.each(VADDP, gt, size, size)
	}
	fs := g.cmp(1, g.mem(sthr), size) // size < thr
	if flag.k != nil || flag.v != nil {
		g.or(fs, flag)
	}
	if g.mode != mode0 && g.mode != modeGen {
		g.or(fs, tiny)
	}
	g.nanWhere(fs, grad)
	return loss, grad, fs
}
