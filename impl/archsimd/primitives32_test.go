//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/internal/model"
)

// vecPrims32 are one level's float32 vector primitives, run on slices of its
// lane count, so that each can be held to its scalar model lane for lane.
type vecPrims32 struct {
	lanes    int
	consts   func(i int, out []float32)
	expSoft  func(h, e, el, el2 []float32)
	logHL    func(ah, hi, lo []float32)
	log1pHL  func(u, c, l, lo []float32)
	expSplit func(h, lo, e []float32) // model.ExpSplit32(h, lo, true)
}

func prims32(l Level) vecPrims32 {
	if l == AVX512 {
		return vecPrims32{
			lanes:  lanes32AVX512,
			consts: func(i int, out []float32) { store32AVX512(c32AVX512(i), out) },
			expSoft: func(h, e, el, el2 []float32) {
				a, b, c := expSoft32AVX512(load32AVX512(h))
				store32AVX512(a, e)
				store32AVX512(b, el)
				store32AVX512(c, el2)
			},
			logHL: func(ah, hi, lo []float32) {
				a, b := logHL32AVX512(load32AVX512(ah))
				store32AVX512(a, hi)
				store32AVX512(b, lo)
			},
			log1pHL: func(u, c, l, lo []float32) {
				a, b := log1pHL32AVX512(load32AVX512(u), load32AVX512(c))
				store32AVX512(a, l)
				store32AVX512(b, lo)
			},
			expSplit: func(h, lo, e []float32) {
				r, k := expArg32AVX512(load32AVX512(h))
				p, pLo := expPoly32AVX512(r.Add(clampLo32AVX512(load32AVX512(lo))))
				m, _ := scale32AVX512(p, pLo, k)
				store32AVX512(m, e)
			},
		}
	}
	return vecPrims32{
		lanes:  lanes32AVX2,
		consts: func(i int, out []float32) { store32AVX2(c32AVX2(i), out) },
		expSoft: func(h, e, el, el2 []float32) {
			a, b, c := expSoft32AVX2(load32AVX2(h))
			store32AVX2(a, e)
			store32AVX2(b, el)
			store32AVX2(c, el2)
		},
		logHL: func(ah, hi, lo []float32) {
			a, b := logHL32AVX2(load32AVX2(ah))
			store32AVX2(a, hi)
			store32AVX2(b, lo)
		},
		log1pHL: func(u, c, l, lo []float32) {
			a, b := log1pHL32AVX2(load32AVX2(u), load32AVX2(c))
			store32AVX2(a, l)
			store32AVX2(b, lo)
		},
		expSplit: func(h, lo, e []float32) {
			r, k := expArg32AVX2(load32AVX2(h))
			p, pLo := expPoly32AVX2(r.Add(clampLo32AVX2(load32AVX2(lo))))
			m, _ := scale32AVX2(p, pLo, k)
			store32AVX2(m, e)
		},
	}
}

// TestPrimitives32: every vector level's constants and float32 primitives
// (the general form's exp with its two error terms, log A as hi+lo, log1p
// as hi+lo, and exp(h+lo) with the scalings to subnormals) give their scalar
// models' results bit for bit, lane for lane.
func TestPrimitives32(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for _, l := range vectorLevels() {
		v := prims32(l)
		w := v.lanes
		bad := 0
		fail := func(what string, in, got, want float32) {
			t.Helper()
			if bad++; bad <= 20 {
				t.Errorf("%v %s(%v) = %v (%#08x), model %v (%#08x)", l, what, in, got, math.Float32bits(got), want, math.Float32bits(want))
			}
		}
		out := make([]float32, w)
		for i, c := range k32 {
			v.consts(i, out)
			for _, g := range out {
				if math.Float32bits(g) != math.Float32bits(c) {
					fail(fmt.Sprintf("constant %d", i), 0, g, c)
				}
			}
		}
		in, in2 := make([]float32, w), make([]float32, w)
		o1, o2, o3 := make([]float32, w), make([]float32, w), make([]float32, w)
		for range 2000 {
			for j := range in {
				in[j] = -float32(rng.Float64() * 110)
				if rng.IntN(4) == 0 {
					in[j] = -float32(rng.Float64() * 2)
				}
				in2[j] = float32(rng.NormFloat64() * 1e-5)
			}
			v.expSoft(in, o1, o2, o3)
			v.expSplit(in, in2, out)
			for j, h := range in {
				e, el, el2 := model.ExpSoft32(h)
				if !same(o1[j], e) || !same(o2[j], el) || !same(o3[j], el2) {
					fail("expSoft", h, o1[j], e)
				}
				if m, _ := model.ExpSplit32(h, in2[j], true); !same(out[j], m) {
					fail("expSplit", h, out[j], m)
				}
			}
			for j := range in {
				in[j] = float32(math.Exp2(-rng.Float64() * 126))
				if rng.IntN(8) == 0 {
					in[j] = 1
				}
			}
			v.logHL(in, o1, o2)
			for j, a := range in {
				if hi, lo := model.LogHL32(a); !same(o1[j], hi) || !same(o2[j], lo) {
					fail("logHL", a, o1[j], hi)
				}
			}
			for j := range in {
				e := float32(rng.Float64())
				in[j] = 1 + e
				in2[j] = float32(((e - (in[j] - 1)) + float32(rng.NormFloat64()*1e-8)) * (1 / in[j]))
			}
			v.log1pHL(in, in2, o1, o2)
			for j, u := range in {
				if lv, lo := model.Log1pHL32(u, in2[j]); !same(o1[j], lv) || !same(o2[j], lo) {
					fail("log1pHL", u, o1[j], lv)
				}
			}
		}
		if bad > 0 {
			t.Errorf("%v: %d primitive results differ from the model", l, bad)
		}
	}
}
