package asm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
	"github.com/focalkernels/focal/impl/internal/model"
)

// TestSoftmaxAgree: every vector level's softmax lanes agree with the
// scalar model at their own width bit for bit: the reduction's maximum,
// sums and stored exps, and the scaling, on rows of every kind and of every
// length from 1 to 70 (every remainder of a vector, C = 1 included), the
// label at every place, float32 and float64.
func TestSoftmaxAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, l := range kerneltest.Vector(Levels(), Generic) {
		w := 8
		if l == Generic+1 { // AVX2: 4 float64 lanes
			w = 4
		}
		l32, l64 := softmaxLanes32(l), softmaxLanes64(l)
		for c := 1; c <= 70; c++ {
			for kind := range kerneltest.SoftmaxKinds {
				x32, lab := kerneltest.SoftmaxRow[float32](rng, c, kind)
				x64, _ := kerneltest.SoftmaxRow[float64](rng, c, kind)
				if rng.IntN(4) == 0 {
					x32[rng.IntN(c)] = float32(math.NaN())
					x64[rng.IntN(c)] = math.NaN()
				}
				s1, s2 := make([]float32, c), make([]float32, c)
				m1, o1, e1 := l32.Reduce(x32, lab, s1)
				m2, o2, e2 := model.SoftmaxReduce32(w, x32, lab, s2)
				if !same(float64(m1), float64(m2)) || !same(o1, o2) || !same(e1, e2) {
					t.Fatalf("%v float32 C=%d label %d x=%v: reduce %v %v %v, model %v %v %v", l, c, lab, x32, m1, o1, e1, m2, o2, e2)
				}
				if m, o, e := l32.Reduce(x32, lab, nil); !same(float64(m), float64(m1)) || !same(o, o1) || !same(e, e1) {
					t.Fatalf("%v float32 C=%d: reduce without a store %v %v %v, with %v %v %v", l, c, m, o, e, m1, o1, e1)
				}
				f := math.Ldexp(rng.Float64()+0.5, rng.IntN(80)-40)
				l32.Scale(s1, f)
				model.SoftmaxScale32(s2, f)
				for j := range s1 {
					if !same(float64(s1[j]), float64(s2[j])) {
						t.Fatalf("%v float32 C=%d label %d x=%v: stored/scaled [%d] %v, model %v", l, c, lab, x32, j, s1[j], s2[j])
					}
				}
				d1, d2 := make([]float64, c), make([]float64, c)
				a := [5]float64{}
				a[0], a[1], a[2], a[3], a[4] = l64.Reduce(x64, lab, d1)
				var b [5]float64
				b[0], b[1], b[2], b[3], b[4] = model.SoftmaxReduce64(w, x64, lab, d2)
				for i := range a {
					if !same(a[i], b[i]) {
						t.Fatalf("%v float64 C=%d label %d x=%v: reduce %v, model %v", l, c, lab, x64, a, b)
					}
				}
				l64.Scale(d1, f)
				model.SoftmaxScale64(d2, f)
				for j := range d1 {
					if !same(d1[j], d2[j]) {
						t.Fatalf("%v float64 C=%d label %d x=%v: stored/scaled [%d] %v, model %v", l, c, lab, x64, j, d1[j], d2[j])
					}
				}
			}
		}
	}
}

func same(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) || a != a && b != b }

// TestSoftmaxBar holds every level to the softmax bar (loss within 4 ULP,
// each gradient component within 8·eps of its value) on the golden rows and
// random rows against the math/big reference, float32 and float64.
func TestSoftmaxBar(t *testing.T) {
	for _, l := range kerneltest.Levels(Levels()) {
		check := func(what string, e kerneltest.SoftmaxErrs, msg string) {
			t.Helper()
			if msg != "" {
				t.Fatalf("%v %s: %s", l, what, msg)
			}
			t.Logf("%v %s: %v", l, what, e)
			if e.Loss > 4 || e.Grad > 8 || e.NaN > 0 {
				t.Errorf("%v %s: over the bar", l, what)
			}
		}
		f32 := kerneltest.SoftmaxFuncs[float32]{Loss: l.SoftmaxLoss32, Sum: l.SoftmaxSum32, LossGrad: l.SoftmaxLossGrad32}
		f64 := kerneltest.SoftmaxFuncs[float64]{Loss: l.SoftmaxLoss64, Sum: l.SoftmaxSum64, LossGrad: l.SoftmaxLossGrad64}
		e, msg := kerneltest.SoftmaxGolden(f32)
		check("float32 golden", e, msg)
		e, msg = kerneltest.SoftmaxGolden(f64)
		check("float64 golden", e, msg)
		e, msg = kerneltest.SoftmaxRandom(f32, 5, testing.Short())
		check("float32 random", e, msg)
		e, msg = kerneltest.SoftmaxRandom(f64, 5, testing.Short())
		check("float64 random", e, msg)
	}
}

// The softmax functions allocate nothing, at every level.
func TestSoftmaxAllocs(t *testing.T) {
	r := Rows[float32]{X: make([]float32, 80*16), Labels: make([]int32, 16), C: 80}
	r64 := Rows[float64]{X: make([]float64, 80*16), Labels: make([]int32, 16), C: 80}
	loss, grad := make([]float32, 16), make([]float32, 80*16)
	loss64, grad64 := make([]float64, 16), make([]float64, 80*16)
	p := Params{Alpha: 0.25, Gamma: 1.5}
	for _, l := range Levels() {
		if n := testing.AllocsPerRun(10, func() {
			l.SoftmaxLossGrad32(loss, grad, r, p)
			l.SoftmaxLoss32(loss, r, p)
			l.SoftmaxSum32(r, p)
			l.SoftmaxLossGrad64(loss64, grad64, r64, p)
			l.SoftmaxSum64(r64, p)
		}); n != 0 {
			t.Errorf("%v: %v allocations per run", l, n)
		}
	}
}
