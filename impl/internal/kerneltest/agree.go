package kerneltest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/internal/golden"
)

// Offsets is how many element offsets Agree tries: every misalignment of a
// 64-byte line for float32, or 3 with -short (the emulated CPUs run -short,
// at a few million instructions a second).
func Offsets() int {
	if testing.Short() {
		return 3
	}
	return 16
}

// LongLengths are Agree's lengths past 70: enough vectors for the main
// loop's steps to follow one another (a uniform step going on to the next,
// impl/asm's uniStick, takes two steps of three: 96 float32 elements on
// AVX-512), with the misses of the Smoothed pattern between them.
var LongLengths = []int{109, 300, 1031}

// Agree checks that every vector level of family f gives its Generic
// level's results bit for bit, on every element, for every length 0..70
// and of LongLengths at every offset (Offsets), with every target pattern
// of Inputs, every γ of Gammas and α on and off: the loss and gradient of LossGrad, the
// gradient of LossGrad with a nil loss, the loss of Loss; that no output is
// written past its end; and that Sum is Generic's within SumRel.
func Agree[F Float](t *testing.T, f Family, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	ref := Generic[F](f)
	offsets := Offsets()
	for _, k := range Kernels[F](f, f.Vector()) {
		var worstSum float64
		for pattern := range NPatterns {
			for _, gamma := range Gammas {
				for _, alpha := range []float64{0.25, -1} {
					for _, n := range agreeLengths() {
						x, tt := Inputs[F](rng, n, pattern)
						want, wantG := make([]F, n), make([]F, n)
						ref.LossGrad(want, wantG, x, tt, alpha, gamma)
						wantS := ref.Sum(x, tt, alpha, gamma)
						for off := range offsets {
							what := fmt.Sprintf("%s %s pattern=%d γ=%v α=%v n=%d off=%d", k.Name, TypeName[F](), pattern, gamma, alpha, n, off)
							xs, ts := make([]F, n+off)[off:], make([]F, n+off)[off:]
							copy(xs, x)
							copy(ts, tt)
							loss, grad, grad2, d := Filled[F](n + off + 20)[off:], Filled[F](n + off + 20)[off:], Filled[F](n+20), Filled[F](n+20)
							k.LossGrad(loss[:n], grad[:n], xs, ts, alpha, gamma)
							k.LossGrad(nil, grad2[:n], xs, ts, alpha, gamma)
							k.Loss(d[:n], xs, ts, alpha, gamma)
							for _, o := range []struct {
								name      string
								got, want []F
							}{{"LossGrad loss", loss, want}, {"LossGrad grad", grad, wantG}, {"LossGrad(nil) grad", grad2, wantG}, {"Loss", d, want}} {
								if i := Written(o.got, n); i >= 0 {
									t.Fatalf("%s: %s: element %d past the end was written: %v", what, o.name, i, o.got[i])
								}
								for i := range n {
									if !Same(o.got[i], o.want[i]) {
										t.Fatalf("%s: %s: element %d (x=%v t=%v): %v, Generic %v (%d ULP)", what, o.name, i, x[i], tt[i], o.got[i], o.want[i], Dist(o.got[i], o.want[i]))
									}
								}
							}
							s := k.Sum(xs, ts, alpha, gamma)
							if wantS != 0 {
								worstSum = max(worstSum, math.Abs(s-wantS)/math.Abs(wantS))
							}
							if !CloseSum(s, wantS, SumRel[F]()) {
								t.Errorf("%s: Sum %v, Generic %v", what, s, wantS)
							}
						}
					}
				}
			}
		}
		t.Logf("%s %s: Generic's results bit for bit; Sum within %.3g relative", k.Name, TypeName[F](), worstSum)
	}
}

// agreeLengths returns 0..70 and LongLengths.
func agreeLengths() []int {
	ns := make([]int, 71, 71+len(LongLengths))
	for i := range ns {
		ns[i] = i
	}
	return append(ns, LongLengths...)
}

// CloseSum reports whether sum s is within rel of want, relative (equal
// infinities and two NaNs included).
func CloseSum(s, want, rel float64) bool {
	return math.Abs(s-want) <= rel*math.Abs(want) || s == want || s != s && want != want
}

// AgreeGolden checks that every vector level of family f gives Generic's
// results bit for bit on the golden rows' inputs, each (α, γ) group of rows
// one call.
func AgreeGolden[F Float](t *testing.T, f Family) {
	type key struct{ a, g float64 }
	groups := map[key][]golden.Row{}
	for _, r := range golden.Rows() {
		k := key{r.Alpha, r.Gamma}
		groups[k] = append(groups[k], r)
	}
	ref := Generic[F](f)
	for _, k := range Kernels[F](f, f.Vector()) {
		for g, rs := range groups {
			n := len(rs)
			x, tt := make([]F, n), make([]F, n)
			for i, r := range rs {
				x[i], tt[i] = F(r.X), F(r.T)
			}
			want, wantG := make([]F, n), make([]F, n)
			ref.LossGrad(want, wantG, x, tt, g.a, g.g)
			loss, grad := make([]F, n), make([]F, n)
			k.LossGrad(loss, grad, x, tt, g.a, g.g)
			for i := range n {
				if !Same(loss[i], want[i]) || !Same(grad[i], wantG[i]) {
					t.Errorf("%s %s α=%v γ=%v x=%v t=%v: loss %v grad %v, Generic %v %v", k.Name, TypeName[F](), g.a, g.g, x[i], tt[i], loss[i], grad[i], want[i], wantG[i])
				}
			}
		}
	}
}
