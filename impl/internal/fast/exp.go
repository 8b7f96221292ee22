package fast

import "math"

// The exponentials. Both reduce the argument as y = k·ln2 + r, |r| ≤ ln2/2,
// k = round(y·log2e) by adding 1.5·2^52 (whose low bits then hold k, and
// give 2^k by a shift), and evaluate a Taylor polynomial of e^r by Estrin's
// scheme (a short dependency chain; the elements of a loop overlap).

const (
	log2e = 1.4426950408889634         // log2(e)
	ln2   = 0.6931471805599453         // ln 2, rounded
	ln2hi = 6.93147180369123816490e-01 // ln 2 to 32 bits (0x3fe62e42fee00000): k·ln2hi and y - k·ln2hi are exact
	ln2lo = 1.90821492927058770002e-10 // ln 2 - ln2hi
	magic = 0x1.8p52                   // y·log2e + magic rounds y·log2e to an integer, held in the low bits

	expMin32 = -708.0 // exp32 holds y here: 2^k stays normal
	expMin64 = -745.2 // below it e^y is under half the least subnormal: expHL gives 0
)

// exp32 returns e^y for y ≤ 0 with a relative error below 2^-50
// (TestExp32): y = k·ln2/64 + r, |r| ≤ ln2/128, e^y = 2^(k/64)·e^r with
// 2^(j/64) from a table (expTab, j = k mod 64) and e^r by its Taylor
// polynomial of degree 5 (truncation 2^-54.6): the float32 kernel's
// exponential, exact enough that its results round to float32 about once.
// y below expMin32 is taken as expMin32 (e^y ≈ 2^-1021): the float32 kernel
// uses no value that small (its products with anything it meets round to 0
// in float32). NaN gives NaN.
//
// It has no FMA: below GOAMD64=v3 math.FMA is a branch on the CPU's
// features with a call on its other side, around which every live value is
// spilled, and the float32 kernel needs no exact product.
func exp32(y float64) float64 { return expPoly32(expReduce32(y)) }

// expReduce32 is exp32's reduction: r and k with y = k·ln2/64 + r. exp32
// is split in two so that each half is small enough for the compiler to
// inline where a loop calls both (block32.run), which exp32 whole is not.
func expReduce32(y float64) (r float64, k int64) {
	if y < expMin32 {
		y = expMin32
	}
	kf := float64(y*(64*log2e)) + magic
	kr := kf - magic
	r = (y - float64(kr*(ln2hi/64))) - float64(kr*(ln2lo/64)) // the first difference is exact
	return r, int64(kr)
}

// expPoly32 returns 2^(k/64)·e^r, e^r by its Taylor polynomial of degree 5.
func expPoly32(r float64, k int64) float64 {
	r2 := float64(r * r)
	p := (1 + r) + float64(r2*((0.5+float64(r*(1.0/6)))+float64(r2*(1.0/24+float64(r*(1.0/120))))))
	sc := math.Float64frombits(uint64(k>>6+1023) << 52)
	return float64(float64(p*expTab[k&63].hi) * sc)
}

// expHL returns e^(h+lo) for h ≤ 0 and |lo| ≤ 2^-30 as e + el, e the sum
// rounded (nearly: |el| ≤ ulp(e)/2), the unevaluated sum within 2^-59 of
// the truth relative where e ≥ 2^-969 (below, el is subnormal and e alone
// is rounded once; TestExpHL): the float64 kernel's exponential. It reduces
// as exp32 does, h = k·ln2/64 + r, and e^(h+lo) = 2^(k/64)·e^r·(1 + lo + rl)
// with 2^(j/64) as hi+lo from expTab, e^r = 1 + s, s = r + r²·Q(r) to r⁶
// (truncation 2^-66), s's rounding carried (Fast2Sum) and r's (rl); what is
// left is the rounding of r²·Q, 2^-53 of a term below 2^-16 of e^r, and of
// 2^(j/64)·s. Below expMin64 it returns 0, 0; results below 2^-1022 are
// rounded once (subnormal), el with them. NaN gives NaN. Like exp32 it has
// no FMA.
func expHL(h, lo float64) (e, el float64) {
	if !(h >= expMin64) {
		if h != h {
			return h, h
		}
		return 0, 0
	}
	kf := float64(h*(64*log2e)) + magic
	k := kf - magic
	r0 := h - float64(k*(ln2hi/64)) // exact
	t1 := float64(k * (ln2lo / 64))
	r := r0 - t1
	rl := ((r0 - r) - t1) + lo // r's rounding error (r0 - r is exact where it matters), and lo
	r2 := float64(r * r)
	q := (0.5 + float64(r*(1.0/6))) + float64(r2*((1.0/24+float64(r*(1.0/120)))+float64(r2*(1.0/720))))
	a := float64(r2 * q)
	s := r + a
	ds := (r - s) + a // Fast2Sum: |r| ≥ |a|
	ki := int64(k)
	tb := &expTab[ki&63]
	// 2^(j/64)·(1 + s + ds)·(1 + rl): the hi part of the table plus what is small
	c := float64(tb.hi*s) + (tb.lo + float64(tb.hi*(ds+(rl+float64(rl*s)))))
	p := tb.hi + c
	pl := (tb.hi - p) + c // Fast2Sum: |2^(j/64)| ≥ |c|
	m := ki >> 6
	if m >= -1022 {
		sc := math.Float64frombits(uint64(m+1023) << 52)
		return float64(p * sc), float64(pl * sc)
	}
	// 2^m is subnormal: scale by two normal halves, so that the product
	// rounds once.
	m1 := m >> 1
	s1 := math.Float64frombits(uint64(m1+1023) << 52)
	s2 := math.Float64frombits(uint64(m-m1+1023) << 52)
	return float64(float64(p*s1) * s2), float64(float64(pl*s1) * s2)
}
