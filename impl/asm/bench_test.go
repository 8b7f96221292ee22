package asm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/internal/model"
	"github.com/focalkernels/focal/impl/naive"
	"github.com/focalkernels/focal/impl/stable"
)

type benchKernel struct {
	name     string
	sum      func(x, t []float32, alpha, gamma float64) float64
	lossGrad func(loss, grad, x, t []float32, alpha, gamma float64)
}

func benchKernels() []benchKernel {
	ks := []benchKernel{
		{"naive", naive.Sum32, naive.LossGrad32},
		{"stable", stable.Sum32, stable.LossGrad32},
	}
	for _, l := range Levels() {
		ks = append(ks, benchKernel{"asm-" + l.String(), l.Sum32, l.LossGrad32})
	}
	return ks
}

// benchTargets are the kinds of target the benchmarks run: hard (0 or 1),
// label-smoothed (every one soft: 0.9·hard + 0.05, so 0.05 or 0.95), and
// IoU-style (the negatives 0, the positives' t uniform in (0, 1]: hard and
// soft lanes in nearly every vector).
var benchTargets = []string{"hard", "smooth", "iou"}

// benchInputs are N(0, 4²) logits, as in a detector's head, and targets of
// the given kind from the same hard ones (half positives).
func benchInputs(n int, kind string) (x, t []float32) {
	rng := rand.New(rand.NewPCG(5, 6))
	x, t = make([]float32, n), make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64() * 4)
		t[i] = float32(rng.IntN(2))
	}
	trng := rand.New(rand.NewPCG(7, 8))
	for i, h := range t {
		switch kind {
		case "smooth":
			t[i] = 0.9*h + 0.05
		case "iou":
			if h == 1 {
				t[i] = 1 - trng.Float32() // (0, 1]
			}
		}
	}
	return x, t
}

// BenchmarkSum32 and BenchmarkLossGrad32 compare every kernel in one run;
// sub-benchmarks are named kernel=/n=/gamma=/targets= for benchstat -col
// (benchstat -col /targets gives a level's soft-target time against its
// hard-target time). The metric ns/elem is the time per element.
func BenchmarkSum32(b *testing.B) {
	for _, n := range []int{65536} {
		for _, kind := range benchTargets {
			x, t := benchInputs(n, kind)
			for _, gamma := range []float64{2, 1.5, 0} {
				for _, k := range benchKernels() {
					b.Run(fmt.Sprintf("kernel=%s/n=%d/gamma=%v/targets=%s", k.name, n, gamma, kind), func(b *testing.B) {
						b.SetBytes(int64(8 * n))
						var s float64
						for b.Loop() {
							s += k.sum(x, t, 0.25, gamma)
						}
						b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
					})
				}
			}
		}
	}
}

func BenchmarkLossGrad32(b *testing.B) {
	for _, n := range []int{65536} {
		loss, grad := make([]float32, n), make([]float32, n)
		for _, kind := range benchTargets {
			x, t := benchInputs(n, kind)
			for _, gamma := range []float64{2, 1.5} {
				for _, k := range benchKernels() {
					b.Run(fmt.Sprintf("kernel=%s/n=%d/gamma=%v/targets=%s", k.name, n, gamma, kind), func(b *testing.B) {
						b.SetBytes(int64(16 * n))
						for b.Loop() {
							k.lossGrad(loss, grad, x, t, 0.25, gamma)
						}
						b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
					})
				}
			}
		}
	}
}

// BenchmarkFirstBadTarget times the target scan of the checked API over good
// targets (the whole slice is read), per level and type; ns/elem is the
// time per target.
func BenchmarkFirstBadTarget(b *testing.B) {
	for _, n := range []int{1024, 65536} {
		_, t32 := benchInputs(n, "iou")
		t64 := make([]float64, n)
		for i, v := range t32 {
			t64[i] = float64(v)
		}
		for _, l := range Levels() {
			b.Run(fmt.Sprintf("level=%v/n=%d/type=float32", l, n), func(b *testing.B) {
				for b.Loop() {
					if l.FirstBadTarget32(t32) != -1 {
						b.Fatal("bad target")
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
			})
			b.Run(fmt.Sprintf("level=%v/n=%d/type=float64", l, n), func(b *testing.B) {
				for b.Loop() {
					if l.FirstBadTarget64(t64) != -1 {
						b.Fatal("bad target")
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
			})
		}
	}
}

// BenchmarkCall breaks down the fixed cost of a small call at the best level
// on hard targets, γ = 2: part=call is the whole Sum32 (or Sum64), part=cached
// the parameters' look-up in model's cache (where a call finds them after
// its first), part=params their set-up (Params32.Set, as a call does it
// when they are not in the cache), part=kernel the assembly function alone
// on parameters made once. n=65536's part=call gives the per-element time that
// n=16's is compared with (the call's cost over 16 × that time).
func BenchmarkCall(b *testing.B) {
	l := Levels()[len(Levels())-1]
	for _, n := range []int{16, 65536} {
		x, t := benchInputs(n, "hard")
		x64, t64 := make([]float64, n), make([]float64, n)
		for i := range x {
			x64[i], t64[i] = float64(x[i]), float64(t[i])
		}
		run := func(name string, f func() float64) {
			b.Run(fmt.Sprintf("level=%v/n=%d/%s", l, n, name), func(b *testing.B) {
				var s float64
				for b.Loop() {
					s += f()
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
			})
		}
		run("type=float32/part=call", func() float64 { return l.Sum32(x, t, 0.25, 2) })
		run("type=float64/part=call", func() float64 { return l.Sum64(x64, t64, 0.25, 2) })
		if n != 16 || l == Generic {
			continue
		}
		// part=cached alone (-bench '/part=cached') must find them there too
		model.Fill32(new(model.Params32), 0.25, 2)
		model.Fill64(new(model.Params64), 0.25, 2)
		run("type=float32/part=cached", func() float64 { return float64(model.Cached32(0.25, 2).G) })
		run("type=float64/part=cached", func() float64 { return model.Cached64(0.25, 2).G })
		run("type=float32/part=params", func() float64 { var p model.Params32; p.Set(0.25, 2); return float64(p.G) })
		run("type=float64/part=params", func() float64 { var p model.Params64; p.Set(0.25, 2); return p.G })
		p, p64 := model.NewParams32(0.25, 2), model.NewParams64(0.25, 2)
		run("type=float32/part=kernel", func() float64 { s, _ := simdSum(l, x, t, &p); return s })
		run("type=float64/part=kernel", func() float64 { return simdSum64(l, x64, t64, &p64) })
	}
}
