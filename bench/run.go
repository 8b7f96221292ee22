package bench

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/focalkernels/focal"
)

// Sizes are the benchmark sizes in elements: a small batch, one that fits
// the caches, one that fits L3 on most servers, and one far past it (Huge).
var Sizes = []int{1 << 10, 1 << 16, 1 << 20, Huge}

// At is the size the README's figures, the speed bars and focal report's
// recommendation are at by default: 64Ki elements, 256 KiB of float32 input,
// which fits L2.
const At = 1 << 16

// Grid is the sizes focal report times by default: powers of 4 from 1Ki to
// 4Mi, enough points for a curve against N.
var Grid = []int{1 << 10, 1 << 12, 1 << 14, 1 << 16, 1 << 18, 1 << 20, 1 << 22}

// Huge is the size that streams from memory: 16Mi elements, 128 MiB of
// float32 input for Sum. Scalar kernels (focal.Spec.Scalar) skip it unless
// FOCAL_BENCH_FULL=1: 100 iterations of one at 40-170 ns per element take minutes.
const Huge = 1 << 24

// Gammas are the γ of the benchmarks: 2, RetinaNet's, which some kernels
// special-case, and 1.5, a general power.
var Gammas = []float64{2, 1.5}

// Sum benchmarks ks' Sum over the matrix of sizes, γ and target kinds, as
// sub-benchmarks named
//
//	kernel=K/n=N/gamma=G/targets=T/type=F
//
// the names this module's BenchmarkSum uses, so that a user's
//
//	func BenchmarkSum(b *testing.B) { bench.Sum(b, myKernel{}) }
//
// sits beside this module's kernels under go tool benchstat -col /kernel and
// focal choose. The kernel named "stable" runs first at each point, so that
// benchstat's ratios are against it. Each reports ns/op, B/s (the bytes of x
// and t), ns/elem and allocs/op. FOCAL_BENCH_N (such as 1Ki,1Mi) picks sizes,
// FOCAL_BENCH_TARGETS (such as hard,smooth) target kinds; -short drops Huge.
// A kernel with a method HardOnly() bool that returns true is timed on hard
// targets only.
func Sum[F focal.Float](b *testing.B, ks ...focal.Kernel[F]) {
	matrix(b, 2, ks, func(b *testing.B, k focal.Kernel[F], d *data[F], p focal.Params) {
		var s float64
		for b.Loop() {
			s += k.Sum(d.x, d.t, p)
		}
		runtime.KeepAlive(s)
	})
}

// Loss benchmarks ks' Loss as Sum does (B/s counts x, t and the output).
func Loss[F focal.Float](b *testing.B, ks ...focal.Kernel[F]) {
	matrix(b, 3, general(ks), func(b *testing.B, k focal.Kernel[F], d *data[F], p focal.Params) {
		for b.Loop() {
			k.Loss(d.loss, d.x, d.t, p)
		}
		keep(d.loss)
	})
}

// LossGrad benchmarks ks' LossGrad, with a loss output, as Sum does (B/s
// counts x, t and both outputs).
func LossGrad[F focal.Float](b *testing.B, ks ...focal.Kernel[F]) {
	matrix(b, 4, general(ks), func(b *testing.B, k focal.Kernel[F], d *data[F], p focal.Params) {
		for b.Loop() {
			k.LossGrad(d.loss, d.grad, d.x, d.t, p)
		}
		keep(d.loss)
		keep(d.grad)
	})
}

// hardOnly is a kernel that takes hard targets only and has only Sum.
type hardOnly interface{ HardOnly() bool }

// HardOnly reports whether k takes hard targets only and has only Sum: it has
// a method HardOnly() bool that returns true (the C peers' z-form sums).
func HardOnly(k any) bool { h, ok := k.(hardOnly); return ok && h.HardOnly() }

func isHardOnly(k any) bool { return HardOnly(k) }

// general drops the hard-only kernels, which have no Loss or LossGrad.
func general[F focal.Float](ks []focal.Kernel[F]) []focal.Kernel[F] {
	return slices.DeleteFunc(slices.Clone(ks), func(k focal.Kernel[F]) bool { return isHardOnly(k) })
}

// keep makes the output observable after the loop, so that the compiler
// cannot drop the work.
func keep[F focal.Float](s []F) { runtime.KeepAlive(s) }

// data are the inputs and outputs for one size and kind, made before the timer starts.
type data[F focal.Float] struct {
	x, t, loss, grad []F
}

// matrix runs body for every size, target kind, γ and kernel, in that
// nesting order so that each size and kind's data are made once. slices is
// the number of n-element slices the operation reads and writes.
func matrix[F focal.Float](b *testing.B, slices int, ks []focal.Kernel[F], body func(b *testing.B, k focal.Kernel[F], d *data[F], p focal.Params)) {
	sizes, err := envSizes()
	if err != nil {
		b.Fatal(err)
	}
	kinds, err := envTargets()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range sizes {
		if testing.Short() && n >= Huge {
			continue
		}
		for _, kind := range kinds {
			var d *data[F]
			for _, g := range Gammas {
				p := focal.Params{Alpha: Alpha, Gamma: g}
				for _, k := range baseFirst(ks) {
					if !runs(k, n, kind) {
						continue
					}
					b.Run(Name(k.Name(), n, g, kind, TypeName[F]()), func(b *testing.B) {
						if d == nil {
							x, t := Data[F](n, kind)
							d = &data[F]{x: x, t: t, loss: make([]F, n), grad: make([]F, n)}
							// Fault the outputs' pages in now: at Huge the first
							// iteration would otherwise pay for 256 MiB of page
							// faults inside the timing.
							clear(d.loss)
							clear(d.grad)
						}
						b.SetBytes(int64(slices * n * int(unsafe.Sizeof(F(0)))))
						b.ReportAllocs()
						b.ResetTimer()
						body(b, k, d, p)
						b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
					})
				}
			}
		}
	}
}

// Name is a benchmark's sub-name: kernel, size, γ, target kind, type.
func Name(kernel string, n int, gamma float64, kind Targets, typ string) string {
	return fmt.Sprintf("kernel=%s/n=%d/gamma=%g/targets=%s/type=%s", kernel, n, gamma, kind, typ)
}

// TypeName is "float32" or "float64", F's underlying type.
func TypeName[F focal.Float]() string {
	if unsafe.Sizeof(F(0)) == 4 {
		return "float32"
	}
	return "float64"
}

// runs reports whether kernel k is timed at size n on target kind: scalar
// kernels skip Huge unless FOCAL_BENCH_FULL=1, hard-only ones every kind but
// Hard.
func runs(k any, n int, kind Targets) bool {
	name := k.(interface{ Name() string }).Name()
	if isHardOnly(k) && kind != Hard {
		return false
	}
	if s, ok := focal.SpecOf(name); ok && s.Scalar && n >= Huge {
		return os.Getenv("FOCAL_BENCH_FULL") == "1"
	}
	return true
}

// base is the kernel run first at every point: benchstat takes the first
// column as the base of its ratios, and stable, the pure-Go accuracy
// reference, is the useful base ("asm-avx2 is -97% against stable").
const base = "stable"

// baseFirst returns ks with base first, the rest in order.
func baseFirst[F focal.Float](ks []focal.Kernel[F]) []focal.Kernel[F] {
	out := slices.Clone(ks)
	slices.SortStableFunc(out, func(a, b focal.Kernel[F]) int {
		switch {
		case a.Name() == base && b.Name() != base:
			return -1
		case b.Name() == base && a.Name() != base:
			return 1
		}
		return 0
	})
	return out
}

// envSizes reads FOCAL_BENCH_N, or gives Sizes.
func envSizes() ([]int, error) { return envList("FOCAL_BENCH_N", Sizes, ParseSize) }

// envTargets reads FOCAL_BENCH_TARGETS, or gives AllTargets.
func envTargets() ([]Targets, error) {
	return envList("FOCAL_BENCH_TARGETS", AllTargets, func(f string) (Targets, error) { return ParseTargets(strings.TrimSpace(f)) })
}

// envList reads a comma-separated list from the environment variable name,
// each item parsed by parse, or gives def.
func envList[T any](name string, def []T, parse func(string) (T, error)) ([]T, error) {
	s := os.Getenv(name)
	if s == "" {
		return def, nil
	}
	var out []T
	for _, f := range strings.Split(s, ",") {
		v, err := parse(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		out = append(out, v)
	}
	return out, nil
}
