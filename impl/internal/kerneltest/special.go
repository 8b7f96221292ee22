package kerneltest

import (
	"fmt"
	"math"
	"testing"
)

// Special checks every level of family f on special inputs, one element a
// call and all in one call, at every γ of Gammas and a γ past the lanes':
// NaN in gives NaN out; x = ±Inf gives the limits (0 where the target
// agrees, +Inf and a finite gradient where it does not, for a soft target
// even where q^γ underflows); finite inputs over the element type's whole
// range give finite results; x = ±MaxFloat with the wrong hard target gives
// α_t·|x| within 1 ULP; and a one-element Sum is that element's Loss.
func Special[F Float](t *testing.T, f Family) {
	nan, inf, mx := F(math.NaN()), F(math.Inf(1)), F(MaxFloat[F]())
	x := []F{nan, 1, inf, inf, -inf, -inf, 0, mx, -mx, F(math.SmallestNonzeroFloat32),
		nan, inf, -inf, inf, -inf, mx, -mx, -1e30, 40, -0.5, mx, -mx}
	tt := []F{0, nan, 1, 0, 0, 1, 1, 1, 0, 0,
		0.3, 0.25, 0.25, 1e-30, 1e-30, 0.05, 1e-20, 1e-40, 0.95, 0.5, 0, 1}
	isNaN := []int{0, 1, 10}
	isZero := []int{2, 4}                           // x = +Inf, t = 1; x = -Inf, t = 0
	isInf := []int{3, 5, 11, 12, 13, 14}            // the wrong side at infinity
	wrongMax := map[int]float64{20: 0.75, 21: 0.25} // α_t of ±MaxFloat's wrong target
	for _, k := range Kernels[F](f, f.Levels()) {
		for _, gamma := range append(Gammas, 7.5) {
			for _, single := range []bool{false, true} {
				what := fmt.Sprintf("%s %s γ=%v single=%v", k.Name, TypeName[F](), gamma, single)
				n := len(x)
				loss, grad := make([]F, n), make([]F, n)
				if !single {
					k.LossGrad(loss, grad, x, tt, 0.25, gamma)
				}
				for i := range x {
					if !single {
						continue
					}
					k.LossGrad(loss[i:i+1], grad[i:i+1], x[i:i+1], tt[i:i+1], 0.25, gamma)
					for _, alpha := range []float64{0.25, -1} {
						l := make([]F, 1)
						k.Loss(l, x[i:i+1], tt[i:i+1], alpha, gamma)
						if s := k.Sum(x[i:i+1], tt[i:i+1], alpha, gamma); F(s) != l[0] && !(s != s && l[0] != l[0]) {
							t.Errorf("%s α=%v x=%v t=%v: Sum %v, Loss %v", what, alpha, x[i], tt[i], s, l[0])
						}
					}
				}
				for i := range x {
					bad := ""
					finite := func(v F) bool { return !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0) }
					switch {
					case contains(isNaN, i):
						if loss[i] == loss[i] || grad[i] == grad[i] {
							bad = "want NaN"
						}
					case contains(isZero, i):
						if loss[i] != 0 || grad[i] != 0 {
							bad = "want 0, 0"
						}
					case contains(isInf, i):
						if !math.IsInf(float64(loss[i]), 1) || !finite(grad[i]) {
							bad = "want +Inf and a finite gradient"
						}
					default:
						if !finite(loss[i]) || !finite(grad[i]) || loss[i] < 0 {
							bad = "want finite, loss ≥ 0"
						} else if a, ok := wrongMax[i]; ok && Dist(loss[i], F(a*MaxFloat[F]())) > 1 {
							bad = fmt.Sprintf("want α_t·|x| = %v", a*MaxFloat[F]())
						}
					}
					if bad != "" {
						t.Errorf("%s: x=%v t=%v: loss %v grad %v, %s", what, x[i], tt[i], loss[i], grad[i], bad)
					}
				}
			}
		}
	}
}

func contains(s []int, v int) bool {
	for _, e := range s {
		if e == v {
			return true
		}
	}
	return false
}

// ZeroWeight checks that with α = 0 or 1 (α_t = 0 for one hard target) the
// loss at x = ±Inf is 0 where α_t = 0, not 0·Inf: every level gives
// Generic's results exactly, with soft targets among the hard ones, Sum is
// Generic's (not NaN), and a NaN logit still gives NaN.
func ZeroWeight[F Float](t *testing.T, f Family) {
	inf, nan := F(math.Inf(1)), F(math.NaN())
	x := []F{inf, -inf, inf, -inf, 1, -2, 3, inf, -inf, inf, -inf, 0, 5, -5, inf, -inf, 7, -inf, inf,
		inf, -inf, 2, -inf, inf, 0.5, -3, inf, -inf, 1, -1}
	tt := []F{0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 1,
		0.05, 0.95, 0.5, 0, 1, 0.3, 1, 1e-30, 0, 0.9, 1}
	ref := Generic[F](f)
	for _, alpha := range []float64{0, 1} {
		for _, gamma := range Gammas {
			for _, n := range []int{19, 3, len(x)} {
				want, wantG := make([]F, n), make([]F, n)
				ref.LossGrad(want, wantG, x[:n], tt[:n], alpha, gamma)
				wantS := ref.Sum(x[:n], tt[:n], alpha, gamma)
				for _, k := range Kernels[F](f, f.Levels()) {
					loss, grad, d := make([]F, n), make([]F, n), make([]F, n)
					k.LossGrad(loss, grad, x[:n], tt[:n], alpha, gamma)
					k.Loss(d, x[:n], tt[:n], alpha, gamma)
					for i := range n {
						if !Same(loss[i], want[i]) || !Same(grad[i], wantG[i]) || !Same(d[i], want[i]) || want[i] != want[i] {
							t.Errorf("%s %s α=%v γ=%v x=%v t=%v: loss %v/%v grad %v, Generic %v %v", k.Name, TypeName[F](), alpha, gamma, x[i], tt[i], loss[i], d[i], grad[i], want[i], wantG[i])
						}
					}
					if s := k.Sum(x[:n], tt[:n], alpha, gamma); s != s || !CloseSum(s, wantS, SumRel[F]()) {
						t.Errorf("%s %s α=%v γ=%v n=%d: Sum %v, Generic %v", k.Name, TypeName[F](), alpha, gamma, n, s, wantS)
					}
				}
			}
		}
	}
	for _, k := range Kernels[F](f, f.Levels()) {
		loss := make([]F, 1)
		k.Loss(loss, []F{nan}, []F{0}, 1, 2)
		if loss[0] == loss[0] {
			t.Errorf("%s %s: NaN x, α_t = 0: loss %v, want NaN", k.Name, TypeName[F](), loss[0])
		}
	}
}

// LargeGamma checks that where σ(z)^γ underflows every level gives 0, not
// the exp of an unclamped error term (γ = 7.13e10 once gave -7.9e-26 at
// x = 0), and that at x = -Inf, t = 0.5 the loss is +Inf even where q^γ
// underflows (γ = 91786 once gave NaN).
func LargeGamma[F Float](t *testing.T, f Family) {
	for _, k := range Kernels[F](f, f.Levels()) {
		for _, gamma := range []float64{1e4, 91786, 7.13e10, 1e30} {
			x, tt := make([]F, 40), make([]F, 40)
			for i := range x {
				x[i] = F(i-20) / 4
				tt[i] = F(i % 2)
			}
			loss := make([]F, len(x))
			k.Loss(loss, x, tt, -1, gamma)
			for i, v := range loss {
				if v < 0 || v > 1e-30 && gamma >= 7e10 || v != v {
					t.Errorf("%s %s γ=%g x=%v t=%v: loss %v, want ≥ 0 and 0 where σ(z)^γ underflows", k.Name, TypeName[F](), gamma, x[i], tt[i], v)
				}
			}
			k.Loss(loss[:1], []F{F(math.Inf(-1))}, []F{0.5}, -1, gamma)
			if !math.IsInf(float64(loss[0]), 1) {
				t.Errorf("%s %s γ=%g x=-Inf t=0.5: loss %v, want +Inf", k.Name, TypeName[F](), gamma, loss[0])
			}
		}
	}
}

// WideGamma32 checks the float32 functions above the lanes' γ, where every
// element is computed in float64 in log space and σ(z)^γ moves between 0 and
// 1 near z ≈ ln γ, far below float32's exp range: the loss within LossULP of
// mpmath's (50 digits; t = 0, α off), and Sum within SumRel of their sum.
func WideGamma32(t *testing.T, f Family) {
	x := []float32{260, 270, 280}
	want := []float64{0, 255.54687284526907, 279.99930063715467}
	for _, k := range Kernels[float32](f, f.Levels()) {
		loss := make([]float32, 3)
		k.Loss(loss, x, make([]float32, 3), -1, 1e116)
		for i := range x {
			if Dist(loss[i], float32(want[i])) > LossULP {
				t.Errorf("%s γ=1e116 x=%v: loss %v, want %v", k.Name, x[i], loss[i], want[i])
			}
		}
		if s := k.Sum(x, make([]float32, 3), -1, 1e116); !CloseSum(s, want[1]+want[2], SumRel[float32]()) {
			t.Errorf("%s γ=1e116: Sum %v, want %v", k.Name, s, want[1]+want[2])
		}
	}
}
