package fast_test

import (
	"math"
	"testing"

	"github.com/focalkernels/focal/impl/internal/fast"
	"github.com/focalkernels/focal/impl/internal/kerneltest"
	"github.com/focalkernels/focal/internal/bigref"
	"github.com/focalkernels/focal/internal/ulp"
)

// specials are logits and targets at the edges: NaN, ±Inf, ±0, subnormals,
// the largest finite values, where e^-|x| leaves the normal range and
// vanishes, with hard, soft, tiny and subnormal targets.
func specials[F kerneltest.Float]() (x, t []F) {
	nan, inf := F(math.NaN()), F(math.Inf(1))
	maxF, tiny := F(math.MaxFloat32), F(math.SmallestNonzeroFloat32)
	edge := []F{17, 88.7, 103.9, 104, 150}
	if !kerneltest.Is32[F]() {
		maxV, tinyV := math.MaxFloat64, math.SmallestNonzeroFloat64 // variables: F may be float32
		maxF, tiny = F(maxV), F(tinyV)
		edge = []F{37, 708.3, 709.8, 745, 745.2, 800}
	}
	negZero := F(math.Copysign(0, -1))
	xs := []F{nan, inf, -inf, 0, negZero, tiny, -tiny, maxF, -maxF, 1, -1, 1e-30, -1e-30}
	for _, v := range edge {
		xs = append(xs, v, -v)
	}
	ts := []F{0, 1, nan, 0.5, 0.05, 0.95, 1e-30, tiny, 1 - F(0x1p-24), F(0x1p-60)}
	for _, xv := range xs {
		for _, tv := range ts {
			x, t = append(x, xv), append(t, tv)
		}
	}
	return x, t
}

// TestSpecial32: over specials, every γ (large ones included) and α off,
// 0, 0.25 and 1, the float32 kernel gives NaN, ±Inf and finite values
// exactly where stable does (NaN in gives NaN; x = ±Inf the limits), and
// the finite ones within the bars of stable's (3 ULP and 6 units, stable
// being within 1 and 2 of the truth).
func TestSpecial32(t *testing.T) {
	x, tt := specials[float32]()
	againstStable(t, x, tt, barLoss-1, barGrad-2)
}

// TestSpecial64 is TestSpecial32 for float64, within the sum of both bars
// of stable's (stable being within 4 ULP and 8 units of the truth): the
// float64 edges (e^-|x| subnormal from 708.4, 0 from 745.2) included.
func TestSpecial64(t *testing.T) {
	x, tt := specials[float64]()
	againstStable(t, x, tt, 2*barLoss, 2*barGrad)
}

// TestLimits: x = ±Inf gives the loss's limit, 0 where the target matches
// the sign (x=+Inf, t=1; x=-Inf, t=0) and where α_t = 0, +Inf otherwise,
// even where q^γ underflows (γ = 1e4, t = 0.5); NaN in either input gives
// NaN in both outputs, whatever α_t.
func TestLimits(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct {
		x, t, alpha, gamma, loss float64
	}{
		{inf, 1, 0.25, 2, 0}, {-inf, 0, 0.25, 2, 0}, {inf, 0, 0.25, 2, inf}, {-inf, 1, 0.25, 2, inf},
		{inf, 0, 1, 2, 0}, {-inf, 1, 0, 2, 0}, {-inf, 0.5, -1, 1e4, inf}, {inf, 0.5, -1, 0, inf},
	} {
		l32, g32 := fast.Elem32(float32(c.x), float32(c.t), fast.NewWeight(c.alpha), ptr(fast.NewGamma(c.gamma)), true)
		l64, g64 := fast.Elem64(c.x, c.t, fast.NewWeight(c.alpha), ptr(fast.NewGamma(c.gamma)), true)
		for _, got := range []float64{float64(float32(l32)), l64} {
			if got != c.loss {
				t.Errorf("x=%v t=%v α=%v γ=%v: loss %v, want %v", c.x, c.t, c.alpha, c.gamma, got, c.loss)
			}
		}
		for _, g := range []float64{g32, g64} {
			if g != g || math.IsInf(g, 0) || c.loss == 0 && g != 0 {
				t.Errorf("x=%v t=%v α=%v γ=%v: gradient %v", c.x, c.t, c.alpha, c.gamma, g)
			}
		}
	}
	for _, alpha := range []float64{0, 1, 0.25} {
		for _, c := range [][2]float64{{math.NaN(), 0}, {math.NaN(), 1}, {math.NaN(), 0.3}, {1, math.NaN()}} {
			l32, g32 := fast.Elem32(float32(c[0]), float32(c[1]), fast.NewWeight(alpha), ptr(fast.NewGamma(2)), true)
			l64, g64 := fast.Elem64(c[0], c[1], fast.NewWeight(alpha), ptr(fast.NewGamma(2)), true)
			if l32 == l32 || g32 == g32 || l64 == l64 || g64 == g64 {
				t.Errorf("x=%v t=%v α=%v: %v %v, %v %v; want NaN", c[0], c[1], alpha, l32, g32, l64, g64)
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestPowerUnderflow64: a float64 soft target so small that q^γ underflows
// while CE ≈ t·|x| keeps the loss normal (t = 2^-401, x = -1.486e215, γ =
// 3: 2.09e-268) takes the scalar path, which scales q^γ by a power of two:
// the loss is within the bar of math/big's, not 0.
func TestPowerUnderflow64(t *testing.T) {
	var normal int
	for _, gamma := range []float64{0.5, 1, 2, 3, 4.5} {
		for _, tv := range []float64{0x1p-401, 0x1p-300, 1e-200, 0x1p-1000} {
			for _, xv := range []float64{-1.486e215, -1e300, -1e100, -math.MaxFloat64} {
				loss, grad := make([]float64, 1), make([]float64, 1)
				fast.LossGrad64(loss, grad, []float64{xv}, []float64{tv}, 0.25, gamma)
				bl, _, _ := bigref.Ref64(xv, tv, 0.25, gamma)
				if !normal64(bl) {
					continue
				}
				normal++
				if d := ulp.Dist64(loss[0], bl); d > barLoss {
					t.Errorf("γ=%v t=%v x=%v: loss %v, truth %v (%d ULP)", gamma, tv, xv, loss[0], bl, d)
				}
			}
		}
	}
	if normal < 40 {
		t.Errorf("only %d normal losses", normal)
	}
}
