//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/asm"
)

type benchKernel32 struct {
	name     string
	sum      func(x, t []float32, alpha, gamma float64) float64
	lossGrad func(loss, grad, x, t []float32, alpha, gamma float64)
}

// benchKernels32 are this package's vector levels beside impl/asm's, so that
// one run compares them (benchstat -col /kernel).
func benchKernels32() []benchKernel32 {
	var ks []benchKernel32
	for _, l := range Levels()[1:] {
		ks = append(ks, benchKernel32{"archsimd-" + l.String(), l.Sum32, l.LossGrad32})
	}
	for _, l := range asm.Levels()[1:] {
		ks = append(ks, benchKernel32{"asm-" + l.String(), l.Sum32, l.LossGrad32})
	}
	return ks
}

// benchInputs32 are hard targets (1 in 64 positive) and N(0, 4²) logits, as
// in a detector's head and the module's benchmarks (bench.Data).
func benchInputs32(n int) (x, t []float32) {
	rng := rand.New(rand.NewPCG(5, 6))
	x, t = make([]float32, n), make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64() * 4)
		if rng.Float64() < 1.0/64 {
			t[i] = 1
		}
	}
	return x, t
}

// BenchmarkSum32 and BenchmarkLossGrad32: sub-benchmarks named
// kernel=/n=/gamma= for benchstat -col /kernel; ns/elem is the time per element.
func BenchmarkSum32(b *testing.B) {
	const n = 65536
	x, t := benchInputs32(n)
	for _, gamma := range []float64{2, 1.5, 0} {
		for _, k := range benchKernels32() {
			b.Run(fmt.Sprintf("kernel=%s/n=%d/gamma=%v", k.name, n, gamma), func(b *testing.B) {
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

func BenchmarkLossGrad32(b *testing.B) {
	const n = 65536
	x, t := benchInputs32(n)
	loss, grad := make([]float32, n), make([]float32, n)
	for _, gamma := range []float64{2, 1.5} {
		for _, k := range benchKernels32() {
			b.Run(fmt.Sprintf("kernel=%s/n=%d/gamma=%v", k.name, n, gamma), func(b *testing.B) {
				b.SetBytes(int64(16 * n))
				for b.Loop() {
					k.lossGrad(loss, grad, x, t, 0.25, gamma)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
			})
		}
	}
}
