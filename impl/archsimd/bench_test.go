//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/asm"
	"github.com/focalkernels/focal/impl/internal/kerneltest"
)

// benchKernels are this package's vector levels and, for float32, impl/asm's
// beside them, so that one run compares them (benchstat -col /kernel).
func benchKernels[F kerneltest.Float]() []kerneltest.Kernel[F] {
	ks := kerneltest.Kernels[F](family, family.Vector())
	if kerneltest.Is32[F]() {
		asmFamily := kerneltest.NewFamily("asm", asm.AllLevels(), asm.Levels())
		ks = append(ks, kerneltest.Kernels[F](asmFamily, asmFamily.Vector())...)
	}
	return ks
}

// benchTargets are the module's target kinds (bench.Targets).
var benchTargets = []string{"hard", "smooth", "iou"}

// benchInputs are the module's benchmark data (bench.Data, which this
// package's tests cannot import: bench imports the module, which imports
// this package): N(0, 4²) logits, positives at 1/64, targets of the kind.
func benchInputs[F kerneltest.Float](n int, kind string) (x, t []F) {
	r := rand.New(rand.NewPCG(0xf0ca1, uint64(n)))
	x, t = make([]F, n), make([]F, n)
	for i := range x {
		x[i] = F(4 * r.NormFloat64())
		pos := r.Float64() < 1.0/64
		switch kind {
		case "hard":
			if pos {
				t[i] = 1
			}
		case "smooth":
			t[i] = 0.05
			if pos {
				t[i] = 0.95
			}
		case "iou":
			if pos {
				t[i] = F(1 - r.Float64())
			}
		}
	}
	return x, t
}

func BenchmarkSum32(b *testing.B)      { benchSum[float32](b) }
func BenchmarkSum64(b *testing.B)      { benchSum[float64](b) }
func BenchmarkLossGrad32(b *testing.B) { benchLossGrad[float32](b) }
func BenchmarkLossGrad64(b *testing.B) { benchLossGrad[float64](b) }

// benchSum and benchLossGrad: sub-benchmarks named
// targets=/n=/gamma=/kernel= for benchstat -col /kernel; ns/elem is the time
// per element.
func benchSum[F kerneltest.Float](b *testing.B) {
	const n = 65536
	for _, kind := range benchTargets {
		x, t := benchInputs[F](n, kind)
		for _, gamma := range []float64{2, 1.5, 0} {
			for _, k := range benchKernels[F]() {
				b.Run(fmt.Sprintf("targets=%s/n=%d/gamma=%v/kernel=%s", kind, n, gamma, k.Name), func(b *testing.B) {
					var s float64
					for b.Loop() {
						s += k.Sum(x, t, 0.25, gamma)
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
				})
			}
		}
	}
}

func benchLossGrad[F kerneltest.Float](b *testing.B) {
	const n = 65536
	loss, grad := make([]F, n), make([]F, n)
	for _, kind := range benchTargets {
		x, t := benchInputs[F](n, kind)
		for _, gamma := range []float64{2, 1.5} {
			for _, k := range benchKernels[F]() {
				b.Run(fmt.Sprintf("targets=%s/n=%d/gamma=%v/kernel=%s", kind, n, gamma, k.Name), func(b *testing.B) {
					for b.Loop() {
						k.LossGrad(loss, grad, x, t, 0.25, gamma)
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
				})
			}
		}
	}
}
