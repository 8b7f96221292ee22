//go:build cpeer

package bench

import (
	"math"
	"testing"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/bench/cpeer"
)

// cPeer is a C peer as a Sum-only kernel.
type cPeer struct{ cpeer.Peer }

func (c cPeer) Name() string { return c.Peer.Name }

func (c cPeer) Sum(x, t []float32, p focal.Params) float64 { return c.Sum32(x, t, p.Alpha, p.Gamma) }

func cPeers() []cPeer {
	var ps []cPeer
	for _, p := range cpeer.Peers() {
		ps = append(ps, cPeer{p})
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
					t.Errorf("%s n=%d %+v: sum %v, stable %v (rel err %.2g)", c.Name(), n, p, got, want, math.Abs(got-want)/math.Abs(want))
				}
			}
		}
	}
}
