package dd

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/internal/bigref"
)

// bigLog1p is log(1+w): by its series where |w| < 2^-20, where 1+w would
// round w's low bits away even at 200 bits.
func bigLog1p(w *big.Float) *big.Float {
	if w.MantExp(nil) > -20 {
		return bigref.Log(new(big.Float).SetPrec(200).Add(w, new(big.Float).SetFloat64(1)))
	}
	sum, pow := new(big.Float).SetPrec(200), new(big.Float).SetPrec(200).Set(w)
	for k := 1; k < 12; k++ {
		t := new(big.Float).SetPrec(200).Quo(pow, new(big.Float).SetFloat64(float64(k)))
		if k%2 == 0 {
			t.Neg(t)
		}
		sum.Add(sum, t)
		pow.Mul(pow, w)
	}
	return sum
}

func bigOf(v DD) *big.Float {
	b := new(big.Float).SetPrec(200).SetFloat64(v.Hi)
	return b.Add(b, new(big.Float).SetPrec(200).SetFloat64(v.Lo))
}

func relErr(got DD, want *big.Float) float64 {
	if want.Sign() == 0 {
		return math.Abs(got.Hi)
	}
	d := new(big.Float).SetPrec(200).Sub(bigOf(got), want)
	r, _ := d.Quo(d, want).Float64()
	return math.Abs(r)
}

// testArgs are double-double arguments of every magnitude from 2^-1000 to
// 2^100 (Lo a random fraction of Hi's last place), and the boundaries.
func testArgs(rng *rand.Rand, lo, hi int) []DD {
	var vs []DD
	for range 3000 {
		h := math.Ldexp(1+rng.Float64(), lo+rng.IntN(hi-lo))
		vs = append(vs, FastTwoSum(h, float64(h*0x1p-53)*(rng.Float64()-0.5)))
	}
	for _, h := range []float64{0x1p-20, 0x1.fffffp-21, 0x1.00001p-20, 1, 0.5, 2, 0x1p-1000} {
		vs = append(vs, DD{h, 0})
	}
	return vs
}

func TestLog1p(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	worst := 0.0
	for _, v := range testArgs(rng, -1000, 100) {
		for _, s := range []float64{1, -1} {
			w := DD{s * v.Hi, s * v.Lo}
			if w.Hi < -0.5 {
				continue // log1p's domain is (-1, ∞); the softmax needs [-1/2, ∞)
			}
			want := bigLog1p(bigOf(w))
			if e := relErr(Log1p(w), want); e > 2e-19 {
				t.Fatalf("Log1p(%v): relative error %.3g", w, e)
			} else {
				worst = max(worst, e)
			}
		}
	}
	t.Logf("Log1p: largest relative error %.3g", worst)
	if l := Log1p(DD{}); l != (DD{}) {
		t.Errorf("Log1p(0) = %v", l)
	}
}

func TestLog(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	worst := 0.0
	for _, v := range testArgs(rng, -1020, 1020) {
		want := bigref.Log(bigOf(v))
		d := new(big.Float).SetPrec(200).Sub(bigOf(Log(v)), want)
		e, _ := d.Float64()
		if math.Abs(e) > 1e-19 {
			t.Fatalf("Log(%v): absolute error %.3g", v, e)
		}
		worst = max(worst, math.Abs(e))
	}
	t.Logf("Log: largest absolute error %.3g", worst)
}

func TestExpm1Neg(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	worst := 0.0
	for range 3000 {
		a := -math.Ldexp(1+rng.Float64(), rng.IntN(80)-70)
		if a < -700 {
			continue
		}
		want := new(big.Float).SetPrec(200).Sub(bigref.Exp(bigref.Float(a)), new(big.Float).SetFloat64(1))
		if e := relErr(Expm1Neg(a), want); e > 2e-19 {
			t.Fatalf("Expm1Neg(%v): relative error %.3g", a, e)
		} else {
			worst = max(worst, e)
		}
	}
	t.Logf("Expm1Neg: largest relative error %.3g", worst)
	if e := Expm1Neg(-800); e.Hi != -1 {
		t.Errorf("Expm1Neg(-800) = %v, want -1", e)
	}
}

// ExpNegScaled keeps the bits that ExpNeg would round away as a subnormal.
func TestExpNegScaled(t *testing.T) {
	for _, a := range []float64{-0.5, -700, -745, -800, -1200} {
		got := bigOf(ExpNegScaled(a, 900))
		want := bigref.Exp(bigref.Float(a))
		want.SetMantExp(want, 900)
		if e := relErr(ExpNegScaled(a, 900), want); e > 1e-19 {
			t.Errorf("ExpNegScaled(%v, 900) = %v: relative error %.3g", a, got, e)
		}
	}
	if e := ExpNegScaled(-0.25, 0); e != ExpNeg(-0.25) {
		t.Errorf("ExpNegScaled(a, 0) = %v, ExpNeg(a) = %v", e, ExpNeg(-0.25))
	}
}

// Scale is math.Ldexp on each part, bit for bit, subnormal results included.
func TestScale(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 100000 {
		v := DD{math.Ldexp(rng.Float64()+0.5, rng.IntN(2200)-1100), math.Ldexp(rng.Float64()-0.5, rng.IntN(2200)-1100)}
		k := rng.IntN(2300) - 1150
		got, want := v.Scale(k), DD{math.Ldexp(v.Hi, k), math.Ldexp(v.Lo, k)}
		if math.Float64bits(got.Hi) != math.Float64bits(want.Hi) || math.Float64bits(got.Lo) != math.Float64bits(want.Lo) {
			t.Fatalf("%v.Scale(%d) = %v, Ldexp gives %v", v, k, got, want)
		}
	}
}
