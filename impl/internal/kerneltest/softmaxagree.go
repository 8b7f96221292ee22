package kerneltest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/internal/form"
)

// SoftmaxLanes are a level's softmax lanes and the scalar model's at the
// level's width (model.SoftmaxReduce32, …, with W bound), for SoftmaxAgree.
type SoftmaxLanes struct {
	Reduce32, ModelReduce32 func(x []float32, c int, store []float32) (float32, float64, float64)
	Scale32, ModelScale32   func(g []float32, f float64)
	Epi32, ModelEpi32       func(in [SoftmaxEpiInLen]float64, gamma float64) ([SoftmaxEpiOutLen]float64, uint)
	Reduce64, ModelReduce64 func(x []float64, c int, store []float64) (float64, float64, float64, float64, float64)
	Scale64, ModelScale64   func(g []float64, f float64)
}

// SoftmaxEpiInLen and SoftmaxEpiOutLen are the lengths of
// model.SoftmaxEpiIn and SoftmaxEpiOut (model's test imports this package,
// so it cannot import the model): SoftmaxLanes32 converts from
// model.SoftmaxLanes32 only where they agree.
const (
	SoftmaxEpiRows   = 8
	SoftmaxEpiInLen  = 5 * SoftmaxEpiRows
	SoftmaxEpiOutLen = 3 * SoftmaxEpiRows
)

// SoftmaxLanes32 and SoftmaxLanes64 are a level's softmax lanes, as
// model.SoftmaxLanes32 and 64 hold them (a type with these fields converts).
type (
	SoftmaxLanes32 = struct {
		Reduce func(x []float32, c int, store []float32) (m float32, o, ec float64)
		Scale  func(g []float32, f float64)
		Epi    func(in [SoftmaxEpiInLen]float64, gamma float64) (out [SoftmaxEpiOutLen]float64, special uint)
	}
	SoftmaxLanes64 = struct {
		Reduce func(x []float64, c int, store []float64) (m, ohi, olo, echi, eclo float64)
		Scale  func(g []float64, f float64)
	}
)

// SoftmaxAgreeLevels holds each of a family's vector levels to the scalar
// model (SoftmaxAgree): lanes32(l) and lanes64(l) against model32(w) and
// model64(w), the model at w = width(l) float64 lanes, all from one random
// stream.
func SoftmaxAgreeLevels[L fmt.Stringer, A32 ~SoftmaxLanes32, A64 ~SoftmaxLanes64](t *testing.T, levels []L, width func(L) int,
	lanes32 func(L) A32, lanes64 func(L) A64, model32 func(w int) A32, model64 func(w int) A64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	for _, l := range levels {
		w := width(l)
		l32, l64 := SoftmaxLanes32(lanes32(l)), SoftmaxLanes64(lanes64(l))
		m32, m64 := SoftmaxLanes32(model32(w)), SoftmaxLanes64(model64(w))
		if msg := SoftmaxAgree(rng, SoftmaxLanes{
			Reduce32: l32.Reduce, Scale32: l32.Scale, Epi32: l32.Epi, Reduce64: l64.Reduce, Scale64: l64.Scale,
			ModelReduce32: m32.Reduce, ModelScale32: m32.Scale, ModelEpi32: m32.Epi, ModelReduce64: m64.Reduce, ModelScale64: m64.Scale,
		}); msg != "" {
			t.Errorf("%v: %s", l, msg)
		}
	}
}

// SoftmaxLevel is a family's level with its softmax functions.
type SoftmaxLevel interface {
	fmt.Stringer
	SoftmaxLoss32(dst []float32, r form.Rows[float32], p form.Params)
	SoftmaxSum32(r form.Rows[float32], p form.Params) (float64, int)
	SoftmaxLossGrad32(loss, grad []float32, r form.Rows[float32], p form.Params)
	SoftmaxLoss64(dst []float64, r form.Rows[float64], p form.Params)
	SoftmaxSum64(r form.Rows[float64], p form.Params) (float64, int)
	SoftmaxLossGrad64(loss, grad []float64, r form.Rows[float64], p form.Params)
}

// SoftmaxBarLevels holds each level to the softmax bar (SoftmaxBar, short
// with -short), logging what it measured.
func SoftmaxBarLevels[L SoftmaxLevel](t *testing.T, levels []L) {
	t.Helper()
	for _, l := range levels {
		log, fails := SoftmaxBar(
			SoftmaxFuncs[float32]{Loss: l.SoftmaxLoss32, Sum: l.SoftmaxSum32, LossGrad: l.SoftmaxLossGrad32},
			SoftmaxFuncs[float64]{Loss: l.SoftmaxLoss64, Sum: l.SoftmaxSum64, LossGrad: l.SoftmaxLossGrad64},
			testing.Short())
		for _, s := range log {
			t.Logf("%v %s", l, s)
		}
		for _, s := range fails {
			t.Errorf("%v %s", l, s)
		}
	}
}

// SoftmaxAgree holds a level's softmax lanes to the scalar model bit for
// bit: the reduction's maximum, sums and stored exps (with and without a
// store), and the scaling, on rows of every kind and every length from 1
// to 70 (every remainder of a vector, C = 1 included), NaN and ±Inf logits
// among them (and rows of -Inf), the label anywhere, float32 and float64. It returns the first
// difference, or "".
func SoftmaxAgree(rng *rand.Rand, l SoftmaxLanes) string {
	same := func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) || a != a && b != b }
	var epi [SoftmaxEpiInLen]float64
	k := 0
	for c := 1; c <= 70; c++ {
		for kind := range SoftmaxKinds {
			x32, lab := SoftmaxRow[float32](rng, c, kind)
			x64, _ := SoftmaxRow[float64](rng, c, kind)
			if rng.IntN(4) == 0 {
				x32[rng.IntN(c)] = float32(math.NaN())
				x64[rng.IntN(c)] = math.NaN()
			}
			// ±Inf, which puts the maximum at ±Inf (the lanes' other loop)
			// where it is +Inf or every logit is -Inf or NaN
			switch rng.IntN(8) {
			case 0:
				s := float64(1 - 2*rng.IntN(2))
				x32[rng.IntN(c)], x64[rng.IntN(c)] = float32(math.Inf(int(s))), math.Inf(int(s))
			case 1:
				for j := range x32 {
					if x32[j] == x32[j] {
						x32[j] = float32(math.Inf(-1))
					}
					if x64[j] == x64[j] {
						x64[j] = math.Inf(-1)
					}
				}
			}
			s1, s2 := make([]float32, c), make([]float32, c)
			m1, o1, e1 := l.Reduce32(x32, lab, s1)
			m2, o2, e2 := l.ModelReduce32(x32, lab, s2)
			if !same(float64(m1), float64(m2)) || !same(o1, o2) || !same(e1, e2) {
				return fmt.Sprintf("float32 C=%d label %d x=%v: reduce %v %v %v, model %v %v %v", c, lab, x32, m1, o1, e1, m2, o2, e2)
			}
			if m, o, e := l.Reduce32(x32, lab, nil); !same(float64(m), float64(m1)) || !same(o, o1) || !same(e, e1) {
				return fmt.Sprintf("float32 C=%d: reduce without a store %v %v %v, with %v %v %v", c, m, o, e, m1, o1, e1)
			}
			epi[k], epi[SoftmaxEpiRows+k], epi[2*SoftmaxEpiRows+k], epi[3*SoftmaxEpiRows+k] = float64(x32[lab]), float64(m1), o1, e1
			epi[4*SoftmaxEpiRows+k] = []float64{1, 0.25, 0, 4 * rng.Float64(), 0x1p36, 0x1p40}[rng.IntN(6)]
			if k++; k == SoftmaxEpiRows {
				k = 0
				if msg := softmaxEpiAgree(l, epi, same); msg != "" {
					return msg
				}
			}
			f := math.Ldexp(float64(rng.Float64())+0.5, rng.IntN(80)-40)
			l.Scale32(s1, f)
			l.ModelScale32(s2, f)
			for j := range s1 {
				if !same(float64(s1[j]), float64(s2[j])) {
					return fmt.Sprintf("float32 C=%d label %d x=%v: stored and scaled [%d] %v, model %v", c, lab, x32, j, s1[j], s2[j])
				}
			}
			d1, d2 := make([]float64, c), make([]float64, c)
			var a, b [5]float64
			a[0], a[1], a[2], a[3], a[4] = l.Reduce64(x64, lab, d1)
			b[0], b[1], b[2], b[3], b[4] = l.ModelReduce64(x64, lab, d2)
			for i := range a {
				if !same(a[i], b[i]) {
					return fmt.Sprintf("float64 C=%d label %d x=%v: reduce %v, model %v", c, lab, x64, a, b)
				}
			}
			a[0], a[1], a[2], a[3], a[4] = l.Reduce64(x64, lab, nil)
			for i := range a {
				if !same(a[i], b[i]) {
					return fmt.Sprintf("float64 C=%d: reduce without a store %v, with %v", c, a, b)
				}
			}
			l.Scale64(d1, f)
			l.ModelScale64(d2, f)
			for j := range d1 {
				if !same(d1[j], d2[j]) {
					return fmt.Sprintf("float64 C=%d label %d x=%v: stored and scaled [%d] %v, model %v", c, lab, x64, j, d1[j], d2[j])
				}
			}
		}
	}
	return ""
}

// softmaxEpiAgree compares the lanes' epilogue of a block (the rows'
// x_c, m, O', E'_c and weight·α, SoftmaxEpiIn's layout) with the model's at
// every γ it takes (0, 0.5, 1, 1.5, 2): the same rows left to the scalar code, the same outputs
// for the others.
func softmaxEpiAgree(l SoftmaxLanes, in [SoftmaxEpiInLen]float64, same func(a, b float64) bool) string {
	for _, gamma := range []float64{0, 0.5, 1, 1.5, 2} {
		o1, s1 := l.Epi32(in, gamma)
		o2, s2 := l.ModelEpi32(in, gamma)
		if s1 != s2 {
			return fmt.Sprintf("epilogue γ=%v of %v: special rows %b, model %b", gamma, in, s1, s2)
		}
		for i := range SoftmaxEpiRows {
			if s1>>i&1 != 0 {
				continue
			}
			for f := 0; f < SoftmaxEpiOutLen; f += SoftmaxEpiRows {
				if !same(o1[f+i], o2[f+i]) {
					return fmt.Sprintf("epilogue γ=%v row %d (x_c, m, O', E'_c, wa = %v %v %v %v %v): output %d %v, model %v", gamma, i,
						in[i], in[SoftmaxEpiRows+i], in[2*SoftmaxEpiRows+i], in[3*SoftmaxEpiRows+i], in[4*SoftmaxEpiRows+i], f/SoftmaxEpiRows, o1[f+i], o2[f+i])
				}
			}
		}
	}
	return ""
}

// SoftmaxBar holds one level's softmax functions to the softmax bar (loss
// within 4 ULP, each gradient component within 8·eps of its value) on the
// golden rows and random rows against math/big, float32 and float64, and
// returns a message per miss, with what it measured.
func SoftmaxBar(f32 SoftmaxFuncs[float32], f64 SoftmaxFuncs[float64], short bool) (log, fails []string) {
	check := func(what string, e SoftmaxErrs, msg string) {
		switch {
		case msg != "":
			fails = append(fails, what+": "+msg)
		case e.Loss > 4 || e.Grad > 8 || e.NaN > 0:
			fails = append(fails, fmt.Sprintf("%s: over the bar: %v", what, e))
		}
		log = append(log, fmt.Sprintf("%s: %v", what, e))
	}
	e, msg := SoftmaxGolden(f32)
	check("float32 golden", e, msg)
	e, msg = SoftmaxGolden(f64)
	check("float64 golden", e, msg)
	e, msg = SoftmaxRandom(f32, 5, short)
	check("float32 random", e, msg)
	e, msg = SoftmaxRandom(f64, 5, short)
	check("float64 random", e, msg)
	return log, fails
}
