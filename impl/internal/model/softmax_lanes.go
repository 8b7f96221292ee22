package model

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/dd"
)

// The softmax form's lanes: a row's reduction and its gradient's scaling,
// as scalar Go with the operations of the vector kernels in the same order
// (impl/asm's generator emits them from _asm/softmax.go and
// _asm/neon/softmax.go; impl/archsimd's from its softmax files). One row of
// C logits at a time, in vectors of W float64 lanes (2 for NEON, 4 for
// AVX2, 8 for AVX-512), the last one masked:
//
//	m     = max_j x_j          over the non-NaN logits (-Inf if none), in
//	                           the input type's lanes; + 0, so that a zero is +0
//	d_j   = x_j - m            0 where x_j = m (±Inf included); float64: the
//	                           exact error dl of the difference (TwoSum), 0
//	                           where d_j is not finite
//	E'_j  = e^d_j · 2^s        the exp of the flat form's float64 kernels
//	                           (degree 13; float32 rows: its Taylor polynomial
//	                           cut to degree 7, within 2^-27, the argument
//	                           reduced by ln2 in one FMA; see smQ32), its
//	                           scaling by 2^(k+s) in halves
//	                           (one correctly rounded product); s = 64 (float32
//	                           rows) or 512 (float64), so that a term e^d that
//	                           float64 would make subnormal keeps its digits;
//	                           h clamped: float64 rows where 2^s·e^h is below
//	                           half the least subnormal, float32 rows where
//	                           2^(k+s) would leave the normal range (E' held at
//	                           about 2^-1022 below it, 2^-1086 of the row's
//	                           largest term, which no float32 result can see),
//	                           so that AVX2 scales by one product;
//	                           float64: with its error terms (the reduction's
//	                           rounding, the polynomial's last fma, the last
//	                           addition's, and e·dl), about 2^-57 of E'
//	O'    = Σ_{j≠c} E'_j        lane j mod W accumulates, in float64; float64
//	                           rows carry each addition's error (TwoSum) and
//	                           the terms' error terms in a second accumulator
//	E'_c                       the label's lane, accumulated apart
//	store_j = E'_j             rounded to the row's type, for LossGrad's
//	                           second pass, which scales it: g_j =
//	                           (store_j·f)·2^-s, f the row's factor
//
// The vector levels take two shortcuts that give these bits: in a row
// whose maximum is finite, a whole vector without the label's lane skips
// the x = m mask and the label's sum; in a float64 row whose logits span
// at most smNarrow64, that vector skips the clamp and the finiteness mask and
// scales by one product (2^(k+s) is normal there, and the halves' first
// product exact).
//
// The lanes' accumulators are added across, halves first (lane i and
// i+W/2, then i and i+W/4, …), float64 pairs by TwoSum with their errors
// summed beside. The rest of a row is the epilogue (softmax_epi.go): for
// float32 rows in lanes, a block of rows at a time (softmax_epilanes.go),
// for float64 rows scalar Go that every level shares.

// Scale exponents of the stored exps, and the clamps of their arguments:
// float64 rows: below the clamp 2^s·e^h rounds to 0 (e^clamp·2^s <
// 2^-1076); float32 rows: at the clamp k = -1022-s, the least k whose 2^(k+s)
// is normal.
const (
	smScale32 = 64
	smScale64 = 512
	smLo32    = -(1022 + smScale32) * 0.6931471805599453
	smLo64    = -(1076 + smScale64) * 0.6931471805599453
)

// smQ32 is the float32 rows' exp polynomial: expQ64's last 6 coefficients,
// exp(r) = 1 + r + r²·Q(r) of degree 7, within 2^-27 for |r| ≤ ln2/2. A
// float32 row's loss carries its sum's relative error about γ+1 times (a
// row whose label is its maximum), so at γ = 5 this costs at most about
// 0.8 ULP of float32; the error terms float64 rows need are left out too,
// and the argument is reduced by ln2 rounded to float64 in one FMA (within
// 2^-44 of k·ln2 for every k above the clamp).
var smQ32 = expQ64[len(expQ64)-smQ32Len:]

const smQ32Len = 6

// smLn2 is ln 2 rounded to float64: the float32 rows' reduction.
const smLn2 = 0.6931471805599453

// smNarrow64 is the largest span (maximum less minimum) of a narrow float64
// row: every k of its exps is at least about -1444, above the clamp, and
// 2^(k+512) normal, so that the lanes may scale by one product.
const smNarrow64 = 1000

// smExp returns e^(h+dl)·2^s for h ≤ 0 (dl ≤ 2^-44·|h|), with h held at
// lo, by the polynomial q (expQ64, or smQ32), and if wantLo its error
// terms: e + elo is the value to about 2^-57. The operations are
// expSoft64's, with the scaling by 2^(k+s); without the error terms (a
// float32 row's) the argument is reduced in one FMA by smLn2.
func smExp(h, dl float64, lo float64, s int, q []float64, wantLo bool) (e, elo float64) {
	if h < lo {
		h = lo // NaN h stays NaN, as MAXPD(h, lo) leaves it
	}
	k := math.RoundToEven(mul64(h, log2e64))
	if !wantLo {
		r := math.FMA(k, -smLn2, h)
		r2 := mul64(r, r)
		p := math.FMA(horner2(q, r, r2), r2, r) + 1
		s1, s2 := scales64(k + float64(s))
		return mul64(mul64(p, s1), s2), 0
	}
	r0 := math.FMA(k, -ln2hi64, h)
	r := math.FMA(k, -ln2lo64, r0)
	r2 := mul64(r, r)
	qv := horner2(q, r, r2)
	sv := math.FMA(qv, r2, r)
	p := sv + 1
	s1, s2 := scales64(k + float64(s))
	e = mul64(mul64(p, s1), s2)
	rlo := math.FMA(-k, ln2lo64, r0-r) // r0 - r is exact: the reduction's rounding error
	ds := math.FMA(qv, r2, r-sv)       // r - sv is exact (Sterbenz): sv's rounding error
	pLo := sv - (p - 1)
	cr := math.FMA(p, rlo, ds)
	el := mul64(mul64(pLo, s1), s2)
	el2 := mul64(mul64(cr, s1), s2)
	return e, math.FMA(e, dl, el+el2)
}

// maxRow returns the largest non-NaN element of x (-Inf if none), + 0.
func maxRow[F float32 | float64](x []F) F {
	m := F(math.Inf(-1))
	for _, v := range x {
		if v > m {
			m = v
		}
	}
	return m + 0
}

// SoftmaxHsum adds W lanes across (in place): halves first.
func SoftmaxHsum(a []float64) float64 {
	for w := len(a) / 2; w >= 1; w /= 2 {
		for i := range w {
			a[i] = a[i] + a[i+w]
		}
	}
	return a[0]
}

// SoftmaxHsumDD adds W lanes of hi+lo pairs across (in place), halves
// first: the his by TwoSum, their errors added to the los, the los summed
// beside.
func SoftmaxHsumDD(hi, lo []float64) (float64, float64) {
	for w := len(hi) / 2; w >= 1; w /= 2 {
		for i := range w {
			s := dd.TwoSum(hi[i], hi[i+w])
			hi[i] = s.Hi
			lo[i] = (lo[i] + lo[i+w]) + s.Lo
		}
	}
	return hi[0], lo[0]
}

// SoftmaxReduce32 is the lanes' reduction of one float32 row with W float64
// lanes (W = 2, 4 or 8): its maximum, O' = Σ_{j≠c} E'_j and E'_c (see the
// file's comment), storing E'_j rounded to float32 where store is not nil.
func SoftmaxReduce32(w int, x []float32, c int, store []float32) (m float32, o, ec float64) {
	m = maxRow(x)
	mf := float64(m)
	var acc, accC [8]float64
	for j0 := 0; j0 < len(x); j0 += w {
		for i := range w {
			j := j0 + i
			if j >= len(x) {
				break
			}
			xv := float64(x[j])
			d := xv - mf
			if xv == mf {
				d = 0
			}
			e, _ := smExp(d, 0, smLo32, smScale32, smQ32, false)
			if store != nil {
				store[j] = float32(e)
			}
			if j == c {
				accC[i] += e
			} else {
				acc[i] += e
			}
		}
	}
	return m, SoftmaxHsum(acc[:w]), SoftmaxHsum(accC[:w])
}

// SoftmaxReduce64 is SoftmaxReduce32 for a float64 row: O' and E'_c as
// hi+lo (see the file's comment).
func SoftmaxReduce64(w int, x []float64, c int, store []float64) (m, ohi, olo, echi, eclo float64) {
	m = maxRow(x)
	var hi, lo, hiC, loC [8]float64
	for j0 := 0; j0 < len(x); j0 += w {
		for i := range w {
			j := j0 + i
			if j >= len(x) {
				break
			}
			xv := x[j]
			ds := dd.TwoSum(xv, -m)
			if xv == m {
				ds = dd.DD{}
			}
			if ds.Hi-ds.Hi != 0 { // ±Inf (or NaN): its error term is meaningless
				ds.Lo = 0
			}
			e, elo := smExp(ds.Hi, ds.Lo, smLo64, smScale64, expQ64[:], true)
			if store != nil {
				store[j] = e + elo // with d's error dl in it: |dl| can be 2^-44 of e
			}
			if j == c {
				hiC[i], loC[i] = e, elo
				continue
			}
			s := dd.TwoSum(hi[i], e)
			hi[i] = s.Hi
			lo[i] = (lo[i] + elo) + s.Lo
		}
	}
	ohi, olo = SoftmaxHsumDD(hi[:w], lo[:w])
	echi, eclo = SoftmaxHsumDD(hiC[:w], loC[:w])
	return m, ohi, olo, echi, eclo
}

// SoftmaxScale32 sets g_j = (g_j·f)·2^-64 in float64, rounded to float32:
// the stored E'_j times the row's factor f, unscaled (exactly, in float64's
// range), so that f need not be scaled itself, which could underflow it.
func SoftmaxScale32(g []float32, f float64) {
	for j, v := range g {
		g[j] = float32(float64(float64(v)*f) * 0x1p-64)
	}
}

// SoftmaxScale64 sets g_j = (g_j·f)·2^-512: rounded once, where g_j is normal.
func SoftmaxScale64(g []float64, f float64) {
	for j, v := range g {
		g[j] = float64(v*f) * 0x1p-512
	}
}

// What impl/archsimd's softmax lanes mirror: the stored exps' scales and
// their clamps, and the float32 rows' exp polynomial's length.
const (
	SoftmaxScale32Exp = smScale32
	SoftmaxScale64Exp = smScale64
	SoftmaxLo32       = smLo32
	SoftmaxLo64       = smLo64
	SoftmaxQ32Len     = smQ32Len
	SoftmaxLn2        = smLn2
	SoftmaxNarrow64   = smNarrow64
)

// horner2 evaluates a polynomial (coefficients highest first, an even number)
// as pairs c0·r + c1, Horner's scheme in r²: the softmax lanes' exp, whose
// float32 rows take fewer coefficients than expPoly64's fixed twelve.
func horner2(cs []float64, r, r2 float64) float64 {
	q := math.FMA(cs[0], r, cs[1])
	for i := 2; i < len(cs); i += 2 {
		q = math.FMA(q, r2, math.FMA(cs[i], r, cs[i+1]))
	}
	return q
}
