//go:build cpeer

package bench

import (
	"math"
	"testing"

	"github.com/klauspost/cpuid/v2"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/bench/cpeer/avx2"
	"github.com/focalkernels/focal/bench/cpeer/avx512"
)

// cPeer is a C peer as a Sum-only kernel.
type cPeer struct {
	name string
	sum  func(x, t []float32, alpha, gamma float64) float64
}

func (c cPeer) Name() string { return c.name }

func (c cPeer) Sum(x, t []float32, p focal.Params) float64 { return c.sum(x, t, p.Alpha, p.Gamma) }

// cPeers are the C peers this CPU can run.
func cPeers() []cPeer {
	var ps []cPeer
	if cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3) {
		ps = append(ps, cPeer{"c-avx2", avx2.Sum32})
	}
	if cpuid.CPU.Supports(cpuid.AVX512F, cpuid.AVX512BW, cpuid.AVX512CD, cpuid.AVX512DQ, cpuid.AVX512VL) {
		ps = append(ps, cPeer{"c-avx512", avx512.Sum32})
	}
	return ps
}

func init() {
	for _, p := range cPeers() {
		peers32 = append(peers32, p)
	}
}

// TestCPeer checks the C peers against the stable kernel on the benchmark data,
// for every γ and a length with a vector tail. The bound is loose: -ffast-math
// and libmvec are a few ULP per element, summed in double.
func TestCPeer(t *testing.T) {
	ps := cPeers()
	if len(ps) == 0 {
		t.Skip("this CPU has neither AVX2 nor AVX-512")
	}
	var stable focal.Kernel[float32]
	for _, k := range focal.Kernels[float32]() {
		if k.Name() == "stable" {
			stable = k
		}
	}
	for _, n := range []int{0, 1, 7, 1000, 1<<16 + 13} {
		x, tg := Data[float32](n)
		for _, p := range []focal.Params{{Alpha: 0.25, Gamma: 2}, {Alpha: 0.25, Gamma: 1.5}, {Alpha: -1, Gamma: 0}, {Alpha: 0.5, Gamma: 3}} {
			want := stable.Sum(x, tg, p)
			for _, c := range ps {
				got := c.Sum(x, tg, p)
				if math.Abs(got-want) > 1e-5*math.Abs(want)+1e-30 {
					t.Errorf("%s n=%d %+v: sum %v, stable %v (rel err %.2g)", c.name, n, p, got, want, math.Abs(got-want)/math.Abs(want))
				}
			}
		}
	}
}
