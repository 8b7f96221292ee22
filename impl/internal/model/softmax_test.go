package model

import (
	"math"
	"testing"

	"github.com/focalkernels/focal/impl/internal/form"
	"github.com/focalkernels/focal/impl/internal/kerneltest"
)

// lanesOf returns the row loop's functions with the scalar lanes of W lanes.
func funcs32(w int) kerneltest.SoftmaxFuncs[float32] {
	ln := SoftmaxAt32(w)
	return kerneltest.SoftmaxFuncs[float32]{
		Loss:     func(d []float32, r form.Rows[float32], p form.Params) { SoftmaxLoss32(d, r, p, ln) },
		Sum:      func(r form.Rows[float32], p form.Params) (float64, int) { return SoftmaxSum32(r, p, ln) },
		LossGrad: func(l, g []float32, r form.Rows[float32], p form.Params) { SoftmaxLossGrad32(l, g, r, p, ln) },
	}
}

func funcs64(w int) kerneltest.SoftmaxFuncs[float64] {
	ln := SoftmaxLanes64{
		Reduce: func(x []float64, c int, s []float64) (float64, float64, float64, float64, float64) {
			return SoftmaxReduce64(w, x, c, s)
		},
		Scale: SoftmaxScale64,
	}
	return kerneltest.SoftmaxFuncs[float64]{
		Loss:     func(d []float64, r form.Rows[float64], p form.Params) { SoftmaxLoss64(d, r, p, ln) },
		Sum:      func(r form.Rows[float64], p form.Params) (float64, int) { return SoftmaxSum64(r, p, ln) },
		LossGrad: func(l, g []float64, r form.Rows[float64], p form.Params) { SoftmaxLossGrad64(l, g, r, p, ln) },
	}
}

// TestSoftmaxAccuracy holds the lanes' algorithm (the row loop with the
// scalar lanes, 4 and 8 of them) to the softmax bar, loss within 4 ULP and
// each gradient component within 8·eps of its value, on the golden rows and
// random rows against math/big, float32 and float64.
func TestSoftmaxAccuracy(t *testing.T) {
	for _, w := range []int{4, 8} {
		check := func(what string, e kerneltest.SoftmaxErrs, msg string) {
			t.Helper()
			if msg != "" {
				t.Fatalf("W=%d %s: %s", w, what, msg)
			}
			t.Logf("W=%d %s: %v", w, what, e)
			if e.Loss > 4 || e.Grad > 8 || e.NaN > 0 {
				t.Errorf("W=%d %s: over the bar", w, what)
			}
		}
		e, msg := kerneltest.SoftmaxGolden(funcs32(w))
		check("float32 golden", e, msg)
		e, msg = kerneltest.SoftmaxGolden(funcs64(w))
		check("float64 golden", e, msg)
		for seed := range uint64(2) {
			e, msg = kerneltest.SoftmaxRandom(funcs32(w), seed, testing.Short())
			check("float32 random", e, msg)
			e, msg = kerneltest.SoftmaxRandom(funcs64(w), seed, testing.Short())
			check("float64 random", e, msg)
		}
	}
}

// TestSoftmaxConsts: the softmax lanes' constants (softmaxKernelConsts,
// written by the generator from _asm/softmax.go) are the model's, bit for
// bit, and every one of them is checked.
func TestSoftmaxConsts(t *testing.T) {
	inf32 := uint64(math.Float32bits(float32(math.Inf(-1))))
	want := map[string]uint64{
		"minf32": inf32 | inf32<<32, "minf64": math.Float64bits(math.Inf(-1)),
		"lo32": math.Float64bits(smLo32), "lo64": math.Float64bits(smLo64),
		"bias32": math.Float64bits(smScale32), "bias64": math.Float64bits(smScale64),
		"ibias64": smScale64, "ebiasm32": smScale32 + 1023 - math.Float64bits(0x1.8p52),
		"ln2": math.Float64bits(smLn2), "unscale32": math.Float64bits(math.Ldexp(1, -smScale32)), "unscale64": math.Float64bits(math.Ldexp(1, -smScale64)),
	}
	// The lanes' own, for a float64 row whose logits span at most 1000, which
	// they scale by one product with the same bits as the model's two halves
	// (kerneltest.SoftmaxAgree holds them to it): +Inf for its minimum, the
	// span, and 2^(k+512)'s biased exponent less dmagic's bits.
	want["pinf64"] = math.Float64bits(math.Inf(1))
	want["narrow64"] = math.Float64bits(smNarrow64)
	want["nbias64"] = smScale64 + 1023 - math.Float64bits(0x1.8p52)
	// the epilogue's lanes' (softmax_epilanes.go): its limit, γ = 2 and 1.5
	want["epilimit"] = math.Float64bits(SoftmaxEpiLimit)
	want["two64"] = math.Float64bits(2)
	want["onehalf64"] = math.Float64bits(1.5)
	for _, c := range softmaxKernelConsts {
		w, ok := want[c.name]
		if !ok || c.bits != w {
			t.Errorf("softmax kernel constant %q = %#x, model %#x (%v)", c.name, c.bits, w, ok)
		}
		delete(want, c.name)
	}
	for n := range want {
		t.Errorf("%q is not among the softmax kernel constants", n)
	}
}
