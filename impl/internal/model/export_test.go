package model

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/internal/bigref"
)

// The primitives the model exports for kernels written in Go, measured
// against references: the float32 ones against float64's math (whose own
// error, 2^-53, is far below what is measured), the float64 ones against
// math/big (internal/bigref). The bounds asserted are the maxima measured
// (TestPrimitives64: over 20000 draws, of which the test now takes 5000),
// rounded up.

// relErr32 returns |got - want|/|want| in units of 2^-24 (half a float32 ULP
// of a value in [1, 2)).
func relErr32(got, want float64) float64 { return math.Abs(got-want) / math.Abs(want) * 0x1p24 }

// TestPrimitives32: ExpSplit32's e+eLo is exp(h+lo) and e alone within a
// float32 rounding of it; LogHL32's hi+lo is log(ah); Log1pHL32's l+lo is
// log1p(e') and l alone within a float32 rounding; and ExpSplit32 scales to
// subnormal results with one rounding.
func TestPrimitives32(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	var expPair, expHi, logPair, l1pPair, l1pHi float64
	for range 200000 {
		h := -float32(rng.Float64() * 87)
		lo := float32(rng.NormFloat64() * 1e-6)
		e, el := ExpSplit32(h, lo, true)
		want := math.Exp(float64(h) + float64(lo))
		expPair = max(expPair, relErr32(float64(e)+float64(el), want))
		expHi = max(expHi, relErr32(float64(e), want))

		ah := float32(math.Exp2(-rng.Float64() * 126))
		hi, lo2 := LogHL32(ah)
		if w := math.Log(float64(ah)); w != 0 {
			logPair = max(logPair, math.Abs(float64(hi)+float64(lo2)-w)/math.Max(math.Abs(w), 0x1p-24)*0x1p24)
		}

		ev := float32(rng.Float64())
		u := 1 + ev
		c := float32((ev - (u - 1)) * (1 / u))
		l, llo := Log1pHL32(u, c)
		w := math.Log1p(float64(ev))
		if w > 0 {
			l1pPair = max(l1pPair, relErr32(float64(l)+float64(llo), w))
			l1pHi = max(l1pHi, relErr32(float64(l), w))
		}
	}
	t.Logf("ExpSplit32: e+eLo within %.3g, e %.3g units of 2^-24 relative", expPair, expHi)
	t.Logf("LogHL32: hi+lo within %.3g units of 2^-24·max(|log|, 2^-24)", logPair)
	t.Logf("Log1pHL32: l+lo within %.3g, l %.3g units of 2^-24 relative", l1pPair, l1pHi)
	checkBars(t, "", []bar{
		{"ExpSplit32 e+eLo", expPair, 1.1}, {"ExpSplit32 e", expHi, 1.7},
		{"LogHL32 hi+lo", logPair, 0.3}, {"Log1pHL32 l+lo", l1pPair, 0.5}, {"Log1pHL32 l", l1pHi, 1.4},
	})
	// subnormal results: one rounding of the exact exp
	for h := float32(-87.5); h > -104; h -= 0.0137 {
		e, _ := ExpSplit32(h, 0, false)
		want := float32(math.Exp(float64(h)))
		if d := math.Abs(float64(e) - float64(want)); d > 0x1p-149 {
			t.Errorf("ExpSplit32(%v) = %v, want %v", h, e, want)
		}
	}
}

// ulpErr64 returns |got - want| in units of the last place of want rounded
// to float64; got is a sum of float64s.
func ulpErr64(want *big.Float, got ...float64) float64 {
	g := bigref.Float(0)
	for _, v := range got {
		g.Add(g, bigref.Float(v))
	}
	d, _ := bigref.New().Sub(g, want).Float64()
	w, _ := want.Float64()
	return math.Abs(d) / (math.Nextafter(math.Abs(w), math.Inf(1)) - math.Abs(w))
}

// TestPrimitives64: the float64 lanes' exp (ExpSplit64), log1p (Log1pE64)
// and sigmoids (ElemHard64's) against math/big.
func TestPrimitives64(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	n := 5000
	if testing.Short() {
		n = 1000
	}
	// exp(h) = e + eLo, h ∈ [-708, 0] (normal results); the pair where eLo
	// is normal too (h ≥ -660: below, eLo loses its low bits to underflow)
	var expPair, expHi float64
	for i := range n {
		h := -rng.Float64() * 708
		if i%4 == 0 {
			h = -rng.Float64() * 2
		}
		e, el := ExpSplit64(h, 0, false)
		want := bigref.Exp(bigref.Float(h))
		if h >= -660 {
			expPair = max(expPair, ulpErr64(want, e, el))
		}
		expHi = max(expHi, ulpErr64(want, e))
	}
	// L = log(u) for u = 1+e ∈ [1, 2], c = 0
	var logHi float64
	for range n {
		u := 1 + rng.Float64()
		logHi = max(logHi, ulpErr64(bigref.Log(bigref.Float(u)), Log1pE64(u, 0)))
	}
	// σ(|z|) and σ(-|z|), |z| ∈ [0, 700]
	var sigP, sigN float64
	for i := range n {
		a := rng.Float64() * 700
		if i%2 == 0 {
			a = rng.Float64() * 20
		}
		e, el := ExpSplit64(-a, 0, false)
		_, _, sp := sigma64(e, el)
		sn := math.FMA(e, sp, mul64(el, sp))
		ex := bigref.Exp(bigref.Float(-a))
		den := bigref.New().Add(bigref.Float(1), ex)
		sigP = max(sigP, ulpErr64(bigref.New().Quo(bigref.Float(1), den), sp))
		sigN = max(sigN, ulpErr64(bigref.New().Quo(ex, den), sn))
	}
	t.Logf("ExpSplit64: e+eLo within %.3f ULP (h ≥ -660), e alone %.3f", expPair, expHi)
	t.Logf("Log1pE64: within %.3f ULP", logHi)
	t.Logf("σ(|z|) within %.3f ULP, σ(-|z|) %.3f", sigP, sigN)
	checkBars(t, " ULP", []bar{
		{"exp pair", expPair, 0.5}, {"exp", expHi, 1.0}, {"log", logHi, 0.8},
		{"σ(|z|)", sigP, 0.6}, {"σ(-|z|)", sigN, 1.3},
	})
}

// bar is a measured error (got) and the most it may be (max).
type bar struct {
	name     string
	got, max float64
}

// checkBars fails the test for each bar whose error is above its maximum,
// unit naming the errors' unit.
func checkBars(t *testing.T, unit string, bars []bar) {
	t.Helper()
	for _, b := range bars {
		if b.got > b.max {
			t.Errorf("%s: %.3g%s > %g", b.name, b.got, unit, b.max)
		}
	}
}
