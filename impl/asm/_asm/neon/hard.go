package neon

// The loss and gradient of a vector of hard targets (t ∈ {0,1}): the
// model's ElemHard32 and ElemHard64, operation for operation.

// Modes of the modulating factor, as the model's.
const (
	mode0   = iota // γ = 0
	mode1          // γ = 1
	mode2          // γ = 2
	modeGen        // any other γ
)

var modeNames = []string{"M0", "M1", "M2", "MGen"}

// hard returns the loss (and with wantGrad the gradient) of the lanes of x
// and t, every one of them hard.
func (b *stream) hard(x, t V, mode int, wantGrad bool) (loss, grad V) {
	one := b.k("one")
	// -|z| = -|x| (z = ±x): the exp starts before t is looked at
	e, el := b.expSplit(b.neg(b.abs(x)), 0, true)
	s := b.fmaE(t, b.ke("mtwo"), b.fresh("one")) // 1-2t
	z := b.mul(x, s)
	u := b.add2(one, e)
	rcp := b.div(one, u)
	c := b.mul(b.add2(b.sub(e, b.sub(u, one)), el), rcp) // 1+e+el = u·(1+c)
	r1 := b.fms(u, rcp, b.fresh("one"))                  // 1 - u·rcp, the division's remainder
	rc := b.fma(rcp, b.sub(r1, c), rcp)                  // 1/(1+e+el) = σ(|z|)
	sn := b.fma(e, rc, b.mul(el, rc))                    // σ(-|z|)
	negz := b.signs(z)
	var sz, snz V // σ(z), σ(-z)
	if mode == mode1 || mode == mode2 || wantGrad {
		sz = b.sel(negz, sn, rc)
	}
	if wantGrad && mode != mode0 {
		snz = b.sel(negz, rc, sn)
	}
	l := b.log1p(u, c)
	ce := b.add2(b.and(b.cmgt0(z), z), l) // max(z,0) + L, NaN z taken as 0
	var m, mlo V                          // σ(z)^γ
	switch mode {
	case mode1:
		m = sz
	case mode2:
		m = b.mul(sz, sz)
		mlo = b.fma(sz, sz, b.neg(m))
	case modeGen:
		mz := b.and(b.cmlt0(z), z)   // min(z,0), NaN taken as 0 …
		mz = b.fmax(mz, b.k("mzLo")) // … held above mzLo
		m = b.powLog(mz, l, 0)
	}
	at, atLo := b.alphaT(t, 0)
	loss, amh, aml := b.lossOf(mode, m, mlo, ce, at, atLo)
	if !wantGrad {
		return loss, 0
	}
	if mode == mode0 {
		return loss, b.mul(s, b.fma(at, sz, b.mul(atLo, sz)))
	}
	// grad = (1-2t)·α_t·m·(γ·σ(-z)·CE + σ(z)); CE = +Inf held finite
	ceg := b.fmin(ce, b.k("maxf"))
	inner := b.fma(b.mulE(snz, b.f.param("g")), ceg, sz)
	return loss, b.mul(s, b.compensated(mode, m, amh, aml, at, atLo, inner))
}

// alphaT returns α_t = fma(t, α1, (1-t)·α0) and its float32 rounding error
// (float64: 1-α's), given ut = 1-t (0: computed here); the rows kernels'
// streams carry their own, made from the class tables (rows.go).
func (b *stream) alphaT(t, ut V) (at, atLo V) {
	if b.alpha[0] != 0 {
		return b.alpha[0], b.alpha[1]
	}
	if ut == 0 {
		ut = b.sub(b.k("one"), t)
	}
	p := b.f.param
	at = b.fmaE(t, p("a1"), b.mulE(ut, p("a0")))
	atLo = b.fmaE(t, p("a1lo"), b.mulE(ut, p("a0lo")))
	return at, atLo
}

// finite returns v held at the largest finite float, NaN taken as it (the
// model's finite: FMINNM returns the number beside a quiet NaN).
func (b *stream) finite(v V) V { return b.fminnm(v, b.k("maxf")) }

// lossOf returns α_t·m·CE with the products' rounding errors carried to the
// last rounding, and for γ ∈ {1,2} the compensated α_t·m (amh + aml) that
// the gradient reuses. mlo (m's low part) may be 0 (none).
func (b *stream) lossOf(mode int, m, mlo, ce, at, atLo V) (loss, amh, aml V) {
	switch mode {
	case mode0:
		return b.fma(at, ce, b.mul(atLo, b.finite(ce))), 0, 0
	case modeGen:
		// m carries about 1 ULP from its exp: m·CE's rounding is not carried
		mc := b.mul(m, ce)
		return b.fma(at, mc, b.mul(atLo, b.finite(mc))), 0, 0
	}
	amh = b.mul(at, m)
	aml = b.fma(at, m, b.neg(amh))
	if mlo != 0 {
		aml = b.fma(at, mlo, aml)
	}
	aml = b.fma(atLo, m, aml)
	return b.fma(amh, ce, b.mul(aml, b.finite(ce))), amh, aml
}

// compensated returns α_t·m·v with the rounding of α_t (and, for γ ∈ {1,2},
// of α_t·m) carried: fma(amh, v, aml·v), or fma(α_t, m·v, atLo·m·v).
func (b *stream) compensated(mode int, m, amh, aml, at, atLo, v V) V {
	switch mode {
	case mode0:
		return b.fma(at, v, b.mul(atLo, v))
	case modeGen:
		mi := b.mul(m, v)
		return b.fma(at, mi, b.mul(atLo, mi))
	}
	return b.fma(amh, v, b.mul(aml, v))
}
