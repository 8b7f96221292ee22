package fast_test

import (
	"fmt"
	"testing"

	"github.com/focalkernels/focal/bench"
	"github.com/focalkernels/focal/impl/internal/fast"
	"github.com/focalkernels/focal/impl/stable"
)

// The benchmarks time this package against impl/stable on the module's
// benchmark data (bench.Data: logits from N(0, 4²), positives at 1 in 64,
// the three target kinds), under the module's names, so that
//
//	go test -tags purego -run '^$' -bench . -count 10 ./impl/internal/fast > fast.txt
//	go tool benchstat -col /kernel -table .name,/type,/targets fast.txt
//
// prints fast against stable per operation, type and target kind.

type kernel32 struct {
	name     string
	sum      func(x, t []float32, alpha, gamma float64) float64
	lossGrad func(loss, grad, x, t []float32, alpha, gamma float64)
}

type kernel64 struct {
	name     string
	sum      func(x, t []float64, alpha, gamma float64) float64
	lossGrad func(loss, grad, x, t []float64, alpha, gamma float64)
}

var (
	kernels32 = []kernel32{{"stable", stable.Sum32, stable.LossGrad32}, {"fast", fast.Sum32, fast.LossGrad32}}
	kernels64 = []kernel64{{"stable", stable.Sum64, stable.LossGrad64}, {"fast", fast.Sum64, fast.LossGrad64}}
)

const (
	benchN     = 65536
	benchGamma = 2
)

func benchName(k string, kind bench.Targets, typ string) string {
	return fmt.Sprintf("kernel=%s/n=%d/gamma=%v/targets=%s/type=%s", k, benchN, benchGamma, kind, typ)
}

var sink float64

func BenchmarkSum(b *testing.B) {
	for _, kind := range bench.AllTargets {
		x, t := bench.Data[float32](benchN, kind)
		for _, k := range kernels32 {
			b.Run(benchName(k.name, kind, "float32"), func(b *testing.B) {
				for b.Loop() {
					sink += k.sum(x, t, bench.Alpha, benchGamma)
				}
				perElem(b)
			})
		}
	}
	for _, kind := range bench.AllTargets {
		x, t := bench.Data[float64](benchN, kind)
		for _, k := range kernels64 {
			b.Run(benchName(k.name, kind, "float64"), func(b *testing.B) {
				for b.Loop() {
					sink += k.sum(x, t, bench.Alpha, benchGamma)
				}
				perElem(b)
			})
		}
	}
}

func BenchmarkLossGrad(b *testing.B) {
	for _, kind := range bench.AllTargets {
		x, t := bench.Data[float32](benchN, kind)
		loss, grad := make([]float32, benchN), make([]float32, benchN)
		for _, k := range kernels32 {
			b.Run(benchName(k.name, kind, "float32"), func(b *testing.B) {
				for b.Loop() {
					k.lossGrad(loss, grad, x, t, bench.Alpha, benchGamma)
				}
				perElem(b)
			})
		}
	}
	for _, kind := range bench.AllTargets {
		x, t := bench.Data[float64](benchN, kind)
		loss, grad := make([]float64, benchN), make([]float64, benchN)
		for _, k := range kernels64 {
			b.Run(benchName(k.name, kind, "float64"), func(b *testing.B) {
				for b.Loop() {
					k.lossGrad(loss, grad, x, t, bench.Alpha, benchGamma)
				}
				perElem(b)
			})
		}
	}
}

func perElem(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchN, "ns/elem")
}
