package fast

import "math"

// The logarithms, of a positive normal v, for both kernels. v = 2^k·m by
// its bits, m in [1, 2) (or m/2 and k+1 where logTab says so), and with
// the entry (c, ρ, κ) of m's interval:
//
//	m·ρ = 1 + r,  r = κ + (m - c)·ρ
//	log v = k·ln2 - log ρ + log(1 + r)
//
// m - c is exact (Sterbenz), a multiple of m's ULP below 2^-8, so 44 bits,
// and its product with the 9-bit ρ is exact too: r is the sum of two exact
// terms, |r| < 2^-7, and log(1+r) is its Taylor polynomial. No division and
// no FMA.

const (
	mantMask = 1<<52 - 1
	oneBits  = 0x3ff0000000000000 // the bits of 1.0
)

// logReduce returns k, the table entry of v's mantissa, and m - c.
func logReduce(v float64) (k float64, e *logEntry, d float64) {
	b := math.Float64bits(v)
	e = &logTab[b>>45&127]
	m := math.Float64frombits(b&mantMask | (oneBits - e.half<<52)) // m, or m/2
	// the exponent as a float64 through the bits: 2^52 + biased, minus 2^52 + 1023
	k = math.Float64frombits((b>>52+e.half)|math.Float64bits(0x1p52)) - (0x1p52 + 1023)
	return k, e, m - e.c
}

// log32 returns log v for a positive normal v, within 2^-44 of it relative
// for v > 1 and of max(|log v|, 1) below (TestLog32: what q^γ = exp(γ·log q)
// needs), with r rounded once and
// log(1+r) to r⁶ (the next term is 2^-44.8 of it): the float32 kernel's log.
func log32(v float64) float64 { return logPoly32(logReduce(v)) }

// logPoly32 is log32 after the reduction (split off, as exp32's halves
// are, so that each half inlines where a loop calls both).
func logPoly32(k float64, e *logEntry, d float64) float64 {
	r := e.kappa + float64(d*e.rho)
	r2 := float64(r * r)
	q := (-0.5 + float64(r*(1.0/3))) + float64(r2*((-0.25+float64(r*(1.0/5)))+float64(r2*(-1.0/6))))
	return (float64(k*ln2) + e.hi) + (r + float64(r2*q))
}

// logHL returns log v as hi + lo for a positive normal v, |lo| ≤ ulp(hi)/2,
// within 2^-60 of it relative for v > 1 and of max(|log v|, 1) below
// (TestLogHL): r
// is carried as hi+lo (TwoSum), log(1+r) = r - y to r⁹ (the next term is
// 2^-62 of it) with y = r²/2 - r³·P(r) and its difference carried
// (Fast2Sum), and the sum of k·ln2, -log ρ and log(1+r) with its errors.
func logHL(v float64) (hi, lo float64) {
	k, e, d := logReduce(v)
	r, rl := logR(e, d)
	w, wl := log1pHL(r)
	return logSumHL(k, e, w, wl+rl)
}

// logR returns r = κ + (m - c)·ρ as r + rl, exactly (TwoSum). logHL is
// written in parts, as log32 is, so that each inlines where
// sig64.sigmoids calls them.
func logR(e *logEntry, d float64) (r, rl float64) {
	dr := float64(d * e.rho) // exact
	r = e.kappa + dr
	bb := r - e.kappa
	return r, (e.kappa - (r - bb)) + (dr - bb)
}

// log1pHL returns log(1+r) = r - y as w + wl for |r| < 2^-7, y = r²/2 -
// r³·P(r) to r⁹ (log(1+r+rl) = log(1+r) + rl to 2^-60 more).
func log1pHL(r float64) (w, wl float64) {
	r2 := float64(r * r)
	// P(r) = 1/3 - r/4 + r²/5 - … - r⁶/9: pairs in r, Estrin in r², r⁴
	p := ((1.0/3 - float64(r*0.25)) + float64(r2*(0.2-float64(r*(1.0/6))))) +
		float64(float64(r2*r2)*((1.0/7-float64(r*0.125))+float64(r2*(1.0/9))))
	y := float64(r2*0.5) - float64(float64(r2*r)*p)
	w = r - y
	return w, (r - w) - y // Fast2Sum: |r| ≥ |y|
}

// logSumHL returns k·ln2 - log ρ + w + wl, renormalized.
func logSumHL(k float64, e *logEntry, w, wl float64) (hi, lo float64) {
	kh := float64(k * ln2hi) // exact
	a := kh + e.hi
	al := (kh - a) + e.hi // Fast2Sum: |kh| ≥ ln2 > |e.hi| unless k = 0
	hi = a + w
	bb := hi - a
	lo = ((a - (hi - bb)) + (w - bb)) + (al + (e.lo + (float64(k*ln2lo) + wl)))
	// renormalized, so that hi alone is log v rounded, nearly
	n := hi + lo
	return n, lo - (n - hi)
}
