package fast

import (
	"math"
	"math/big"

	"github.com/focalkernels/focal/impl/internal/dd"
)

// The tables of exp and log, computed once at init from exact arithmetic
// (math/big, double-double), so that no constant in them is copied from
// elsewhere.

// expTab holds 2^(j/64), j = 0..63, as hi+lo (the sum within 2^-110 of it):
// 2^(1/64) by six square roots of 2 in 128-bit math/big, then its powers.
var expTab = func() (t [64]struct{ hi, lo float64 }) {
	const prec = 128
	r := new(big.Float).SetPrec(prec).SetInt64(2)
	for range 6 {
		r.Sqrt(r)
	}
	p := new(big.Float).SetPrec(prec).SetInt64(1)
	for j := range t {
		t[j].hi, _ = p.Float64()
		lo := new(big.Float).SetPrec(prec).Sub(p, new(big.Float).SetFloat64(t[j].hi))
		t[j].lo, _ = lo.Float64()
		p.Mul(p, r)
	}
	return t
}()

// logEntry is the reduction of an interval of mantissas m (see logTab):
// its centre c, a reciprocal ρ of c rounded to 9 bits, κ = c·ρ - 1
// (exact: 9 bits times 9), -log ρ as hi+lo, and half = 1 where the
// interval is of m/2 (m at least 1 + 53/128, just below √2).
type logEntry struct {
	c, rho, kappa float64
	hi, lo        float64
	half          uint64
}

// logTab holds the reduction of log m for m in [1, 2) by the top 7 bits j
// of m's fraction, m in [1 + j/128, 1 + (j+1)/128). From j = 53 on, the
// interval is halved (m/2 in [0.707, 1), and the exponent one more), so
// that log m is small near both sides of 1; the two intervals next to 1
// (j = 0, and j = 127 halved) have c = ρ = 1, so that r = m - 1 is exact
// there and log m keeps its relative accuracy. The others are centred.
var logTab = func() (t [128]logEntry) {
	for j := range t {
		e := &t[j]
		c := 1 + float64((float64(j)+0.5)/128) // exact either way; the conversion keeps it unfused
		if j >= 53 {
			c, e.half = c/2, 1
		}
		if j == 0 || j == 127 {
			c = 1
		}
		fr, ex := math.Frexp(1 / c)
		e.c, e.rho = c, math.Ldexp(math.Round(fr*512)/512, ex)
		e.kappa = float64(c*e.rho) - 1 // exact
		l := logDD(e.rho)
		e.hi, e.lo = -l.Hi, -l.Lo
	}
	return t
}()

// logDD returns log v for v in (0, 2] as hi+lo, to about 2^-64 relative:
// math.Log refined by one Newton step against dd.ExpNeg (log v = y +
// log(v/e^y) ≈ y + (v - E)/E, E = e^y), for v above 1 as ln2 + log(v/2).
func logDD(v float64) dd.DD {
	var k float64
	if v > 1 {
		v, k = v/2, 1
	}
	y := math.Log(v)
	e := dd.ExpNeg(y)
	d := dd.TwoSum(v, -e.Hi)
	l := dd.TwoSum(y, (d.Hi+(d.Lo-e.Lo))/e.Hi)
	return l.Add(ln2DD.MulF(k))
}

// ln2DD is ln 2 as hi+lo.
var ln2DD = dd.DD{Hi: 0x1.62e42fefa39efp-01, Lo: 0x1.abc9e3b39803fp-56}
