package model

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
)

// TestGenHard: the general form gives ElemHard32's loss and gradient bit for
// bit at a hard target, so that a hard lane in a soft step computes what it
// would in a hard one (and what Generic computes for it).
func TestGenHard(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)),
		math.MaxFloat32, -math.MaxFloat32, 1e-45, -1e-45, 87, -87, 104, -104, 200, -200}
	for _, gamma := range kerneltest.Gammas {
		for _, alpha := range []float64{0.25, -1, 0, 1} {
			p := NewParams32(alpha, gamma)
			for i := range 40000 {
				x := randLogit(rng)
				if i < len(special) {
					x = special[i]
				}
				tv := float32(rng.IntN(2))
				lh, gh := ElemHard32(x, tv, &p)
				lg, gg, _, _ := ElemGen32(x, tv, &p, true)
				if math.Float32bits(lh) != math.Float32bits(lg) && !(lh != lh && lg != lg) ||
					math.Float32bits(gh) != math.Float32bits(gg) && !(gh != gh && gg != gg) && !(gh == 0 && gg == 0) {
					t.Fatalf("γ=%v α=%v x=%v t=%v: ElemHard32 %v %v, ElemGen32 %v %v", gamma, alpha, x, tv, lh, gh, lg, gg)
				}
			}
		}
	}
}

// randLogit draws a logit as inputs does.
func randLogit(rng *rand.Rand) float32 {
	x, _ := kerneltest.Inputs[float32](rng, 1, kerneltest.AllHard)
	return x[0]
}

// TestExpSoft: e + el + el2 is exp(-|x|) to 2^-26.3·min(16x², 1) relative for
// |x| < 70 (beyond, el and el2 are subnormal, and so are σ(x)σ(-x) and the
// flag band)
// (plus 2^-51 for the float64 reference's own rounding), the bound that the
// flag band of soft.go (softNear, softFlag) rests on; e and el are expSplit's.
func TestExpSoft(t *testing.T) {
	var worst float64
	var wx float32
	for v := float32(1e-6); v < 70; {
		e, el, el2 := expSoft(-v)
		e0, el0 := expSplit(-v, 0, false)
		if e != e0 || el != el0 {
			t.Fatalf("x=%v: expSoft's e, el %v %v differ from expSplit's %v %v", v, e, el, e0, el0)
		}
		ex := math.Exp(-float64(v))
		r := (math.Abs(float64(e)+float64(el)+float64(el2)-ex)/ex - 0x1p-51) / math.Min(16*float64(v)*float64(v), 1)
		if r > worst {
			worst, wx = r, v
		}
		for range 7 {
			v = math.Nextafter32(v, 100)
		}
		if v < 0.01 {
			v *= 1.001
		}
	}
	t.Logf("largest error: 2^%.2f·min(16x², 1) at x=%v", math.Log2(worst), wx)
	if worst > math.Exp2(-26.3) {
		t.Errorf("e+el+el2's relative error 2^%.2f·min(16x², 1) > 2^-26.3·min(16x², 1) at x=%v", math.Log2(worst), wx)
	}
}
