package main

// The polynomials of exp and log, from their coefficient rows (width.go):
// the same schemes at either width, of the lengths the width needs.

// expPoly returns Q(r) from the pairs c0·r + c1: the caller adds r + r²·Q.
// float32's three pairs are formed first and joined by Horner's scheme in
// r²; float64's six are joined two by two in r² and the three results by
// Horner's scheme in r⁴ (expPoly64 in the model): two FMAs fewer in the
// chain of dependent operations than Horner's scheme in r² over the six,
// each pair formed just before it is used, which keeps few live.
func (g *gen) expPoly(r, r2 V) V {
	cs := expCoeffs()
	pair := func(i int) V {
		v := g.load(cs[2*i])
		g.each(VFMADD213P, c(cs[2*i+1]), r, v)
		return v
	}
	n := len(cs) / 2
	if n <= 3 {
		vs := make([]V, n)
		for i := range vs {
			vs[i] = g.load(cs[2*i])
		}
		for i := range vs {
			g.each(VFMADD213P, c(cs[2*i+1]), r, vs[i])
		}
		for _, v := range vs[1:] {
			g.each(VFMADD213P, v, r2, vs[0])
		}
		return vs[0]
	}
	// pairs joined two by two in r², those by Horner's scheme in r⁴
	r4 := g.newV()
	g.each(VMULP, r2, r2, r4)
	quad := func(i int) V { // P_i·r² + P_i+1
		a := pair(i)
		g.each(VFMADD213P, pair(i+1), r2, a)
		return a
	}
	q := quad(0)
	for i := 2; i < n; i += 2 {
		g.each(VFMADD213P, quad(i), r4, q)
	}
	return q
}

// logPoly returns P(f) given zz = f²: Estrin's scheme on the largest power
// of two of the coefficients (each half's value formed, the second first,
// and combined as first·f^(n/2) + second, with f⁴, f⁸ formed when first
// needed), then on the rest: float32's last one by Horner's scheme,
// float64's last four by Estrin's, joined as first·f⁴ + last (logPoly in
// the model). zz is kept. The registers
// of partial results that died are reused, the last to die first, for the
// powers and by the caller (spare): where registers are scarce the
// interleaving (gen.go's greedy) counts them, and this is the order the
// float32 kernels were tuned with.
func (g *gen) logPoly(f, zz V) V {
	cs := logCoeffs()
	n := 1
	for 2*n <= len(cs) {
		n *= 2
	}
	pows := map[int]V{2: zz}
	var pow func(k int) V
	pow = func(k int) V { // f^k, k a power of two ≥ 2
		if v, ok := pows[k]; ok {
			return v
		}
		h := pow(k / 2)
		v := g.spare()
		g.each(VMULP, h, h, v)
		pows[k] = v
		return v
	}
	var estrin func(cs []string) V
	estrin = func(cs []string) V {
		if len(cs) == 4 {
			a, b := g.load(cs[0]), g.load(cs[2])
			g.each(VFMADD213P, c(cs[1]), f, a)
			g.each(VFMADD213P, c(cs[3]), f, b)
			g.each(VFMADD213P, b, zz, a) // a·f² + b
			g.dead = append(g.dead, b)
			return a
		}
		h := len(cs) / 2
		hi := estrin(cs[h:])
		lo := estrin(cs[:h])
		g.each(VFMADD213P, hi, pow(h), lo)
		g.dead = append(g.dead, hi)
		return lo
	}
	p := estrin(cs[:n])
	if len(cs)-n == 4 {
		a := estrin(cs[n:])
		g.each(VFMADD213P, a, pow(4), p)
		return p
	}
	for _, k := range cs[n:] {
		g.each(VFMADD213P, c(k), f, p)
	}
	return p
}

// spare returns the register that died last (see logPoly), or a new one.
func (g *gen) spare() V {
	if n := len(g.dead); n > 0 {
		v := g.dead[n-1]
		g.dead = g.dead[:n-1]
		return v
	}
	return g.newV()
}
