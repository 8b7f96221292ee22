package focal_test

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/focalkernels/focal"
)

// The hot paths allocate nothing: every kernel's methods, and the checked API.
func TestNoAllocs(t *testing.T) { bothTypes(t, testNoAllocs[float32], testNoAllocs[float64]) }

func testNoAllocs[F focal.Float](t *testing.T) {
	x, tt := data[F](257, 1)
	loss, grad := make([]F, len(x)), make([]F, len(x))
	for _, k := range focal.Kernels[F]() {
		noAllocs(t, 10, k.Name()+".", map[string]func(){
			"Loss":     func() { k.Loss(loss, x, tt, retina) },
			"Sum":      func() { k.Sum(x, tt, retina) },
			"LossGrad": func() { k.LossGrad(loss, grad, x, tt, retina) },
		})
	}
	noAllocs(t, 10, "checked ", map[string]func(){
		"Loss":     func() { _ = focal.Loss(loss, x, tt, retina) },
		"Sum":      func() { _, _ = focal.Sum(x, tt, retina) },
		"LossGrad": func() { _ = focal.LossGrad(nil, grad, x, tt, retina) },
	})
}

// noAllocs: each of calls allocates nothing, on average over runs calls;
// a message names it after who (a kernel's name and ".", or "checked ").
func noAllocs(t *testing.T, runs int, who string, calls map[string]func()) {
	t.Helper()
	for name, f := range calls {
		if n := testing.AllocsPerRun(runs, f); n != 0 {
			t.Errorf("%s%s: %v allocations per call", who, name, n)
		}
	}
}

// Many goroutines call every kernel at once on shared inputs; each must get
// what a lone call gets. Run with -race to check for data races as well.
func TestConcurrent(t *testing.T) { bothTypes(t, testConcurrent[float32], testConcurrent[float64]) }

func testConcurrent[F focal.Float](t *testing.T) {
	x, tt := data[F](1000, 2)
	for _, k := range focal.Kernels[F]() {
		want := make([]F, len(x))
		k.Loss(want, x, tt, retina)
		wantSum := k.Sum(x, tt, retina)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				loss, grad := make([]F, len(x)), make([]F, len(x))
				for range 20 {
					k.LossGrad(loss, grad, x, tt, retina)
					for i := range loss {
						if !same(loss[i], want[i]) {
							t.Errorf("%s: concurrent loss[%d] = %v, alone %v", k.Name(), i, loss[i], want[i])
							return
						}
					}
					if s := k.Sum(x, tt, retina); s != wantSum {
						t.Errorf("%s: concurrent Sum %v, alone %v", k.Name(), s, wantSum)
						return
					}
				}
			})
		}
		wg.Wait()
	}
}

// data returns detection-like inputs: logits from N(0, 4²), one positive in ten.
func data[F focal.Float](n int, seed uint64) (x, t []F) {
	r := rand.New(rand.NewPCG(seed, 7))
	x, t = make([]F, n), make([]F, n)
	for i := range x {
		x[i] = F(4 * r.NormFloat64())
		if r.IntN(10) == 0 {
			t[i] = 1
		}
	}
	return x, t
}
