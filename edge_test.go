package focal_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/internal/bigref"
	"github.com/focalkernels/focal/internal/ulp"
)

var retina = focal.Params{Alpha: 0.25, Gamma: 2}

// bothTypes runs a generic test's float32 and float64 instances as subtests
// named after the type, so a failure says which type it is in.
func bothTypes(t *testing.T, f32, f64 func(*testing.T)) {
	t.Run("float32", f32)
	t.Run("float64", f64)
}

func TestEdgeEmpty(t *testing.T) { bothTypes(t, testEdgeEmpty[float32], testEdgeEmpty[float64]) }

func testEdgeEmpty[F focal.Float](t *testing.T) {
	for _, k := range focal.Kernels[F]() {
		if s := k.Sum(nil, nil, retina); s != 0 {
			t.Errorf("%s: Sum of nothing = %v, want 0", k.Name(), s)
		}
		k.Loss(nil, nil, nil, retina)
		k.LossGrad(nil, nil, nil, nil, retina)
		k.LossGrad([]F{}, []F{}, []F{}, []F{}, retina)
	}
	if m, err := focal.Mean[F](nil, nil, retina); err != nil || !math.IsNaN(m) {
		t.Errorf("Mean of nothing = %v, %v; want NaN, nil", m, err)
	}
}

// Every length from 1 to 70 gives, element by element, what one element
// alone gives, and Sum agrees with the sum of Loss: no tail is dropped or doubled.
func TestEdgeLengths(t *testing.T) {
	testEdgeLengths[float32](t, 1e-6)
	testEdgeLengths[float64](t, 1e-12)
}

func testEdgeLengths[F focal.Float](t *testing.T, sumTol float64) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, k := range focal.Kernels[F]() {
		for _, p := range []focal.Params{retina, {Alpha: -1, Gamma: 1.5}, {Alpha: 0.5, Gamma: 0}} {
			for n := 1; n <= 70; n++ {
				x, tt := make([]F, n), make([]F, n)
				for i := range x {
					x[i] = F(6 * r.NormFloat64())
					tt[i] = F([]float64{0, 1, 0.3}[r.IntN(3)])
				}
				loss, grad, lg := make([]F, n), make([]F, n), make([]F, n)
				k.Loss(loss, x, tt, p)
				k.LossGrad(lg, grad, x, tt, p)
				var want float64
				for i := range x {
					one, oneGrad := make([]F, 1), make([]F, 1)
					k.LossGrad(one, oneGrad, x[i:i+1], tt[i:i+1], p)
					if !same(loss[i], one[0]) || !same(lg[i], one[0]) || !same(grad[i], oneGrad[0]) {
						t.Fatalf("%s n=%d i=%d %+v: in a slice loss %v (LossGrad %v) grad %v; alone %v %v",
							k.Name(), n, i, p, loss[i], lg[i], grad[i], one[0], oneGrad[0])
					}
					want += float64(loss[i])
				}
				if s := k.Sum(x, tt, p); s != want && !(math.Abs(s-want) <= sumTol*want) && !(math.IsNaN(s) && math.IsNaN(want)) {
					t.Fatalf("%s n=%d %+v: Sum %v, sum of Loss %v", k.Name(), n, p, s, want)
				}
			}
		}
	}
}

// Special values: NaN propagates; ±Inf gives the limit; the largest and the
// subnormal logits stay finite where the truth is. Naive is excused where
// the README says it breaks.
func TestEdgeSpecial(t *testing.T) {
	testEdgeSpecial[float32](t, 3e38)
	testEdgeSpecial[float64](t, 3e38)
}

func testEdgeSpecial[F focal.Float](t *testing.T, big float64) {
	inf := math.Inf(1)
	sub := 1e-40 // subnormal in float32, normal in float64
	if !is32[F]() {
		sub = 1e-310
	}
	cases := []struct {
		x, t         float64
		p            focal.Params
		loss, grad   float64 // want; NaN means NaN
		naiveExcused bool
	}{
		{math.NaN(), 1, retina, math.NaN(), math.NaN(), false},
		{1, math.NaN(), focal.Params{Alpha: -1, Gamma: 2}, math.NaN(), math.NaN(), false},
		{inf, 1, retina, 0, 0, true},
		{inf, 0, retina, inf, 0.75, true},
		{-inf, 0, retina, 0, 0, true},
		{-inf, 1, retina, inf, -0.25, true},
		{big, 1, retina, 0, 0, true},
		{big, 0, retina, 0.75 * big, 0.75, true},
		{-big, 1, retina, 0.25 * big, -0.25, true},
		{-big, 0, retina, 0, 0, true},
		{-big, 1, focal.Params{Alpha: -1, Gamma: 0}, big, -1, true},
		{sub, 1, retina, 0.25 * 0.25 * math.Ln2, 0.25 * (-0.25*math.Ln2 - 0.125), false},
		{0, 0, focal.Params{Alpha: -1, Gamma: 0}, math.Ln2, 0.5, false},
		// γ = 0 with p_t = 1: (1-p_t)^0 = 1, the loss is α_t·CE = 0, not NaN.
		{inf, 1, focal.Params{Alpha: 0.25, Gamma: 0}, 0, 0, true},
		{-inf, 0, focal.Params{Alpha: 0.25, Gamma: 0}, 0, 0, true},
	}
	for _, k := range focal.Kernels[F]() {
		for _, c := range cases {
			if k.Name() == "naive" && c.naiveExcused {
				continue
			}
			loss, grad := make([]F, 1), make([]F, 1)
			x, tt := []F{F(c.x)}, []F{F(c.t)}
			k.Loss(loss, x, tt, c.p)
			k.LossGrad(nil, grad, x, tt, c.p)
			if !close(float64(loss[0]), float64(F(c.loss))) || !close(float64(grad[0]), float64(F(c.grad))) {
				t.Errorf("%s x=%g t=%g %+v: loss %v grad %v, want %v %v", k.Name(), c.x, c.t, c.p, loss[0], grad[0], F(c.loss), F(c.grad))
			}
		}
	}
}

// close compares within 1e-6 relative, with NaN equal to NaN.
func close(got, want float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	if math.IsInf(want, 0) {
		return got == want
	}
	return math.Abs(got-want) <= 1e-6*math.Abs(want)
}

func is32[F focal.Float]() bool { return float64(F(1)+F(0x1p-30)) == 1 }

// same is == with NaN equal to NaN.
func same[F focal.Float](a, b F) bool { return a == b || (a != a && b != b) }

// TestEdgePowerUnderflow: a float64 soft target so small that (1-p_t)^γ
// underflows while CE ≈ t·|x| keeps the loss normal (t = 2^-401 at x =
// -1.486e215 and γ = 3: 2.09e-268) gets that loss from every kernel that
// declares a ULP bar, within it, not 0: the vector kernels leave such a
// lane to the scalar path, which scales (1-p_t)^γ by a power of two.
func TestEdgePowerUnderflow(t *testing.T) {
	cases := []struct{ x, t, gamma float64 }{
		{-1.486e215, 0x1p-401, 3}, {-1e300, 0x1p-300, 2}, {-1e250, 1e-100, 4.5}, {-math.MaxFloat64, 0x1p-700, 1.5},
	}
	for _, k := range focal.Kernels[float64]() {
		bar, ok := focal.BarOf[float64](k.Name())
		if !ok || bar.LossULP == 0 {
			continue
		}
		for _, c := range cases {
			p := focal.Params{Alpha: 0.25, Gamma: c.gamma}
			want, _, _ := bigref.Ref64(c.x, c.t, p.Alpha, p.Gamma)
			if !(want >= 0x1p-1022) {
				t.Fatalf("x=%v t=%v γ=%v: the truth %v is not normal", c.x, c.t, c.gamma, want)
			}
			// a whole vector of it, and the element alone
			for _, n := range []int{1, 37} {
				x, tt, loss := make([]float64, n), make([]float64, n), make([]float64, n)
				for i := range x {
					x[i], tt[i] = c.x, c.t
				}
				k.Loss(loss, x, tt, p)
				for i, l := range loss {
					if d := ulp.Dist64(l, want); d > bar.LossULP {
						t.Errorf("%s n=%d [%d] x=%v t=%v γ=%v: loss %v, truth %v (%d ULP)", k.Name(), n, i, c.x, c.t, c.gamma, l, want, d)
						break
					}
				}
			}
		}
	}
}
