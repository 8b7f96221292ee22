package fast

import "math"

// The logarithms. A positive normal v is split by its bits as 2^k·M with
// M in [√½, √2), f = M - 1 exactly, and log(1+f) = 2·atanh(s) with
// s = f/(2+f), |s| ≤ 0.1716:
//
//	log(1+f) = 2s + s·R(s²),  R(z) = Σ 2z^j/(2j+1)
//
// a Taylor series in z = s² ≤ 0.0295 (each term 5 bits below the last),
// evaluated by Estrin's scheme. The float64 form adds the terms as
// f - (f²/2 - s·(f²/2 + R)), so that s's rounding reaches only the small
// terms (as fdlibm's log does), and carries the last addition's error and
// f²/2's.

const (
	sqrt2Frac = 0x6a09e667f3bcd // the fraction bits of √2 rounded, 1.4142135623730951
	mantMask  = 1<<52 - 1
	oneBits   = 0x3ff0000000000000 // the bits of 1.0
)

// split returns k and f = M - 1 for v = 2^k·(1+f), M = 1+f in [√½, √2), for a
// positive normal v.
func split(v float64) (k, f float64) {
	b := math.Float64bits(v)
	// M is the fraction with the exponent of 1, or of ½ where it is above
	// √2 (an integer select, not a branch: which one is random for L's u)
	var up uint64
	if b&mantMask > sqrt2Frac {
		up = 1
	}
	m := math.Float64frombits(b&mantMask | (oneBits - up<<52))
	// the exponent as a float64 through the bits: 2^52 + e, minus 2^52 + 1023
	k = math.Float64frombits((b>>52+up)|math.Float64bits(0x1p52)) - (0x1p52 + 1023)
	return k, m - 1
}

// log32 returns log v for a positive normal v with a relative error below
// 2^-44 (an absolute one, near v = 1: TestLog32): v = 2^k·m, m in [1, 2),
// log m = log c_j + log(1 + r), r = m/c_j - 1, with 1/c_j and log c_j from a
// table (logTab, j the top 7 bits of m's fraction; c_0 = 1, so that the
// first interval's r = m - 1 is exact and log m keeps its relative accuracy
// near m = 1) and log(1+r), |r| < 2^-7, by its Taylor polynomial of degree 6
// (the next term is 2^-44.8 of it). The float32 kernel's log; like exp32,
// it has no FMA, and no division.
func log32(v float64) float64 {
	b := math.Float64bits(v)
	k := float64(int64(b>>52) - 1023)
	c := &logTab[b>>45&127]
	r := float64(math.Float64frombits(b&mantMask|oneBits)*c.inv) - 1
	r2 := float64(r * r)
	q := (-0.5 + float64(r*(1.0/3))) + float64(r2*((-0.25+float64(r*(1.0/5)))+float64(r2*(-1.0/6))))
	return (float64(k*ln2) + c.log) + (r + float64(r2*q))
}

// logTab holds, for m in [1 + j/128, 1 + (j+1)/128), 1/c_j for
// c_j = 1 + (j+½)/128, rounded, and log c_j (exactly -log of the rounded
// 1/c_j, from math.Log, within 1 ULP); c_0 = 1.
var logTab = func() (t [128]struct{ inv, log float64 }) {
	t[0].inv = 1
	for j := 1; j < len(t); j++ {
		t[j].inv = 1 / (1 + (float64(j)+0.5)/128)
		t[j].log = -math.Log(t[j].inv)
	}
	return t
}()

// logHL returns log v as hi + lo for a positive normal v, |lo| ≤ ulp(hi)/2,
// within 2^-54 of it relative (TestLogHL; R to z^10, the next term 2^-60.5
// of the log). log(1+f) = f - y, y = f²/2 - s·(f²/2 + R), is carried as
// w + wl (Fast2Sum); the roundings of y and of f² are not (they are the
// error, largest near f = √½ - 1, where y is 0.15 of the log). No FMA.
func logHL(v float64) (hi, lo float64) {
	k, f := split(v)
	s := f / (2 + f)
	z := float64(s * s)
	z2 := float64(z * z)
	z4 := float64(z2 * z2)
	z8 := float64(z4 * z4)
	// R(z)/z = 2/3 + 2z/5 + … + 2z⁹/21: pairs in z, Estrin in z², z⁴, z⁸
	b0 := float64(z*(2.0/5)) + 2.0/3
	b1 := float64(z*(2.0/9)) + 2.0/7
	b2 := float64(z*(2.0/13)) + 2.0/11
	b3 := float64(z*(2.0/17)) + 2.0/15
	b4 := float64(z*(2.0/21)) + 2.0/19
	b := ((b0 + float64(z2*b1)) + float64(z4*(b2+float64(z2*b3)))) + float64(z8*b4)
	hf := float64(float64(f*f) * 0.5)
	y := hf - float64(s*(hf+float64(z*b))) // f²/2 - s·(f²/2 + R): log(1+f) = f - y
	w := f - y
	wl := (f - w) - y        // Fast2Sum: |f| ≥ |y|
	kh := float64(k * ln2hi) // exact
	hi = kh + w
	lo = ((kh - hi) + w) + (float64(k*ln2lo) + wl) // Fast2Sum: |kh| ≥ |w| unless k = 0, where it is exact anyway
	// renormalized (k·ln2lo can be far above hi's ULP), so that hi alone
	// is log v rounded, nearly
	n := hi + lo
	return n, lo - (n - hi)
}
