package neon

// exp and log in lanes, as the model computes them (impl/internal/model:
// expSplit, expSoft, logCore, log1pHL, logHL, the float64 twins, and the
// polynomials' schemes horner2 and estrin), operation for operation.

// expArg returns r = h - k·ln2 (k·ln2hi exact, then k·ln2lo) and k =
// round(h·log2e) as a float and as an integer, for h held at expLo (a NaN h
// stays NaN: FMAX).
func (b *stream) expArg(h V) (r0, r, kf, ki V) {
	h = b.fmax(h, b.k("expLo"))
	t := b.mulE(h, b.ke("log2e"))
	kf, ki = b.frintn(t), b.fcvtns(t) // the same integer, ties to even
	r0 = b.fmsE(kf, b.ke("ln2hi"), h)
	r = b.fmsE(kf, b.ke("ln2lo"), r0)
	return r0, r, kf, ki
}

// poly returns s = r + r²·Q(r), Q from the exp's coefficient pairs, and Q:
// float32's three pairs by Horner's scheme in r², float64's six joined two
// by two in r² and those by Horner's scheme in r⁴ (the model's expPoly64).
func (b *stream) expPoly(r V) (s, q, r2 V) {
	r2 = b.mul(r, r)
	cs := b.expCoeffs()
	if len(cs) <= 6 {
		q = b.horner2(cs, r, r2)
	} else {
		r4 := b.mul(r2, r2)
		quad := func(i int) V { return b.horner2(cs[i:i+4], r, r2) }
		q = quad(0)
		for i := 4; i < len(cs); i += 4 {
			q = b.fma(q, r4, quad(i))
		}
	}
	return b.fma(q, r2, r), q, r2
}

// expSplit returns exp(h+lo) (lo 0 if nil, else held to ±1/64) as e, and
// with wantLo the rounding error of p = s+1, scaled like e.
func (b *stream) expSplit(h, lo V, wantLo bool) (e, elo V) {
	_, r, _, ki := b.expArg(h)
	if lo != 0 {
		lo = b.fmin(b.fmax(lo, b.k("loMin")), b.k("loMax"))
		r = b.add2(r, lo)
	}
	s, _, _ := b.expPoly(r)
	one := b.k("one")
	p := b.add2(s, one)
	if !wantLo {
		return b.scale(ki, p)[0], 0
	}
	plo := b.sub(s, b.sub(p, one)) // exact (Fast2Sum)
	vs := b.scale(ki, p, plo)
	return vs[0], vs[1]
}

// expSoft is expSplit(h, nil, true) that also returns el2, the rounding
// errors of the reduction's last step and of the polynomial's last fma.
func (b *stream) expSoft(h V) (e, el, el2 V) {
	r0, r, kf, ki := b.expArg(h)
	rlo := b.fmsE(kf, b.ke("ln2lo"), b.sub(r0, r)) // (r0 - r) - k·ln2lo
	s, q, r2 := b.expPoly(r)
	ds := b.fma(q, r2, b.sub(r, s))
	one := b.k("one")
	p := b.add2(s, one)
	plo := b.sub(s, b.sub(p, one))
	cr := b.fma(p, rlo, ds)
	vs := b.scale(ki, p, plo, cr)
	return vs[0], vs[1], vs[2]
}

// scale returns each of vs times 2^k, as v·2^⌊k/2⌋·2^(k-⌊k/2⌋): both
// factors normal for k ≥ -2·(bias-1), each product exact but the last, so
// that a subnormal result is rounded once.
func (b *stream) scale(ki V, vs ...V) []V {
	mant, bias := 23, "i127sh"
	if b.s.f64 {
		mant = 52
	}
	k1 := b.sshr(ki, 1)
	k2 := b.isub(ki, k1)
	s1 := b.iadd(b.shl(k1, mant), b.k(bias))
	s2 := b.iadd(b.shl(k2, mant), b.k(bias))
	out := make([]V, len(vs))
	for i, v := range vs {
		out[i] = b.mul(b.mul(v, s1), s2)
	}
	return out
}

// horner2 evaluates the pairs cs[2i]·r + cs[2i+1], Horner's scheme in r².
func (b *stream) horner2(cs []string, r, r2 V) V {
	q := b.fmaE(r, b.ke(cs[0]), b.k(cs[1]))
	for i := 2; i < len(cs); i += 2 {
		t := b.fmaE(r, b.ke(cs[i]), b.k(cs[i+1]))
		q = b.fma(q, r2, t)
	}
	return q
}

// logPoly returns P(f) given z = f²: Estrin's scheme on the largest power
// of two of the coefficients, then on the rest: float32's last one by
// Horner's scheme, float64's last four by Estrin's, joined by f⁴.
func (b *stream) logPoly(f, z V) V {
	cs := b.logCoeffs()
	n := 1
	for 2*n <= len(cs) {
		n *= 2
	}
	pows := map[int]V{2: z}
	var pow func(k int) V
	pow = func(k int) V { // f^k, k a power of two ≥ 2
		if v, ok := pows[k]; ok {
			return v
		}
		h := pow(k / 2)
		v := b.mul(h, h)
		pows[k] = v
		return v
	}
	var estrin func(cs []string) V
	estrin = func(cs []string) V {
		if len(cs) == 2 {
			return b.fmaE(f, b.ke(cs[0]), b.k(cs[1]))
		}
		h := len(cs) / 2
		lo := estrin(cs[h:])
		hi := estrin(cs[:h])
		return b.fma(hi, pow(h), lo)
	}
	p := estrin(cs[:n])
	if len(cs)-n == 4 {
		return b.fma(p, pow(4), estrin(cs[n:]))
	}
	for _, c := range cs[n:] {
		p = b.fma(p, f, b.k(c))
	}
	return p
}

// log1pParts returns log1p(e) = kf·ln2hi + w for u = 1+e and its
// correction c (see the model's log1pParts64): f = u-1, or u/2-1 where
// u > √2, with kf = 1 there; and w, y, f, kf for log1pHL's error terms.
func (b *stream) log1pParts(u, c V) (l, w, y, f, kf V) {
	one := b.k("one")
	big := b.cmgt(u, b.k("sqrt2"))
	f1 := b.sub(u, one)
	f2 := b.fmaE(u, b.ke("half"), b.k("mone")) // (u - u/2) - 1, exactly
	f = b.sel(big, f2, f1)
	kf = b.and(big, one)
	z := b.mul(f, f)
	p := b.logPoly(f, z)
	f3 := b.mul(z, f)
	hz := b.mulE(z, b.ke("mhalf"))
	cl := b.fmaE(kf, b.ke("ln2lo"), c)
	y = b.fma(p, f3, hz)
	y = b.add2(y, cl)
	w = b.add2(y, f)
	l = b.fmaE(kf, b.ke("ln2hi"), w)
	return l, w, y, f, kf
}

// log1p returns L = log1p(e) (the model's log1pE).
func (b *stream) log1p(u, c V) V {
	l, _, _, _, _ := b.log1pParts(u, c)
	return l
}

// log1pHL returns L and the rounding errors of its last two additions.
func (b *stream) log1pHL(u, c V) (l, lo V) {
	l, w, y, f, kf := b.log1pParts(u, c)
	kh := b.mulE(kf, b.ke("ln2hi"))
	return l, b.add2(b.sub(w, b.sub(l, kh)), b.sub(y, b.sub(w, f)))
}

// logHL returns log(ah) as hi + lo for ah in (0, 1] normal (the model's logHL).
func (b *stream) logHL(ah V) (hi, lo V) {
	mant, bias := 23, "i127"
	if b.s.f64 {
		mant, bias = 52, "i1023"
	}
	one := b.k("one")
	kf := b.scvtf(b.isub(b.ushr(ah, mant), b.k(bias)))
	m := b.orr(b.and(ah, b.k("mantmask")), one) // [1, 2)
	f1 := b.sub(m, one)
	big := b.cmgt(m, b.k("sqrt2"))
	f2 := b.fmaE(m, b.ke("half"), b.k("mone"))
	f := b.sel(big, f2, f1)
	kf = b.add2(kf, b.and(big, one))
	z := b.mul(f, f)
	zlo := b.fma(f, f, b.neg(z))
	p := b.logPoly(f, z)
	f3 := b.mul(z, f)
	hz := b.mulE(z, b.ke("mhalf"))
	y := b.fma(p, f3, hz)
	w := b.add2(f, y)
	wlo := b.sub(y, b.sub(w, f))
	kh := b.mulE(kf, b.ke("ln2hi16")) // exact
	hi = b.add2(kh, w)
	lo = b.fmaE(kf, b.ke("ln2lo16"), wlo)
	lo = b.fmaE(zlo, b.ke("mhalf"), lo)
	lo = b.add2(lo, b.sub(w, b.sub(hi, kh)))
	return hi, lo
}

// powLog returns exp(γ·(mz - L) + γ·extra): both products split exactly by
// fma and their difference carried (TwoSum) as hi + lo into the exp's
// reduced argument (the model's general γ); extra may be 0 (none).
func (b *stream) powLog(mz, l, extra V) V {
	g := b.f.param("g")
	h1 := b.mulE(mz, g)
	l1 := b.fmaE(mz, g, b.neg(h1))
	h2 := b.mulE(l, g)
	l2 := b.fmaE(l, g, b.neg(h2))
	h := b.sub(h1, h2)
	bb := b.sub(h, h1)
	er := b.add2(b.sub(h1, b.sub(h, bb)), b.sub(b.neg(h2), bb))
	lo := b.add2(b.sub(l1, l2), er)
	if !b.s.f64 { // float64's γ is exact
		lo = b.fmaE(b.sub(mz, l), b.f.param("glo"), lo)
	}
	if extra != 0 {
		lo = b.fmaE(extra, g, lo)
	}
	e, _ := b.expSplit(h, lo, false)
	return e
}

// expCoeffs and logCoeffs name the polynomials' coefficient rows, highest
// degree first (the generator's, Config.Poly).
func (b *stream) expCoeffs() []string { return b.f.consts.poly[b.s.f64].Exp }

func (b *stream) logCoeffs() []string { return b.f.consts.poly[b.s.f64].Log }
