package fast_test

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/focalkernels/focal/impl/internal/fast"
	"github.com/focalkernels/focal/impl/internal/kerneltest"
	"github.com/focalkernels/focal/internal/ulp"
)

// same32 and same64 report the same bits, or NaN and NaN.
func same32(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) || a != a && b != b }
func same64(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) || a != a && b != b }

// TestElem: the per-element functions give the slice functions' bits, with
// the call's α as NewWeight(α), for every pattern and γ; so a driver with a
// weight per class (rows of C logits, one α per class) gets per element
// what a call with that class's α gives.
func TestElem(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	x32, t32 := kerneltest.Inputs[float32](rng, 3000, kerneltest.Mixed)
	x64, t64 := kerneltest.Inputs[float64](rng, 3000, kerneltest.Mixed)
	for _, gamma := range append(kerneltest.Gammas, 20, 1e4) {
		g := fast.NewGamma(gamma)
		for _, alpha := range alphas {
			w := fast.NewWeight(alpha)
			l32, g32 := make([]float32, len(x32)), make([]float32, len(x32))
			fast.LossGrad32(l32, g32, x32, t32, alpha, gamma)
			for i := range x32 {
				l, d := fast.Elem32(x32[i], t32[i], w, &g, true)
				lo, _ := fast.Elem32(x32[i], t32[i], w, &g, false)
				if !same32(float32(l), l32[i]) || !same32(float32(d), g32[i]) || !same32(float32(lo), l32[i]) {
					t.Fatalf("γ=%v α=%v x=%v t=%v: Elem32 %v %v (%v), LossGrad32 %v %v", gamma, alpha, x32[i], t32[i], l, d, lo, l32[i], g32[i])
				}
			}
			l64, g64 := make([]float64, len(x64)), make([]float64, len(x64))
			fast.LossGrad64(l64, g64, x64, t64, alpha, gamma)
			for i := range x64 {
				l, d := fast.Elem64(x64[i], t64[i], w, &g, true)
				lo, _ := fast.Elem64(x64[i], t64[i], w, &g, false)
				if !same64(l, l64[i]) || !same64(d, g64[i]) || !same64(lo, l64[i]) {
					t.Fatalf("γ=%v α=%v x=%v t=%v: Elem64 %v %v (%v), LossGrad64 %v %v", gamma, alpha, x64[i], t64[i], l, d, lo, l64[i], g64[i])
				}
			}
		}
	}
}

// TestScale: a weight scaled by v (a per-row or per-element weight) scales
// the loss and the gradient: exactly for a power of two (where the results
// are normal), within the bars of
// v times the unscaled results otherwise (the scaled weight keeps its
// products' rounding errors, so the float64 loss is v·loss rounded about
// once); v = 0 gives 0 for finite inputs.
func TestScale(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	x, tt := kerneltest.Inputs[float64](rng, 3000, kerneltest.Mixed)
	for _, gamma := range kerneltest.Gammas {
		g := fast.NewGamma(gamma)
		for _, alpha := range alphas {
			w := fast.NewWeight(alpha)
			var worst uint64
			for i := range x {
				l, d := fast.Elem64(x[i], tt[i], w, &g, true)
				l4, d4 := fast.Elem64(x[i], tt[i], w.Scale(4), &g, true)
				sub := func(a, b float64) bool { return math.Abs(a) < 0x1p-1020 || math.Abs(b) < 0x1p-1020 } // rounded in the subnormal range: ×4 is not exact there
				if !same64(l4, 4*l) && !sub(l, l4) || !same64(d4, 4*d) && !sub(d, d4) {
					t.Fatalf("γ=%v α=%v x=%v t=%v: weight ×4 gives %v %v, want %v %v", gamma, alpha, x[i], tt[i], l4, d4, 4*l, 4*d)
				}
				if l0, d0 := fast.Elem64(x[i], tt[i], w.Scale(0), &g, true); !math.IsInf(x[i], 0) && (l0 != 0 || d0 != 0) {
					t.Fatalf("γ=%v α=%v x=%v t=%v: weight ×0 gives %v %v", gamma, alpha, x[i], tt[i], l0, d0)
				}
				const v = 0.3
				lv, _ := fast.Elem64(x[i], tt[i], w.Scale(v), &g, false)
				if want := v * l; math.Abs(want) >= 0x1p-1022 && !math.IsInf(want, 0) {
					worst = max(worst, ulp.Dist64(lv, want))
				}
			}
			if worst > 2*barLoss {
				t.Errorf("γ=%v α=%v: weight ×0.3 gives a loss %d ULP from 0.3·loss", gamma, alpha, worst)
			}
		}
	}
}

// TestGuards: for every length to 70 and offset into larger slices, the
// functions write nothing past their outputs' ends, leave their inputs as
// they were, give LossGrad's loss bit for bit as Loss's, the same gradient
// with loss nil, and a Sum within 2^-50 of the float64 sum of the losses
// (the float32 Sum adds the unrounded losses); and they allocate nothing.
func TestGuards(t *testing.T) {
	rng := rand.New(rand.NewPCG(45, 46))
	for n := 0; n <= 70; n++ {
		for _, off := range []int{0, 1, 3} {
			x32, t32 := kerneltest.Inputs[float32](rng, n+off, kerneltest.Mixed)
			x32, t32 = x32[off:], t32[off:]
			x64, t64 := kerneltest.Inputs[float64](rng, n+off, kerneltest.Mixed)
			x64, t64 = x64[off:], t64[off:]
			for _, gamma := range []float64{0, 2, 1.5} {
				guard(t, x32, t32, gamma, fast.Loss32, fast.Sum32, fast.LossGrad32)
				guard(t, x64, t64, gamma, fast.Loss64, fast.Sum64, fast.LossGrad64)
			}
		}
	}
	x, tt := kerneltest.Inputs[float32](rng, 1000, kerneltest.Mixed)
	x64, t64 := kerneltest.Inputs[float64](rng, 1000, kerneltest.Mixed)
	l, g := make([]float32, len(x)), make([]float32, len(x))
	l64, g64 := make([]float64, len(x)), make([]float64, len(x))
	if a := testing.AllocsPerRun(5, func() {
		fast.Loss32(l, x, tt, 0.25, 1.5)
		fast.Sum32(x, tt, 0.25, 2)
		fast.LossGrad32(l, g, x, tt, 0.25, 2)
		fast.LossGrad32(nil, g, x, tt, -1, 0)
		fast.Loss64(l64, x64, t64, 0.25, 1.5)
		fast.Sum64(x64, t64, 0.25, 2)
		fast.LossGrad64(l64, g64, x64, t64, 0.25, 2)
		fast.LossGrad64(nil, g64, x64, t64, -1, 0)
	}); a != 0 {
		t.Errorf("%v allocations per run", a)
	}
}

func guard[F kerneltest.Float](t *testing.T, x, tt []F, gamma float64,
	loss func(dst, x, t []F, alpha, gamma float64),
	sum func(x, t []F, alpha, gamma float64) float64,
	lossGrad func(loss, grad, x, t []F, alpha, gamma float64)) {
	t.Helper()
	n := len(x)
	x0, t0 := append([]F(nil), x...), append([]F(nil), tt...)
	d, l, g, g2 := kerneltest.Filled[F](n+8), kerneltest.Filled[F](n+8), kerneltest.Filled[F](n+8), kerneltest.Filled[F](n+8)
	loss(d[:n], x, tt, 0.25, gamma)
	lossGrad(l[:n], g[:n], x, tt, 0.25, gamma)
	lossGrad(nil, g2[:n], x, tt, 0.25, gamma)
	s := sum(x, tt, 0.25, gamma)
	for _, out := range [][]F{d, l, g, g2} {
		if i := kerneltest.Written(out, n); i >= 0 {
			t.Fatalf("n=%d γ=%v: element %d past the end written", n, gamma, i)
		}
	}
	var want float64
	for i := range n {
		if x[i] != x0[i] && !(x[i] != x[i]) || tt[i] != t0[i] && !(tt[i] != tt[i]) {
			t.Fatalf("n=%d: input %d changed", n, i)
		}
		if float64(d[i]) != float64(l[i]) && !(d[i] != d[i] && l[i] != l[i]) || float64(g[i]) != float64(g2[i]) && !(g[i] != g[i] && g2[i] != g2[i]) {
			t.Fatalf("n=%d γ=%v i=%d: Loss %v, LossGrad %v %v, LossGrad(nil) gradient %v", n, gamma, i, d[i], l[i], g[i], g2[i])
		}
		want += float64(d[i])
	}
	tol := 0x1p-50 * math.Abs(want)
	if kerneltest.Is32[F]() {
		tol = 0x1p-23 * math.Abs(want) // the losses Loss rounded to float32
	}
	if math.Abs(s-want) > tol && !(s != s && want != want) && !(math.IsInf(s, 1) && math.IsInf(want, 1)) {
		t.Fatalf("n=%d γ=%v: Sum %v, sum of Loss %v", n, gamma, s, want)
	}
}

// TestConcurrent calls every function from many goroutines at once on
// shared inputs; run with -race.
func TestConcurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(47, 48))
	x, tt := kerneltest.Inputs[float32](rng, 500, kerneltest.Mixed)
	x64, t64 := kerneltest.Inputs[float64](rng, 500, kerneltest.Mixed)
	want := fast.Sum32(x, tt, 0.25, 2)
	want64 := fast.Sum64(x64, t64, 0.25, 2)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			l, g := make([]float32, len(x)), make([]float32, len(x))
			l64, g64 := make([]float64, len(x)), make([]float64, len(x))
			for range 20 {
				fast.LossGrad32(l, g, x, tt, 0.25, 1.5)
				fast.LossGrad64(l64, g64, x64, t64, 0.25, 1.5)
				if s := fast.Sum32(x, tt, 0.25, 2); s != want && !(s != s && want != want) {
					t.Errorf("Sum32 %v, want %v", s, want)
				}
				if s := fast.Sum64(x64, t64, 0.25, 2); s != want64 && !(s != s && want64 != want64) {
					t.Errorf("Sum64 %v, want %v", s, want64)
				}
			}
		})
	}
	wg.Wait()
}

// TestSumSpecial: a +Inf loss makes the sum +Inf (not the NaN of its
// rounding error), a NaN one NaN; and the sum of a million equal losses is
// their product to 2^-50 (the additions' errors are carried).
func TestSumSpecial(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	for _, n := range []int{1, 70, 200} {
		x, tt := make([]float64, n), make([]float64, n)
		x32, t32 := make([]float32, n), make([]float32, n)
		x[n/2], x32[n/2] = inf, float32(inf) // t = 0: loss +Inf
		if s, s32 := fast.Sum64(x, tt, 0.25, 2), fast.Sum32(x32, t32, 0.25, 2); !math.IsInf(s, 1) || !math.IsInf(s32, 1) {
			t.Errorf("n=%d: one +Inf loss: Sum64 %v, Sum32 %v", n, s, s32)
		}
		x[n/2], x32[n/2] = nan, float32(nan)
		if s, s32 := fast.Sum64(x, tt, 0.25, 2), fast.Sum32(x32, t32, 0.25, 2); s == s || s32 == s32 {
			t.Errorf("n=%d: one NaN loss: Sum64 %v, Sum32 %v", n, s, s32)
		}
	}
	const n = 1 << 20
	x, tt := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = 0.1
	}
	l := make([]float64, 1)
	fast.Loss64(l, x[:1], tt[:1], 0.25, 2)
	if s, want := fast.Sum64(x, tt, 0.25, 2), l[0]*n; math.Abs(s-want) > 0x1p-50*want {
		t.Errorf("Sum64 of %d equal losses %v, want %v", n, s, want)
	}
}
