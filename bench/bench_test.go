package bench

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"unsafe"

	"github.com/focalkernels/focal"
)

// sizes are the default benchmark sizes; huge is the smallest of them that
// runs only for the fast kernels unless FOCAL_BENCH_FULL=1.
var sizes = []int{1 << 10, 1 << 16, 1 << 20, 1 << 24}

const huge = 1 << 24

var gammas = []float64{2, 1.5}

// slowKernels are the scalar pure-Go kernels (40 to 170 ns per element here),
// left out at huge sizes by default: 100 iterations of one of them at 16Mi take
// minutes, and the SIMD kernels are what the huge size is for.
var slowKernels = map[string]bool{"naive": true, "stable": true, "asm-generic": true}

// sumPeer is a Sum-only kernel from outside the module (the C peers).
type sumPeer[F focal.Float] interface {
	Name() string
	Sum(x, t []F, p focal.Params) float64
}

// peers32 and peers64 are filled by the cpeer build.
var (
	peers32 []sumPeer[float32]
	peers64 []sumPeer[float64]
)

// sinks keep results live so the compiler cannot drop the work.
var (
	sinkSum float64
	sink32  float32
	sink64  float64
)

func benchSizes(b *testing.B) []int {
	ns := sizes
	if s := os.Getenv("FOCAL_BENCH_N"); s != "" {
		ns = nil
		for _, f := range strings.Split(s, ",") {
			n, err := ParseSize(f)
			if err != nil {
				b.Fatalf("FOCAL_BENCH_N: %v", err)
			}
			ns = append(ns, n)
		}
	}
	if testing.Short() {
		var keep []int
		for _, n := range ns {
			if n < huge {
				keep = append(keep, n)
			}
		}
		ns = keep
	}
	return ns
}

func runs(name string, n int) bool {
	return n < huge || !slowKernels[name] || os.Getenv("FOCAL_BENCH_FULL") == "1"
}

func typeName[F focal.Float]() string {
	if unsafe.Sizeof(F(0)) == 4 {
		return "float32"
	}
	return "float64"
}

// data are the inputs and outputs for one size, made before the timer starts.
type data[F focal.Float] struct {
	x, t, loss, grad []F
}

// matrix runs body for every size, γ and kernel, in that nesting order so each
// size's data are made once, and names each run kernel=/n=/gamma=/type=.
// slices is the number of n-element slices the operation reads and writes.
func matrix[F focal.Float](b *testing.B, slices int, kernels []string, body func(b *testing.B, k int, d *data[F], p focal.Params)) {
	for _, n := range benchSizes(b) {
		var d *data[F]
		get := func() *data[F] {
			if d == nil {
				x, t := Data[F](n)
				d = &data[F]{x: x, t: t, loss: make([]F, n), grad: make([]F, n)}
			}
			return d
		}
		for _, g := range gammas {
			p := focal.Params{Alpha: Alpha, Gamma: g}
			for _, k := range baseFirst(kernels) {
				name := kernels[k]
				if !runs(name, n) {
					continue
				}
				b.Run(fmt.Sprintf("kernel=%s/n=%d/gamma=%g/type=%s", name, n, g, typeName[F]()), func(b *testing.B) {
					d := get()
					b.SetBytes(int64(slices * n * int(unsafe.Sizeof(F(0)))))
					b.ReportAllocs()
					b.ResetTimer()
					body(b, k, d, p)
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
				})
			}
		}
		d = nil // let the GC take this size's data before the next one
	}
}

// base is the kernel run first at every size: benchstat takes the first
// column as the base of its ratios, and stable, the pure-Go accuracy
// reference, is the useful base ("asm-avx2 is -97% against stable").
const base = "stable"

// baseFirst returns the indexes of kernels with base first, the rest in order.
func baseFirst(kernels []string) []int {
	var idx []int
	for i, k := range kernels {
		if k == base {
			idx = append([]int{i}, idx...)
		} else {
			idx = append(idx, i)
		}
	}
	return idx
}

func names[F focal.Float](ks []focal.Kernel[F]) []string {
	var s []string
	for _, k := range ks {
		s = append(s, k.Name())
	}
	return s
}

func benchSum[F focal.Float](b *testing.B, peers []sumPeer[F]) {
	all := []sumPeer[F]{}
	for _, k := range focal.Kernels[F]() {
		all = append(all, k)
	}
	all = append(all, peers...)
	var ns []string
	for _, k := range all {
		ns = append(ns, k.Name())
	}
	matrix(b, 2, ns, func(b *testing.B, k int, d *data[F], p focal.Params) {
		var s float64
		for b.Loop() {
			s += all[k].Sum(d.x, d.t, p)
		}
		sinkSum = s
	})
}

func benchLoss[F focal.Float](b *testing.B) {
	ks := focal.Kernels[F]()
	matrix(b, 3, names(ks), func(b *testing.B, k int, d *data[F], p focal.Params) {
		for b.Loop() {
			ks[k].Loss(d.loss, d.x, d.t, p)
		}
		keep(d.loss)
	})
}

func benchLossGrad[F focal.Float](b *testing.B) {
	ks := focal.Kernels[F]()
	matrix(b, 4, names(ks), func(b *testing.B, k int, d *data[F], p focal.Params) {
		for b.Loop() {
			ks[k].LossGrad(d.loss, d.grad, d.x, d.t, p)
		}
		keep(d.loss)
		keep(d.grad)
	})
}

// keep makes the output observable after the loop.
func keep[F focal.Float](s []F) {
	if len(s) == 0 {
		return
	}
	if unsafe.Sizeof(F(0)) == 4 {
		sink32 += float32(s[len(s)-1])
	} else {
		sink64 += float64(s[len(s)-1])
	}
}

func BenchmarkSum(b *testing.B) {
	benchSum(b, peers32)
	benchSum(b, peers64)
}

func BenchmarkLoss(b *testing.B) {
	benchLoss[float32](b)
	benchLoss[float64](b)
}

func BenchmarkLossGrad(b *testing.B) {
	benchLossGrad[float32](b)
	benchLossGrad[float64](b)
}

func TestParseSize(t *testing.T) {
	for s, want := range map[string]int{"1024": 1024, "64Ki": 65536, "16Mi": 1 << 24, " 1Ki": 1024} {
		if got, err := ParseSize(s); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "Ki", "-1", "x"} {
		if _, err := ParseSize(s); err == nil {
			t.Errorf("ParseSize(%q) succeeded", s)
		}
	}
}

func TestData(t *testing.T) {
	x, tg := Data[float32](1 << 16)
	x2, _ := Data[float32](1 << 16)
	pos := 0
	for i := range x {
		if x[i] != x2[i] {
			t.Fatal("Data is not deterministic")
		}
		if tg[i] == 1 {
			pos++
		}
	}
	if r := float64(pos) / float64(len(x)); r < PositiveRate/2 || r > PositiveRate*2 {
		t.Errorf("positive rate %.4f, want about %.4f", r, PositiveRate)
	}
}

func TestBaseFirst(t *testing.T) {
	got := baseFirst([]string{"naive", "stable", "asm-avx2"})
	if len(got) != 3 || got[0] != 1 || got[1] != 0 || got[2] != 2 {
		t.Errorf("baseFirst = %v, want [1 0 2]", got)
	}
	if got := baseFirst([]string{"a", "b"}); got[0] != 0 || got[1] != 1 {
		t.Errorf("baseFirst without stable = %v, want [0 1]", got)
	}
}

func TestRuns(t *testing.T) {
	t.Setenv("FOCAL_BENCH_FULL", "")
	if runs("naive", huge) || runs("asm-generic", huge) || !runs("naive", 1<<20) || !runs("asm-avx2", huge) {
		t.Error("the slow kernels should skip only the huge size")
	}
	t.Setenv("FOCAL_BENCH_FULL", "1")
	if !runs("naive", huge) {
		t.Error("FOCAL_BENCH_FULL=1 should run everything")
	}
}
