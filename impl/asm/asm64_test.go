package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/internal/golden"
	"github.com/focalkernels/focal/internal/ulp"
)

// isNormal64 reports whether v is zero or a normal finite float64.
func isNormal64(v float64) bool {
	a := math.Abs(v)
	return !math.IsInf(v, 0) && v == v && (v == 0 || a >= 0x1p-1022)
}

// TestGolden64 holds every level's float64 functions to the bars over every
// golden row (hard and soft) whose true value is a normal float64: loss ≤ 4
// ULP, gradient ≤ 8 in units of ref_grad_scale·2^-52.
func TestGolden64(t *testing.T) {
	rows := golden.Rows()
	for _, l := range testLevels() {
		t.Run(l.String(), func(t *testing.T) {
			var maxL uint64
			var maxG float64
			var rowL, rowG, nL, nG int
			loss, grad := make([]float64, 1), make([]float64, 1)
			for i, r := range rows {
				x, tt := []float64{r.X}, []float64{r.T}
				l.LossGrad64(loss, grad, x, tt, r.Alpha, r.Gamma)
				if isNormal64(r.RefLoss) {
					nL++
					if d := ulp.Dist64(loss[0], r.RefLoss); d > maxL {
						maxL, rowL = d, i
					}
				}
				if isNormal64(r.RefGrad) {
					nG++
					if e := ulp.GradErr(grad[0], r.RefGrad, r.RefGradScale, ulp.Eps64); e > maxG {
						maxG, rowG = e, i
					}
				}
				l.Loss64(loss, x, tt, r.Alpha, r.Gamma)
				if s := l.Sum64(x, tt, r.Alpha, r.Gamma); s != loss[0] && !(s != s && loss[0] != loss[0]) {
					t.Errorf("row %d: Sum64 %v != Loss64 %v", i, s, loss[0])
				}
			}
			t.Logf("asm-%v float64: loss max %d ULP over %d rows (row %d %+v)", l, maxL, nL, rowL, rows[rowL])
			t.Logf("asm-%v float64: grad max %.3g scaled over %d rows (row %d %+v)", l, maxG, nG, rowG, rows[rowG])
			if maxL > 4 {
				t.Errorf("loss error %d ULP > 4", maxL)
			}
			if maxG > 8 {
				t.Errorf("gradient error %.3g > 8", maxG)
			}
		})
	}
}

// softTarget64 draws a soft float64 target: softTarget's, and targets only
// float64 holds (near 0 and 1, and below float32's range).
func softTarget64(rng *rand.Rand) float64 {
	switch rng.IntN(5) {
	case 0:
		return []float64{1e-300, 1 - 0x1p-53, 0x1p-60, 0.1, 1e-10}[rng.IntN(5)]
	case 1:
		v := math.Exp(-rng.Float64() * 700)
		if rng.IntN(2) == 0 {
			return v
		}
		return 1 - v
	}
	return float64(softTarget(rng))
}

// inputs64 returns n float64 logits and targets of the given kind.
func inputs64(rng *rand.Rand, n, kind int) (x, t []float64) {
	x32, t32 := inputs(rng, n, kind)
	x, t = make([]float64, n), make([]float64, n)
	for i := range x {
		x[i], t[i] = float64(x32[i]), float64(t32[i])
		switch rng.IntN(4) {
		case 0: // log-uniform over most of float64's range
			x[i] = math.Exp2(rng.Float64()*2000-1000) * float64(1-2*rng.IntN(2))
		case 1:
			x[i] = rng.Float64()*1500 - 750
		case 2:
			x[i] = rng.NormFloat64() * 4
		}
		if t[i] != 0 && t[i] != 1 {
			t[i] = softTarget64(rng)
		}
	}
	return x, t
}

const sentinel64 = -12345.5

func filled64(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = sentinel64
	}
	return s
}

func checkSentinel64(t *testing.T, what string, s []float64, from int) {
	t.Helper()
	for i := from; i < len(s); i++ {
		if s[i] != sentinel64 {
			t.Fatalf("%s: element %d past the end was written: %v", what, i, s[i])
		}
	}
}

func (a *agree) add64(t *testing.T, what string, got, want []float64, isGrad bool) {
	t.Helper()
	for i := range want {
		d := ulp.Dist64(got[i], want[i])
		if d > 2 {
			t.Errorf("%s: element %d: %v vs generic %v (%d ULP)", what, i, got[i], want[i], d)
		}
		if isGrad {
			a.maxGrad = max(a.maxGrad, d)
		} else {
			a.maxLoss = max(a.maxLoss, d)
		}
	}
}

// TestAgree64 is TestAgree for the float64 functions: every level within 2
// ULP of Generic on every element, every length 0..70, offsets 0..15 (0..2
// with -short), every target pattern and γ mode, nothing written past the
// end, Sum64 within 1e-14 of Generic's (its lanes sum in another order).
func TestAgree64(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	offsets := agreeOffsets()
	for _, l := range vectorLevels() {
		var a agree
		for kind := range nKinds {
			for _, gamma := range gammas {
				for _, alpha := range []float64{0.25, -1} {
					for n := 0; n <= 70; n++ {
						x, tt := inputs64(rng, n, kind)
						ref, refG := make([]float64, n), make([]float64, n)
						Generic.LossGrad64(ref, refG, x, tt, alpha, gamma)
						refS := Generic.Sum64(x, tt, alpha, gamma)
						var base, baseG []float64
						for off := range offsets {
							what := fmt.Sprintf("%v kind=%d γ=%v α=%v n=%d off=%d", l, kind, gamma, alpha, n, off)
							xs := make([]float64, n+off)[off:]
							ts := make([]float64, n+off)[off:]
							copy(xs, x)
							copy(ts, tt)
							loss, grad := filled64(n + off + 20)[off:], filled64(n + off + 20)[off:]
							l.LossGrad64(loss[:n], grad[:n], xs, ts, alpha, gamma)
							checkSentinel64(t, what+" LossGrad64 loss", loss, n)
							checkSentinel64(t, what+" LossGrad64 grad", grad, n)
							a.add64(t, what+" LossGrad64 loss", loss[:n], ref, false)
							a.add64(t, what+" LossGrad64 grad", grad[:n], refG, true)
							if off == 0 {
								base, baseG = append([]float64(nil), loss[:n]...), append([]float64(nil), grad[:n]...)
							} else {
								for i := range base {
									if math.Float64bits(base[i]) != math.Float64bits(loss[i]) || math.Float64bits(baseG[i]) != math.Float64bits(grad[i]) {
										t.Fatalf("%s: element %d differs from offset 0", what, i)
									}
								}
							}
							g2 := filled64(n + 20)
							l.LossGrad64(nil, g2[:n], xs, ts, alpha, gamma)
							checkSentinel64(t, what+" LossGrad64 nil loss", g2, n)
							for i := range n {
								if math.Float64bits(g2[i]) != math.Float64bits(grad[i]) {
									t.Fatalf("%s: nil-loss gradient %d: %v != %v", what, i, g2[i], grad[i])
								}
							}
							d := filled64(n + 20)
							l.Loss64(d[:n], xs, ts, alpha, gamma)
							checkSentinel64(t, what+" Loss64", d, n)
							for i := range n {
								if math.Float64bits(d[i]) != math.Float64bits(loss[i]) {
									t.Fatalf("%s: Loss64 %d: %v != LossGrad64 %v", what, i, d[i], loss[i])
								}
							}
							s := l.Sum64(xs, ts, alpha, gamma)
							if rel := math.Abs(s-refS) / math.Abs(refS); refS != 0 && rel > a.maxSumRel {
								a.maxSumRel = rel
							}
							if math.Abs(s-refS) > 1e-14*math.Abs(refS) && !(math.IsInf(s, 1) && math.IsInf(refS, 1)) {
								t.Errorf("%s: Sum64 %v vs generic %v", what, s, refS)
							}
						}
					}
				}
			}
		}
		t.Logf("asm-%v vs asm-generic float64: loss max %d ULP, grad max %d ULP, sum max rel %.3g", l, a.maxLoss, a.maxGrad, a.maxSumRel)
	}
}
