package naive

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/internal/form"
	"github.com/focalkernels/focal/impl/internal/kerneltest"
	"github.com/focalkernels/focal/internal/bigref"
	goldsoftmax "github.com/focalkernels/focal/internal/golden/softmax"
)

// relErr is the error the softmax valid range is stated in: relative to the
// truth, or absolute below the smallest normal number.
func relErr(got, want, floor float64) float64 {
	if got == want || (got != got && want != want) {
		return 0
	}
	if got != got || want != want || math.IsInf(got, 0) || math.IsInf(want, 0) {
		return math.Inf(1)
	}
	return math.Abs(got-want) / math.Max(math.Abs(want), floor)
}

// softmaxErr is the largest relative error of the row's loss and gradient.
func softmaxErr[F kerneltest.Float](x []F, c int, alpha, gamma float64) float64 {
	floor := 0x1p-1022
	if kerneltest.Is32[F]() {
		floor = 0x1p-126
	}
	loss, grad := make([]F, 1), make([]F, len(x))
	lossGradRow(loss, grad, x, c, alpha, gamma)
	xf := make([]float64, len(x))
	for j, v := range x {
		xf[j] = float64(v)
	}
	ref := bigref.Softmax(xf, c, 1, alpha, gamma)
	e := relErr(float64(loss[0]), ref.Loss64(), floor)
	for j, g := range grad {
		e = max(e, relErr(float64(g), ref.Grad64(j), floor))
	}
	return e
}

// lossGradRow is one row through the kernel's functions.
func lossGradRow[F kerneltest.Float](loss, grad, x []F, c int, alpha, gamma float64) {
	softmaxLossGrad(loss, grad, form.Rows[F]{X: x, Labels: []int32{int32(c)}, C: len(x)}, form.Params{Alpha: alpha, Gamma: gamma})
}

// inRange reports whether the declared range covers a row.
func inRange[F kerneltest.Float](x []F, gamma float64) bool {
	r := float64(SoftmaxValidRange64)
	if kerneltest.Is32[F]() {
		r = SoftmaxValidRange32
	}
	for _, v := range x {
		if !(math.Abs(float64(v)) <= r) {
			return false
		}
	}
	return gamma <= ValidGamma && (len(x) > 1 || gamma == 0 || gamma >= 1)
}

// worstRows are rows of the declared range where the error peaks: the
// label at +R and the others at -R (1-p_c at its smallest, e^-2R), and the
// label at -R, at γ from 0 to 5, for C = 2, 3 and 80, with the logits
// scaled by s (1: the range's edge; 2: past it).
func worstRows[F kerneltest.Float](s float64) (xs [][]F, gammas []float64) {
	r := float64(SoftmaxValidRange64)
	if kerneltest.Is32[F]() {
		r = SoftmaxValidRange32
	}
	for _, c := range []int{2, 3, 80} {
		for _, sign := range []float64{1, -1} {
			for _, g := range []float64{0, 0.5, 1, 2, 5} {
				x := make([]F, c)
				for j := range x {
					x[j] = F(-sign * r * s)
				}
				x[0] = F(sign * r * s)
				xs, gammas = append(xs, x), append(gammas, g)
			}
		}
	}
	return xs, gammas
}

// TestSoftmaxValidRange: inside the declared range (every logit within
// SoftmaxValidRange32/64, γ ≤ ValidGamma, C = 1 only for γ = 0 or γ ≥ 1)
// the loss and every gradient component are within ValidRelErr of the
// truth, on the golden rows in range, random rows and the rows where the
// error peaks; at twice the range the peak rows break it.
func TestSoftmaxValidRange(t *testing.T) {
	testValidRange[float32](t)
	testValidRange[float64](t)
}

func testValidRange[F kerneltest.Float](t *testing.T) {
	worst, golden := 0.0, 0
	for _, g := range goldsoftmax.Rows() {
		x := make([]F, len(g.X))
		for j, v := range g.X {
			x[j] = F(v)
		}
		if !inRange(x, g.Gamma) || g.Weight != 1 {
			continue
		}
		golden++
		worst = max(worst, softmaxErr(x, g.Label, g.AlphaC(), g.Gamma))
	}
	xs, gammas := worstRows[F](1)
	rng := rand.New(rand.NewPCG(1, 2))
	r := float64(SoftmaxValidRange64)
	if kerneltest.Is32[F]() {
		r = SoftmaxValidRange32
	}
	for range 300 {
		c := 2 + rng.IntN(30)
		x := make([]F, c)
		for j := range x {
			x[j] = F((2*rng.Float64() - 1) * r)
		}
		xs, gammas = append(xs, x), append(gammas, 5*rng.Float64())
	}
	for i, x := range xs {
		worst = max(worst, softmaxErr(x, 0, 0.25, gammas[i]))
	}
	t.Logf("%T: largest relative error in range %.3g (%d golden rows in range)", F(0), worst, golden)
	if worst > ValidRelErr || golden == 0 {
		t.Errorf("%T: relative error %.3g in the declared range, want ≤ %v", F(0), worst, ValidRelErr)
	}
	past := 0.0
	xs, gammas = worstRows[F](2)
	for i, x := range xs {
		past = max(past, softmaxErr(x, 0, 0.25, gammas[i]))
	}
	t.Logf("%T: at twice the range %.3g", F(0), past)
	if past <= ValidRelErr {
		t.Errorf("%T: within %v at twice the declared range: the range is too small", F(0), ValidRelErr)
	}
}
