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
func exp32(y float64) float64 {
	if y < expMin32 {
		y = expMin32
	}
	kf := float64(y*(64*log2e)) + magic
	k := kf - magic
	r := (y - float64(k*(ln2hi/64))) - float64(k*(ln2lo/64)) // the first difference is exact
	r2 := float64(r * r)
	p := (1 + r) + float64(r2*((0.5+float64(r*(1.0/6)))+float64(r2*(1.0/24+float64(r*(1.0/120))))))
	kb := int64(math.Float64bits(kf)) // magic's bits are a multiple of 64: the low bits are k's
	sc := math.Float64frombits(uint64(kb>>6+1023) << 52)
	return float64(float64(p*expTab[kb&63]) * sc)
}

// expTab holds 2^(j/64), j = 0..63, from math.Exp2 (within 1 ULP).
var expTab = func() (t [64]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 64)
	}
	return t
}()

// pow2 returns 2^k for kf = k + magic, -1022 ≤ k ≤ 1023.
func pow2(kf float64) float64 {
	return math.Float64frombits((math.Float64bits(kf) + 1023) << 52)
}

// expHL returns e^(h+lo) for h ≤ 0 and |lo| ≤ 2^-30 as e + el, e the sum
// rounded (nearly: |el| ≤ ulp(e)/2), the unevaluated sum within 2^-55 of
// the truth relative where e ≥ 2^-969 (below, el is subnormal and e alone
// is rounded once; TestExpHL): the float64 kernel's exponential. The
// degree-13 Taylor polynomial (truncation 2^-57.7 at |r| = ln2/2) is
// evaluated as s = r + a, a = r²·Q(r), p = 1 + s, and el carries what a
// rounded p leaves out: p's own rounding and s's (Fast2Sum), and the
// reduction's (r's rounding and lo, times p). What is left is the rounding
// of a and of Q (relative to p, a is below 2^-4) and the truncation. Below
// expMin64 it returns 0, 0; results below 2^-1022 are rounded once
// (subnormal), el with them. NaN gives NaN. Like exp32 it has no FMA: its
// error terms are sums, and the polynomial needs none.
func expHL(h, lo float64) (e, el float64) {
	if !(h >= expMin64) {
		if h != h {
			return h, h
		}
		return 0, 0
	}
	kf := float64(h*log2e) + magic
	k := kf - magic
	r0 := h - float64(k*ln2hi) // exact
	t1 := float64(k * ln2lo)
	r := r0 - t1
	rl := ((r0 - r) - t1) + lo // r's rounding error (r0 - r is exact where it matters), and lo
	r2 := float64(r * r)
	r4 := float64(r2 * r2)
	// Q(r) = Σ r^i/(i+2)!, i = 0..11: pairs in r, Estrin in r², r⁴
	p0 := float64(r*(1.0/6)) + 1.0/2
	p1 := float64(r*(1.0/120)) + 1.0/24
	p2 := float64(r*(1.0/5040)) + 1.0/720
	p3 := float64(r*(1.0/362880)) + 1.0/40320
	p4 := float64(r*(1.0/39916800)) + 1.0/3628800
	p5 := float64(r*(1.0/6227020800)) + 1.0/479001600
	q := (p0 + float64(r2*p1)) + float64(r4*((p2+float64(r2*p3))+float64(r4*(p4+float64(r2*p5)))))
	ar := float64(q * r2)
	s := r + ar
	ds := (r - s) + ar // Fast2Sum: |r| ≥ |a|
	p := 1 + s
	pl := (s - (p - 1)) + (ds + float64(rl*p)) // p - 1 is exact
	// renormalized, so that e alone is e^(h+lo) rounded, nearly
	e = p + pl
	pl = pl - (e - p)
	p = e
	if k >= -1022 {
		sc := pow2(kf)
		return float64(p * sc), float64(pl * sc)
	}
	// 2^k is subnormal: scale by two normal halves, so that the product
	// rounds once.
	k1 := math.Floor(float64(k * 0.5))
	s1 := pow2(k1 + magic)
	s2 := pow2(k - k1 + magic)
	return float64(float64(p*s1) * s2), float64(float64(pl*s1) * s2)
}
