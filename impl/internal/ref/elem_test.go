package ref

import (
	"math"
	"testing"

	"github.com/focalkernels/focal/internal/bigref"
	"github.com/focalkernels/focal/internal/ulp"
)

// TestElemAt: ElemAt weighs the loss and the gradient by the α_t it is
// given: AlphaT's gives Elem's bits, twice it gives twice the values (a
// power of two: exact), and α_t = 0 gives 0 even at x = ±Inf, where CE is
// +Inf; hard and soft targets, every γ mode.
func TestElemAt(t *testing.T) {
	inf := math.Inf(1)
	xs := []float64{-30, -2.5, -1e-8, 0, 0.3, 4, 40, inf, -inf}
	ts := []float64{0, 1, 0.05, 0.5, 0.95, 1e-300}
	for _, gamma := range []float64{0, 1, 2, 1.5, 7} {
		for _, alpha := range []float64{-1, 0.25, 0.9} {
			for _, x := range xs {
				for _, tv := range ts {
					l, g := Elem(x, tv, alpha, gamma, true)
					at := AlphaT(alpha, tv)
					la, ga := ElemAt(x, tv, at, gamma, true)
					if math.Float64bits(l) != math.Float64bits(la) || math.Float64bits(g) != math.Float64bits(ga) {
						t.Errorf("x=%v t=%v α=%v γ=%v: ElemAt %v %v, Elem %v %v", x, tv, alpha, gamma, la, ga, l, g)
					}
					l2, g2 := ElemAt(x, tv, 2*at, gamma, true)
					if l2 != 2*l || g2 != 2*g {
						t.Errorf("x=%v t=%v α=%v γ=%v: α_t doubled gives %v %v, want %v %v", x, tv, alpha, gamma, l2, g2, 2*l, 2*g)
					}
					if l0, g0 := ElemAt(x, tv, 0, gamma, true); l0 != 0 || g0 != 0 {
						t.Errorf("x=%v t=%v γ=%v: α_t = 0 gives %v %v, want 0 0", x, tv, gamma, l0, g0)
					}
				}
			}
		}
	}
}

// TestScale: Scale is |dx| where the gradient's terms have one sign (hard
// targets, ±Inf), at least |dx| always, and above it where they cancel: a
// soft target at σ(x) = t leaves the γ-term alone; at γ = 0 it is |dx|.
func TestScale(t *testing.T) {
	for _, gamma := range []float64{0, 1, 2, 1.5} {
		for _, x := range []float64{-30, -2.5, -1e-8, 0, 0.3, 4, 40, math.Inf(1)} {
			for _, tv := range []float64{0, 1, 0.05, 0.5, 0.95} {
				at := AlphaT(0.25, tv)
				_, dx := ElemAt(x, tv, at, gamma, true)
				s := Scale(x, tv, at, gamma)
				if s < math.Abs(dx)*(1-1e-15) || (tv == 0 || tv == 1 || gamma == 0 || math.IsInf(x, 0)) && s != math.Abs(dx) {
					t.Errorf("x=%v t=%v γ=%v: Scale %v, |dx| %v", x, tv, gamma, s, math.Abs(dx))
				}
			}
		}
		// σ(x) = t: the d-term vanishes, the γ-term does not (t ≠ 1/2)
		x, tv := math.Log(0.05/0.95), 0.05
		_, dx := ElemAt(x, tv, 1, gamma, true)
		if s := Scale(x, tv, 1, gamma); gamma != 0 && s < math.Abs(dx) {
			t.Errorf("σ(x) = t, γ=%v: Scale %v, |dx| %v", gamma, s, math.Abs(dx))
		}
	}
	// terms of opposite signs: σ(x) > t > 1/2 (x = 3, t = 0.7), γ = 2
	_, dx := ElemAt(3, 0.7, 1, 2, true)
	if s := Scale(3, 0.7, 1, 2); !(s > math.Abs(dx)*1.01) {
		t.Errorf("x=3 t=0.7 γ=2: Scale %v, want above |dx| = %v (the terms have opposite signs)", s, math.Abs(dx))
	}
}

// TestPowerUnderflow: a soft target's q^γ may underflow while CE ≈ t·|x|
// keeps the loss normal (q ≈ t at large negative x, q ≈ 1-t at large
// positive x); the loss is then within 4 ULP of math/big's, not 0, and the
// gradient within 8 units of its scale. (Before q^γ was scaled, x =
// -1.486e215, t = 2^-401, γ = 3 gave 0 for 2.09e-268.)
func TestPowerUnderflow(t *testing.T) {
	type tc struct{ x, t float64 }
	var cases []tc
	for _, tv := range []float64{0x1p-401, 0x1p-300, 1e-200, 0x1p-1000, 0x1p-1074} {
		for _, x := range []float64{-1.486e215, -1e300, -1e250, -math.MaxFloat64, -1e100, -800} {
			cases = append(cases, tc{x, tv})
		}
	}
	for _, x := range []float64{1e300, 1e200, 1e30, 800} {
		cases = append(cases, tc{x, 1 - 0x1p-53}, tc{x, 1 - 0x1p-40})
	}
	var normal int
	for _, gamma := range []float64{0.5, 1, 1.5, 2, 3, 5, 7, 50, 300} {
		for _, alpha := range []float64{-1, 0.25} {
			for _, c := range cases {
				l, g := Elem(c.x, c.t, alpha, gamma, true)
				bl, bg, bs := bigref.Ref64(c.x, c.t, alpha, gamma)
				if bl < 0x1p-1022 {
					if !(l < 0x1p-1021) {
						t.Errorf("x=%v t=%v α=%v γ=%v: loss %v, truth %v", c.x, c.t, alpha, gamma, l, bl)
					}
					continue
				}
				normal++
				if d := ulp.Dist64(l, bl); d > 4 {
					t.Errorf("x=%v t=%v α=%v γ=%v: loss %v, truth %v (%d ULP)", c.x, c.t, alpha, gamma, l, bl, d)
				}
				if bs >= 0x1p-1022 {
					if e := ulp.GradErr(g, bg, bs, ulp.Eps64); e > 8 {
						t.Errorf("x=%v t=%v α=%v γ=%v: gradient %v, truth %v (%.3g units)", c.x, c.t, alpha, gamma, g, bg, e)
					}
				}
			}
		}
	}
	if normal < 100 {
		t.Errorf("only %d of the cases have a normal loss", normal)
	}
	t.Logf("%d losses normal", normal)
}
