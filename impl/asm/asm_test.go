package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/focalkernels/focal/internal/golden"
	"github.com/focalkernels/focal/internal/ulp"
)

func TestLevels(t *testing.T) {
	ls := Levels()
	if len(ls) == 0 || ls[0] != Generic {
		t.Fatalf("Levels() = %v: want Generic first", ls)
	}
	for i := 1; i < len(ls); i++ {
		if ls[i] != ls[i-1]+1 {
			t.Fatalf("Levels() = %v: want consecutive levels", ls)
		}
	}
	if ls[len(ls)-1] != Best() {
		t.Errorf("Best() = %v, want %v", Best(), ls[len(ls)-1])
	}
	for i, l := range AllLevels() {
		if got := l.String(); got != levelNames[i] || Level(i) != l {
			t.Errorf("AllLevels()[%d] = %v (%d), want %q", i, l, l, levelNames[i])
		}
	}
	t.Logf("levels here: %v (cpu level %v)", ls, cpuLevel())
	if int(usable) < len(AllLevels())-1 {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("calling level %v, not usable here, did not panic", usable+1)
				}
			}()
			(usable + 1).Sum32([]float32{1}, []float32{0}, 0.25, 2)
		}()
	}
}

// isNormal32 reports whether v is zero or rounds to a normal finite float32.
func isNormal32(v float64) bool {
	f := float32(v)
	a := math.Abs(float64(f))
	return !math.IsInf(float64(f), 0) && !math.IsNaN(v) && (v == 0 || a >= 0x1p-126)
}

// TestGolden holds every level to the bars of issue 3 over every golden row
// whose true value is a normal float32: loss ≤ 4 ULP, gradient ≤ 8 in units of
// ref_grad_scale·2^-23.
func TestGolden(t *testing.T) {
	rows := golden.Rows()
	for _, l := range testLevels() {
		t.Run(l.String(), func(t *testing.T) {
			var maxL uint64
			var maxG float64
			var rowL, rowG, nL, nG int
			loss, grad := make([]float32, 1), make([]float32, 1)
			for i, r := range rows {
				x, tt := []float32{float32(r.X)}, []float32{float32(r.T)}
				l.LossGrad32(loss, grad, x, tt, r.Alpha, r.Gamma)
				if isNormal32(r.RefLoss) {
					nL++
					if d := ulp.Dist32(loss[0], float32(r.RefLoss)); d > maxL {
						maxL, rowL = d, i
					}
				}
				if isNormal32(r.RefGrad) {
					nG++
					if e := ulp.GradErr(float64(grad[0]), r.RefGrad, r.RefGradScale, ulp.Eps32); e > maxG {
						maxG, rowG = e, i
					}
				}
				// Loss32 and Sum32 must give the same loss.
				l.Loss32(loss, x, tt, r.Alpha, r.Gamma)
				if s := l.Sum32(x, tt, r.Alpha, r.Gamma); float32(s) != loss[0] && !(s != s && loss[0] != loss[0]) {
					t.Errorf("row %d: Sum32 %v != Loss32 %v", i, s, loss[0])
				}
			}
			t.Logf("asm-%v: loss max %d ULP over %d rows (row %d %+v)", l, maxL, nL, rowL, rows[rowL])
			t.Logf("asm-%v: grad max %.3g scaled over %d rows (row %d %+v)", l, maxG, nG, rowG, rows[rowG])
			if maxL > 4 {
				t.Errorf("loss error %d ULP > 4", maxL)
			}
			if maxG > 8 {
				t.Errorf("gradient error %.3g > 8", maxG)
			}
		})
	}
}

var gammas = []float64{0, 1, 2, 1.5, 3, 0.5, 5}

// Kinds of target pattern for inputs.
const (
	kindHard      = iota // every target 0 or 1
	kindMixed            // a third soft, at random places
	kindSoft             // every target soft
	kindOneInTen         // every tenth soft
	kindAlternate        // soft, hard, soft, …
	kindSoftTail         // hard but for the last few (the masked tail)
	nKinds
)

// softTarget draws a soft target: label smoothing's, a few fixed ones,
// near the ends, and uniform.
func softTarget(rng *rand.Rand) float32 {
	switch rng.IntN(4) {
	case 0:
		return []float32{0.05, 0.95}[rng.IntN(2)]
	case 1:
		return []float32{0.5, 0.1, 0.9, 0.25, 1e-3, 1e-30, 1 - 0x1p-24}[rng.IntN(7)]
	case 2:
		v := float32(math.Exp(-rng.Float64() * 40))
		if rng.IntN(2) == 0 {
			return v
		}
		return 1 - v
	}
	for {
		if v := rng.Float32(); v != 0 {
			return v
		}
	}
}

// inputs returns n logits and targets of the given kind.
func inputs(rng *rand.Rand, n, kind int) (x, t []float32) {
	x, t = make([]float32, n), make([]float32, n)
	tail := n - min(n, 1+n%7)
	for i := range x {
		switch rng.IntN(4) {
		case 0:
			x[i] = float32(rng.NormFloat64() * 4)
		case 1:
			x[i] = float32(rng.NormFloat64() * 30)
		case 2: // log-uniform over the whole range
			x[i] = float32(math.Exp2(rng.Float64()*250-125)) * float32(1-2*rng.IntN(2))
		default:
			x[i] = float32(rng.Float64()*200 - 100)
		}
		t[i] = float32(rng.IntN(2))
		var soft bool
		switch kind {
		case kindMixed:
			soft = rng.IntN(3) == 0
		case kindSoft:
			soft = true
		case kindOneInTen:
			soft = i%10 == 9
		case kindAlternate:
			soft = i%2 == 0
		case kindSoftTail:
			soft = i >= tail
		}
		if soft {
			t[i] = softTarget(rng)
		}
	}
	return x, t
}

const sentinel = float32(-12345.5)

func filled(n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = sentinel
	}
	return s
}

func checkSentinel(t *testing.T, what string, s []float32, from int) {
	t.Helper()
	for i := from; i < len(s); i++ {
		if s[i] != sentinel {
			t.Fatalf("%s: element %d past the end was written: %v", what, i, s[i])
		}
	}
}

// agree compares a level's result with the generic one.
type agree struct {
	maxLoss, maxGrad uint64
	maxSumRel        float64
}

func (a *agree) add(t *testing.T, what string, got, want []float32, isGrad bool) {
	t.Helper()
	for i := range want {
		d := ulp.Dist32(got[i], want[i])
		if d > 2 {
			t.Errorf("%s: element %d: %v vs generic %v (%d ULP)", what, i, got[i], want[i], d)
		}
		if isGrad {
			a.maxGrad = max(a.maxGrad, d)
		} else {
			a.maxLoss = max(a.maxLoss, d)
		}
	}
}

// TestAgree: every level agrees with Generic within 2 ULP on every element for
// every length 0..70, at every misalignment 0..15 (0..2 with -short), for
// every pattern of hard and soft targets (inputs' kinds) and every γ mode;
// outputs are never written past their end; misaligned slices give
// bit-identical results. (The levels compute the same operations, so the
// agreement is in fact exact; the bar is the one the package documents.)
func TestAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	offsets := agreeOffsets()
	for _, l := range vectorLevels() {
		var a agree
		for kind := range nKinds {
			for _, gamma := range gammas {
				for _, alpha := range []float64{0.25, -1} {
					for n := 0; n <= 70; n++ {
						x, tt := inputs(rng, n, kind)
						ref, refG := make([]float32, n), make([]float32, n)
						Generic.LossGrad32(ref, refG, x, tt, alpha, gamma)
						refS := Generic.Sum32(x, tt, alpha, gamma)
						var base, baseG []float32
						for off := range offsets {
							what := fmt.Sprintf("%v kind=%d γ=%v α=%v n=%d off=%d", l, kind, gamma, alpha, n, off)
							xs := make([]float32, n+off)[off:]
							ts := make([]float32, n+off)[off:]
							copy(xs, x)
							copy(ts, tt)
							loss, grad := filled(n + off + 20)[off:], filled(n + off + 20)[off:]
							l.LossGrad32(loss[:n], grad[:n], xs, ts, alpha, gamma)
							checkSentinel(t, what+" LossGrad32 loss", loss, n)
							checkSentinel(t, what+" LossGrad32 grad", grad, n)
							a.add(t, what+" LossGrad32 loss", loss[:n], ref, false)
							a.add(t, what+" LossGrad32 grad", grad[:n], refG, true)
							if off == 0 {
								base, baseG = append([]float32(nil), loss[:n]...), append([]float32(nil), grad[:n]...)
							} else {
								for i := range base {
									if math.Float32bits(base[i]) != math.Float32bits(loss[i]) || math.Float32bits(baseG[i]) != math.Float32bits(grad[i]) {
										t.Fatalf("%s: element %d differs from offset 0", what, i)
									}
								}
							}
							g2 := filled(n + 20)
							l.LossGrad32(nil, g2[:n], xs, ts, alpha, gamma)
							checkSentinel(t, what+" LossGrad32 nil loss", g2, n)
							for i := range n {
								if math.Float32bits(g2[i]) != math.Float32bits(grad[i]) {
									t.Fatalf("%s: nil-loss gradient %d: %v != %v", what, i, g2[i], grad[i])
								}
							}
							d := filled(n + 20)
							l.Loss32(d[:n], xs, ts, alpha, gamma)
							checkSentinel(t, what+" Loss32", d, n)
							for i := range n {
								if math.Float32bits(d[i]) != math.Float32bits(loss[i]) {
									t.Fatalf("%s: Loss32 %d: %v != LossGrad32 %v", what, i, d[i], loss[i])
								}
							}
							s := l.Sum32(xs, ts, alpha, gamma)
							if rel := math.Abs(s-refS) / math.Abs(refS); refS != 0 && rel > a.maxSumRel {
								a.maxSumRel = rel
							}
							if math.Abs(s-refS) > 1e-6*math.Abs(refS) {
								t.Errorf("%s: Sum32 %v vs generic %v", what, s, refS)
							}
						}
					}
				}
			}
		}
		t.Logf("asm-%v vs asm-generic: loss max %d ULP, grad max %d ULP, sum max rel %.3g", l, a.maxLoss, a.maxGrad, a.maxSumRel)
	}
}

// TestAgreeGolden: the levels agree within 2 ULP on the golden inputs, run as one long slice.
func TestAgreeGolden(t *testing.T) {
	rows := golden.Rows()
	// group rows by (α, γ) so that each group is one call
	type key struct{ a, g float64 }
	groups := map[key][]golden.Row{}
	for _, r := range rows {
		k := key{r.Alpha, r.Gamma}
		groups[k] = append(groups[k], r)
	}
	for _, l := range vectorLevels() {
		var worst uint64
		for k, rs := range groups {
			x, tt := make([]float32, len(rs)), make([]float32, len(rs))
			for i, r := range rs {
				x[i], tt[i] = float32(r.X), float32(r.T)
			}
			n := len(rs)
			ref, refG := make([]float32, n), make([]float32, n)
			Generic.LossGrad32(ref, refG, x, tt, k.a, k.g)
			loss, grad := make([]float32, n), make([]float32, n)
			l.LossGrad32(loss, grad, x, tt, k.a, k.g)
			for i := range n {
				d := max(ulp.Dist32(loss[i], ref[i]), ulp.Dist32(grad[i], refG[i]))
				worst = max(worst, d)
				if d > 2 {
					t.Errorf("%v α=%v γ=%v x=%v t=%v: loss %v/%v grad %v/%v", l, k.a, k.g, x[i], tt[i], loss[i], ref[i], grad[i], refG[i])
				}
			}
		}
		t.Logf("asm-%v vs asm-generic on golden inputs: max %d ULP", l, worst)
	}
}

// TestSpecial: NaN in gives NaN out; ±Inf logits give the limits; finite
// inputs over the whole float32 range give finite results unless the loss
// overflows; with hard and soft targets, the soft ones in a vector's lanes
// (a slice of one element) and among hard ones (a longer slice).
func TestSpecial(t *testing.T) {
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	for _, l := range testLevels() {
		for _, gamma := range gammas {
			x := []float32{nan, 1, inf, inf, -inf, -inf, 0, math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32,
				nan, inf, -inf, inf, -inf, math.MaxFloat32, -math.MaxFloat32, -1e30, 40, -0.5}
			tt := []float32{0, nan, 1, 0, 0, 1, 1, 1, 0, 0,
				0.3, 0.25, 0.25, 1e-30, 1e-30, 0.05, 1e-20, 1e-40, 0.95, 0.5}
			for _, lanes := range []int{1, len(x)} {
				loss, grad := make([]float32, len(x)), make([]float32, len(x))
				for i := 0; i < len(x); i += lanes {
					l.LossGrad32(loss[i:i+lanes], grad[i:i+lanes], x[i:i+lanes], tt[i:i+lanes], 0.25, gamma)
				}
				what := fmt.Sprintf("%v γ=%v lanes=%d", l, gamma, lanes)
				for _, i := range []int{0, 1, 10} {
					if loss[i] == loss[i] || grad[i] == grad[i] {
						t.Errorf("%s: x=%v t=%v: loss %v grad %v, want NaN", what, x[i], tt[i], loss[i], grad[i])
					}
				}
				// x=+Inf,t=1 and x=-Inf,t=0: loss 0, grad 0
				for _, i := range []int{2, 4} {
					if loss[i] != 0 || grad[i] != 0 {
						t.Errorf("%s: x=%v t=%v: loss %v grad %v, want 0, 0", what, x[i], tt[i], loss[i], grad[i])
					}
				}
				// the loss's limit is +Inf, for a soft target even where q^γ underflows
				for _, i := range []int{3, 5, 11, 12, 13, 14} {
					if !math.IsInf(float64(loss[i]), 1) || math.IsNaN(float64(grad[i])) || math.IsInf(float64(grad[i]), 0) {
						t.Errorf("%s: x=%v t=%v: loss %v grad %v, want +Inf and a finite gradient", what, x[i], tt[i], loss[i], grad[i])
					}
				}
				for _, i := range []int{6, 7, 8, 9, 15, 16, 17, 18, 19} {
					if math.IsNaN(float64(loss[i])) || math.IsNaN(float64(grad[i])) || math.IsInf(float64(grad[i]), 0) {
						t.Errorf("%s: x=%v t=%v: loss %v grad %v", what, x[i], tt[i], loss[i], grad[i])
					}
				}
			}
		}
	}
}

// TestRace calls every level from many goroutines at once; run it with -race.
func TestRace(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	x, tt := inputs(rng, 1000, 1)
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			loss, grad := make([]float32, len(x)), make([]float32, len(x))
			for i := 0; i < 20; i++ {
				for _, l := range testLevels() {
					gamma := gammas[(g+i)%len(gammas)]
					l.Loss32(loss, x, tt, 0.25, gamma)
					l.LossGrad32(loss, grad, x, tt, 0.25, gamma)
					l.LossGrad32(nil, grad, x, tt, -1, gamma)
					_ = l.Sum32(x, tt, 0.25, gamma)
				}
			}
		}()
	}
	wg.Wait()
}

// TestAVX2Registers: the AVX2 functions of the generated assembly use only
// X0-X15/Y0-Y15 and no Z or K register, which a CPU without AVX-512 lacks
// (avo's allocator does not know that; the generator staggers to fit).
func TestAVX2Registers(t *testing.T) {
	src, err := os.ReadFile("focal_amd64.s")
	if err != nil {
		t.Skip(err)
	}
	bad := regexp.MustCompile(`\b([XY](1[6-9]|2[0-9]|3[01])|Z[0-9]+|K[0-7])\b`)
	fn, avx2 := "", false
	for i, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(line, "TEXT ") {
			fn = line
			avx2 = strings.Contains(line, "AVX2")
			continue
		}
		if avx2 && bad.MatchString(line) {
			t.Errorf("focal_amd64.s:%d (%s): %s", i+1, fn, strings.TrimSpace(line))
		}
	}
}

// TestSumLarge: Sum32 over N = 2^26 elements (2^22 with -short) is within 1e-6
// of the float64 sum of the per-element losses, at every level. The input
// repeats one random block, so the reference is the block's sum times the
// number of blocks.
func TestSumLarge(t *testing.T) {
	n := 1 << 26
	if testing.Short() {
		n = 1 << 22
	}
	const block = 4093 // odd: blocks straddle vectors and float32 accumulation blocks
	rng := rand.New(rand.NewPCG(9, 10))
	xb, tb := make([]float32, block), make([]float32, block)
	for i := range xb {
		xb[i] = float32(rng.NormFloat64() * 4) // a detector head's logits
		tb[i] = float32(rng.IntN(2))
		if i%7 == 0 {
			tb[i] = 0.9 // and a few soft targets
		}
	}
	x, tt := make([]float32, n), make([]float32, n)
	for i := 0; i < n; i += block {
		copy(x[i:], xb)
		copy(tt[i:], tb)
	}
	for _, gamma := range []float64{2, 1.5} {
		lb := make([]float32, block)
		Generic.Loss32(lb, xb, tb, 0.25, gamma)
		var bs float64
		for _, v := range lb {
			bs += float64(v)
		}
		want := bs * float64(n/block)
		for i := n / block * block; i < n; i++ {
			want += float64(lb[i%block])
		}
		for _, l := range testLevels() {
			if l == Generic && n > 1<<22 {
				continue // 3 s; the assembly levels are the ones accumulating in blocks
			}
			s := l.Sum32(x, tt, 0.25, gamma)
			rel := math.Abs(s-want) / want
			t.Logf("asm-%v γ=%v N=%d: Sum32 %.10g, float64 sum of the losses %.10g, relative error %.3g", l, gamma, n, s, want, rel)
			if rel > 1e-6 {
				t.Errorf("asm-%v γ=%v: relative error %.3g > 1e-6", l, gamma, rel)
			}
		}
	}
}

// TestSumOverflow: losses near MaxFloat32 that would overflow a float32 lane
// of the block sums are summed again in float64, with no allocation.
func TestSumOverflow(t *testing.T) {
	n := 100
	x, tt := make([]float32, n), make([]float32, n)
	for i := range x {
		x[i] = math.MaxFloat32 // t = 0: loss = α_t·x, about 2.6e38
	}
	want := float64(n) * 0.75 * math.MaxFloat32
	for _, l := range testLevels() {
		s := l.Sum32(x, tt, 0.25, 0)
		if math.Abs(s-want) > 1e-6*want {
			t.Errorf("asm-%v: Sum32 = %v, want %v", l, s, want)
		}
		if a := testing.AllocsPerRun(10, func() { l.Sum32(x, tt, 0.25, 2) }); a != 0 {
			t.Errorf("asm-%v: Sum32 allocates %v times on the overflow path", l, a)
		}
	}
}

// TestZeroWeight: with α = 0 or 1, α_t is 0 for one target, and at x = ±Inf
// the loss there is 0 (not 0·Inf); every level agrees with Generic, with soft
// targets among the hard ones (where α_t is not 0) too, NaN in still gives
// NaN, and Sum32 is not NaN.
func TestZeroWeight(t *testing.T) {
	inf := float32(math.Inf(1))
	nan := float32(math.NaN())
	x := []float32{inf, -inf, inf, -inf, 1, -2, 3, inf, -inf, inf, -inf, 0, 5, -5, inf, -inf, 7, -inf, inf,
		inf, -inf, 2, -inf, inf, 0.5, -3, inf, -inf, 1, -1}
	tt := []float32{0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 1,
		0.05, 0.95, 0.5, 0, 1, 0.3, 1, 1e-30, 0, 0.9, 1}
	same := func(a, b float32) bool { return a == b || (a != a && b != b) }
	for _, alpha := range []float64{0, 1} {
		for _, gamma := range gammas {
			for _, n := range []int{19, 3, len(x)} {
				ref, refG := make([]float32, n), make([]float32, n)
				Generic.LossGrad32(ref, refG, x[:n], tt[:n], alpha, gamma)
				refS := Generic.Sum32(x[:n], tt[:n], alpha, gamma)
				for _, l := range testLevels() {
					loss, grad := make([]float32, n), make([]float32, n)
					l.LossGrad32(loss, grad, x[:n], tt[:n], alpha, gamma)
					d := make([]float32, n)
					l.Loss32(d, x[:n], tt[:n], alpha, gamma)
					for i := range n {
						if !same(loss[i], ref[i]) || !same(grad[i], refG[i]) || !same(d[i], ref[i]) {
							t.Errorf("asm-%v α=%v γ=%v x=%v t=%v: loss %v/%v grad %v, generic %v %v", l, alpha, gamma, x[i], tt[i], loss[i], d[i], grad[i], ref[i], refG[i])
						}
					}
					if s := l.Sum32(x[:n], tt[:n], alpha, gamma); !(s == refS || (math.IsInf(s, 1) && math.IsInf(refS, 1))) {
						t.Errorf("asm-%v α=%v γ=%v n=%d: Sum32 %v, generic %v", l, alpha, gamma, n, s, refS)
					}
				}
			}
		}
	}
	// NaN x with α_t = 0 stays NaN
	for _, l := range testLevels() {
		loss := make([]float32, 1)
		l.Loss32(loss, []float32{nan}, []float32{0}, 1, 2)
		if loss[0] == loss[0] {
			t.Errorf("asm-%v: NaN x, α_t = 0: loss %v, want NaN", l, loss[0])
		}
	}
}

// TestLargeGamma: where σ(z)^γ underflows, every level gives 0, not the exp
// of an unclamped error term (γ = 7.13e10 once gave -7.9e-26 at x = 0); at
// x = ±Inf the loss is +Inf even where q^γ underflows (t = 0.5, γ = 91786
// once gave NaN).
func TestLargeGamma(t *testing.T) {
	inf := float32(math.Inf(-1))
	for _, l := range testLevels() {
		for _, gamma := range []float64{1e4, 91786, 7.13e10, 1e30} {
			x := make([]float32, 40)
			tt := make([]float32, 40)
			for i := range x {
				x[i] = float32(i-20) / 4
				tt[i] = float32(i % 2)
			}
			loss := make([]float32, len(x))
			l.Loss32(loss, x, tt, -1, gamma)
			for i, v := range loss {
				if v < 0 || v > 1e-30 && gamma >= 7e10 || v != v {
					t.Errorf("%v γ=%g x=%v t=%v: loss %v, want ≥ 0 and 0 where σ(z)^γ underflows", l, gamma, x[i], tt[i], v)
				}
			}
			l.Loss32(loss[:1], []float32{inf}, []float32{0.5}, -1, gamma)
			if !math.IsInf(float64(loss[0]), 1) {
				t.Errorf("%v γ=%g x=-Inf t=0.5: loss %v, want +Inf", l, gamma, loss[0])
			}
		}
	}
}

// TestWideGamma: above model.WideGamma every element is computed in float64 in log
// space, where σ(z)^γ moves between 0 and 1 near z ≈ ln γ, far below float32's
// exp range (references: mpmath, 50 digits, t = 0, α off).
func TestWideGamma(t *testing.T) {
	for _, l := range testLevels() {
		x := []float32{260, 270, 280}
		want := []float64{0, 255.54687284526907, 279.99930063715467}
		loss := make([]float32, 3)
		l.Loss32(loss, x, make([]float32, 3), -1, 1e116)
		for i := range x {
			if math.Abs(float64(loss[i])-want[i]) > 1e-6*want[i] {
				t.Errorf("%v γ=1e116 x=%v: loss %v, want %v", l, x[i], loss[i], want[i])
			}
		}
		if s := l.Sum32(x, make([]float32, 3), -1, 1e116); math.Abs(s-(want[1]+want[2])) > 1e-6*s {
			t.Errorf("%v γ=1e116: Sum %v, want %v", l, s, want[1]+want[2])
		}
	}
}
