package model

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
	"github.com/focalkernels/focal/impl/internal/rows"
)

// randLogit draws a logit as inputs does.
func randLogit(rng *rand.Rand) float32 {
	x, _ := kerneltest.Inputs[float32](rng, 1, kerneltest.AllHard)
	return x[0]
}

// TestFMA: fma rounds a·b + c once, as VFMADD does: against math/big, on
// random operands and on products that are float32 midpoints with a tiny c
// of either sign (where rounding in float64 first goes the other way).
func TestFMA(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	exact := func(a, b, c float32) float32 {
		p := new(big.Float).SetPrec(300).Mul(big.NewFloat(float64(a)), big.NewFloat(float64(b)))
		p.Add(p, big.NewFloat(float64(c)))
		f, _ := p.Float32()
		return f
	}
	check := func(a, b, c float32) {
		t.Helper()
		if got, want := fma(a, b, c), exact(a, b, c); math.Float32bits(got) != math.Float32bits(want) && !(got == 0 && want == 0) {
			t.Fatalf("fma(%v, %v, %v) = %v, want %v", a, b, c, got, want)
		}
	}
	r32 := func() float32 {
		return float32(math.Ldexp(rng.Float64()+0.5, rng.IntN(60)-30)) * float32(1-2*rng.IntN(2))
	}
	for range 200000 {
		check(r32(), r32(), r32())
	}
	midpoints := 0
	for range 200000 {
		// 0.75·a is a float32 midpoint where a's last two bits are 10
		a := math.Float32frombits(math.Float32bits(r32())&^3 | 2)
		if float64(float32(0.75*float64(a))) == 0.75*float64(a) {
			continue
		}
		midpoints++
		tiny := float32(math.Ldexp(1, -40-rng.IntN(60)))
		check(0.75, a, tiny)
		check(0.75, a, -tiny)
		check(-0.75, a, tiny)
	}
	if midpoints == 0 {
		t.Fatal("no midpoint products")
	}
	// infinities and NaN pass through
	inf := float32(math.Inf(1))
	if v := fma(2, inf, 1); !math.IsInf(float64(v), 1) {
		t.Errorf("fma(2, +Inf, 1) = %v", v)
	}
	if v := fma(0, inf, 1); v == v {
		t.Errorf("fma(0, +Inf, 1) = %v, want NaN", v)
	}
}

// TestConsts: the constants in the kernels' data section (kernelConsts,
// written by the generator from _asm/consts.go) are the Go side's, bit for
// bit, and every one of them is checked.
func TestConsts(t *testing.T) {
	f := math.Float32bits
	want := map[string]uint32{
		"zero": f(0), "one": f(1), "mone": f(-1), "mtwo": f(-2), "half": f(0.5), "mhalf": f(-0.5),
		"sign": signBit, "absmask": ^uint32(signBit), "allones": f(nan32), "mantmask": mantMask,
		"expLo": f(expLo), "loMax": f(loMax), "loMin": f(loMin), "log2e": f(log2e),
		"ln2hi": f(ln2hi), "ln2lo": f(ln2lo), "ln2hi16": f(ln2hi16), "ln2lo16": f(ln2lo16),
		"sqrt2": f(sqrt2), "oneHalf": f(1) ^ f(0.5), "mzLo": f(mzLo), "maxf": f(math.MaxFloat32), "inf": f(float32(math.Inf(1))),
		"ep0": f(ep0), "ep1": f(ep1), "ep2": f(ep2), "ep3": f(ep3), "ep4": f(ep4), "ep5": f(ep5),
		"lp0": f(lp0), "lp1": f(lp1), "lp2": f(lp2), "lp3": f(lp3), "lp4": f(lp4),
		"lp5": f(lp5), "lp6": f(lp6), "lp7": f(lp7), "lp8": f(lp8),
		"flagTiny": f(flagTiny), "softNear": f(softNear), "softFlag": f(softFlag), "softFloor": f(softFloor),
		"twoMin": f(rows.TwoMin[float32]()),
		// integers of the exponent arithmetic (expSplit's scaling, the AVX2 tail's lane index)
		"i127": 127, "im126": 0xffffff82, "i127sh": 127 << 23, "iota": 0,
	}
	d := math.Float64bits
	want64 := map[string]uint64{
		"dzero": d(0), "done": d(1), "dmone": d(-1), "dmtwo": d(-2), "dhalf": d(0.5), "dmhalf": d(-0.5),
		"dsign": sign64, "dabsmask": sign64 - 1, "dallones": math.Float64bits(nan64), "dmantmask": mantMask64,
		"dexpLo": d(expLo64), "dloMax": d(loMax), "dloMin": d(loMin), "dlog2e": d(log2e64),
		"dln2hi": d(ln2hi64), "dln2lo": d(ln2lo64), "dsqrt2": d(sqrt2f64), "doneHalf": d(1) ^ d(0.5), "dmzLo": d(mzLo64),
		"dmaxf": d(math.MaxFloat64), "dflagTiny": d(flagTiny64), "dtwoMin": d(rows.TwoMin[float64]()),
		"dsoftNear": d(softNear), "dsoftFlag": d(softFlag), "dsoftFloor": d(softFloor64),
		// the exponent arithmetic in 64-bit integers (expSplit64's scaling, logHL64's
		// exponent, the AVX2 tail's lane index)
		"dmagic": d(magic64), "dtwo52": d(0x1p52), "dtwo52bias": d(0x1p52 + 1023),
		"di1023": 1023, "dim1022": 1<<64 - 1022, "di1023sh": 1023 << 52, "diota": 0,
	}
	for i, v := range expQ64 {
		want64[fmt.Sprintf("dq%d", i)] = d(v)
	}
	for i, v := range logP64 {
		want64[fmt.Sprintf("dlp%d", i)] = d(v)
	}
	seen := map[string]bool{}
	for _, c := range kernelConsts {
		w32, ok := want[c.name]
		w := uint64(w32)
		if w64, ok64 := want64[c.name]; ok64 {
			w, ok = w64, true
		}
		switch {
		case !ok:
			t.Errorf("kernel constant %q has no Go counterpart in TestConsts", c.name)
		case c.bits != w:
			t.Errorf("kernel constant %q = %#x, Go side %#x", c.name, c.bits, w)
		}
		seen[c.name] = true
	}
	for n := range want64 {
		want[n] = 0
	}
	for n := range want {
		if !seen[n] {
			t.Errorf("%q is not among the kernel constants", n)
		}
	}
}

// TestParams: the modes and the split of α and γ into float32 hi+lo, at the
// edges: -0 is γ = 0, NaN and huge γ are general; hi is the float32 of α,
// 1-α and γ and lo that of the rest.
func TestParams(t *testing.T) {
	for _, c := range []struct {
		gamma float64
		mode  int
	}{{0, Mode0}, {math.Copysign(0, -1), Mode0}, {1, Mode1}, {2, Mode2}, {3, ModeGen}, {1.5, ModeGen},
		{2 + 1e-15, ModeGen}, {-1, ModeGen}, {math.NaN(), ModeGen}, {math.Inf(1), ModeGen}, {1e300, ModeGen}, {0x1p63, ModeGen}} {
		if p, q := NewParams32(0.25, c.gamma), NewParams64(0.25, c.gamma); p.Mode != c.mode || q.Mode != c.mode {
			t.Errorf("γ = %v: modes %d, %d; want %d", c.gamma, p.Mode, q.Mode, c.mode)
		}
	}
	for _, a := range []float64{0, 0.25, 0.1, 1.0 / 3, 1, 1e-20} {
		p, q := NewParams32(a, 1.7), NewParams64(a, 1.7)
		split := func(v float64, hi, lo float32) bool { return hi == float32(v) && lo == float32(v-float64(hi)) }
		if !split(a, p.A1, p.A1lo) || !split(1-a, p.A0, p.A0lo) || !split(1.7, p.G, p.Glo) {
			t.Errorf("α = %v: A1 %v + %v, G %v + %v", a, p.A1, p.A1lo, p.G, p.Glo)
		}
		if q.A1 != a || q.A0+q.A0lo != 1-a || q.G != 1.7 || q.Alpha != a || q.Gamma != 1.7 || p.Wide || q.Wide {
			t.Errorf("α = %v: float64 parameters %+v", a, q)
		}
	}
	if p := NewParams32(-1, 2); p.A1 != 1 || p.A0 != 1 || p.A1lo != 0 || p.A0lo != 0 {
		t.Errorf("α < 0: %+v, want α_t = 1", p)
	}
	if !NewParams32(0.25, 6).Wide || !NewParams64(1e-300, 2).Wide {
		t.Error("γ > 5 and a tiny α take the wide paths")
	}
}

// The rows form takes γ = 0 in the general mode (RowsMode): with hard
// targets that gives the bits of Mode0, the flat form's, in loss and
// gradient.
func TestRowsModeGenAtGamma0(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, alpha := range []float64{0.25, -1, 0, 1, 0.7} {
		x32, t32 := kerneltest.Inputs[float32](rng, 5000, kerneltest.AllHard)
		x64, t64 := kerneltest.Inputs[float64](rng, 5000, kerneltest.AllHard)
		x32 = append(x32, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()))
		t32 = append(t32, 0, 1, 1)
		g32, f32 := RowsParams32(alpha, 0), NewParams32(alpha, 0)
		if g32.Mode != ModeGen || f32.Mode != Mode0 {
			t.Fatalf("modes %d, %d", g32.Mode, f32.Mode)
		}
		for i := range x32 {
			l1, d1 := ElemHard32(x32[i], t32[i], &g32)
			l0, d0 := ElemHard32(x32[i], t32[i], &f32)
			if math.Float32bits(l1) != math.Float32bits(l0) || math.Float32bits(d1) != math.Float32bits(d0) {
				t.Fatalf("float32 α=%v x=%v t=%v: general mode %v, %v; Mode0 %v, %v", alpha, x32[i], t32[i], l1, d1, l0, d0)
			}
		}
		g64, f64 := RowsParams64(alpha, 0), NewParams64(alpha, 0)
		for i := range x64 {
			l1, d1 := ElemHard64(x64[i], t64[i], &g64)
			l0, d0 := ElemHard64(x64[i], t64[i], &f64)
			if math.Float64bits(l1) != math.Float64bits(l0) || math.Float64bits(d1) != math.Float64bits(d0) {
				t.Fatalf("float64 α=%v x=%v t=%v: general mode %v, %v; Mode0 %v, %v", alpha, x64[i], t64[i], l1, d1, l0, d0)
			}
		}
	}
}

// TestGenHard: the general form gives ElemHard32's loss and gradient bit for
// bit at a hard target, so that a hard lane in a soft step computes what it
// would in a hard one (and what Generic computes for it).
func TestGenHard(t *testing.T) {
	n := 40000
	if testing.Short() {
		n = 5000
	}
	rng := rand.New(rand.NewPCG(21, 22))
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)),
		math.MaxFloat32, -math.MaxFloat32, 1e-45, -1e-45, 87, -87, 104, -104, 200, -200}
	for _, gamma := range kerneltest.Gammas {
		for _, alpha := range []float64{0.25, -1, 0, 1} {
			p := NewParams32(alpha, gamma)
			for i := range n {
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

// TestExpSoft: e + el + el2 is exp(-|x|) to 2^-26.3·min(16x², 1) relative for
// |x| < 70 (beyond, el and el2 are subnormal, and so are σ(x)σ(-x) and the
// flag band)
// (plus 2^-51 for the float64 reference's own rounding), the bound that the
// flag band of soft.go (softNear, softFlag) rests on; e and el are expSplit's.
// Every 7th float32 of [0.01, 70) (every 64th under -short), and a geometric
// sample below.
func TestExpSoft(t *testing.T) {
	stride := uint32(7)
	if testing.Short() {
		stride = 64
	}
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
		v = math.Float32frombits(math.Float32bits(v) + stride) // v > 0: the stride-th next float32
		if v < 0.01 {
			v *= 1.001
		}
	}
	t.Logf("largest error: 2^%.2f·min(16x², 1) at x=%v", math.Log2(worst), wx)
	if worst > math.Exp2(-26.3) {
		t.Errorf("e+el+el2's relative error 2^%.2f·min(16x², 1) > 2^-26.3·min(16x², 1) at x=%v", math.Log2(worst), wx)
	}
}
