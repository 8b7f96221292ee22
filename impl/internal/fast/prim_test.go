package fast

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/internal/dd"
)

// The primitives against double-double references: dd.ExpNeg (within
// 2^-64 relative, tested against math/big in package dd) for the
// exponentials, and for the logs logDD, its inverse (TestLogDD). The
// bounds asserted are the ones the doc comments state.

// expArgs returns arguments over [-745, 0]: a grid, the reduction's
// boundaries (±ln2/128 and ±ln2/2 around multiples), and random ones.
func expArgs() []float64 {
	rng := rand.New(rand.NewPCG(1, 1))
	var ys []float64
	for y := -745.0; y <= 0; y += 0.0137 {
		ys = append(ys, y)
	}
	for k := 0.0; k < 1075; k++ {
		for _, d := range []float64{-1, 1} {
			ys = append(ys, min(0, -k*math.Ln2/2+d*1e-12), min(0, -k*math.Ln2/128+d*1e-12))
		}
	}
	for range 100000 {
		ys = append(ys, -rng.Float64()*745, -math.Exp2(-rng.Float64()*60))
	}
	return append(ys, 0, -0x1p-1074, -1e-300, -1e-20)
}

// relErr returns |got - want|/|want| for want as hi+lo, got as hi+lo.
func relErr(got, gotLo float64, want dd.DD) float64 {
	d := dd.TwoSum(got, -want.Hi)
	return math.Abs((d.Hi+(d.Lo+gotLo))-want.Lo) / math.Abs(want.Hi)
}

// worstErr is the largest error seen and the argument it was seen at.
type worstErr struct{ err, at float64 }

func (w *worstErr) add(err, at float64) {
	if err > w.err {
		w.err, w.at = err, at
	}
}

// check logs the worst error, what naming it, and fails the test if it is
// above 2^log2Bar.
func (w worstErr) check(t *testing.T, what string, log2Bar int) {
	t.Helper()
	t.Logf("%s %.3g (2^%.1f) at %v", what, w.err, math.Log2(w.err), w.at)
	if w.err > math.Ldexp(1, log2Bar) {
		t.Errorf("%s %.3g > 2^%d", what, w.err, log2Bar)
	}
}

func TestExp32(t *testing.T) {
	var worst worstErr
	for _, y := range expArgs() {
		if y < expMin32 {
			continue
		}
		worst.add(relErr(exp32(y), 0, dd.ExpNeg(y)), y)
	}
	worst.check(t, "exp32: relative error", -50)
	if v := exp32(-1e4); v != exp32(expMin32) {
		t.Errorf("exp32(-1e4) = %v, want exp32(expMin32) = %v", v, exp32(expMin32))
	}
	if v := exp32(math.NaN()); v == v {
		t.Errorf("exp32(NaN) = %v", v)
	}
}

func TestExpHL(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	var worst worstErr
	for _, y := range expArgs() {
		for _, lo := range []float64{0, (rng.Float64() - 0.5) * 0x1p-40} {
			want := dd.ExpNeg(y)
			if lo != 0 { // e^(y+lo) = e^y·(1 + lo + lo²/2)
				want = want.Mul(dd.TwoSum(1, lo+lo*lo/2))
			}
			if want.Hi < 0x1p-969 { // el subnormal: e alone, rounded once
				continue
			}
			e, el := expHL(y, lo)
			if math.Abs(el) > math.Abs(e)*0x1p-52 {
				t.Errorf("expHL(%v, %v) = %v + %v: not normalized", y, lo, e, el)
			}
			worst.add(relErr(e, el, want), y)
		}
	}
	worst.check(t, "expHL: relative error", -59)
	for _, y := range []float64{-745.2, -746, -1e300, math.Inf(-1)} {
		if e, el := expHL(y, 0); e != 0 || el != 0 {
			t.Errorf("expHL(%v) = %v + %v, want 0", y, e, el)
		}
	}
	if e, _ := expHL(-745.1, 0); e != 0x1p-1074 {
		t.Errorf("expHL(-745.1) = %v, want the least subnormal", e)
	}
	if e, _ := expHL(math.NaN(), 0); e == e {
		t.Errorf("expHL(NaN) = %v", e)
	}
}

// logRef returns log v as hi+lo for any positive normal v, from logDD
// (within 2^-64; TestLogDD): log(v/2^k) + k·ln2 with v/2^k ≤ 2.
func logRef(v float64) dd.DD {
	k := 0
	for v > 2 {
		v /= 2
		k++
	}
	return logDD(v).Add(ln2DD.MulF(float64(k)))
}

// TestLogDD: the tables' log is exp's inverse to 2^-64 against dd.ExpNeg
// (itself tested against math/big), e^hi·(1 + lo) = v, over (0, 1] and at
// the log table's reciprocals; above 1 it is ln2 + logDD(v/2) exactly.
func TestLogDD(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	vs := []float64{1, 0.5, 0x1p-1022, math.Nextafter(1, 0)}
	for _, e := range logTab {
		vs = append(vs, e.rho)
	}
	for range 20000 {
		vs = append(vs, rng.Float64(), 1-math.Exp2(-rng.Float64()*53), math.Exp2(-rng.Float64()*1000))
	}
	var worst float64
	for _, v := range vs {
		if v > 1 {
			if l, h := logDD(v), logDD(v/2).Add(ln2DD); l != h {
				t.Errorf("logDD(%v) = %v, ln2 + logDD(v/2) = %v", v, l, h)
			}
			continue
		}
		l := logDD(v)
		e := dd.ExpNeg(l.Hi).Mul(dd.TwoSum(1, l.Lo)) // e^lo = 1 + lo to 2^-106 here
		if r := math.Abs((e.Hi-v)+e.Lo) / v; r > worst {
			worst = r
		}
	}
	t.Logf("logDD: e^log(v) within %.3g (2^%.1f) of v", worst, math.Log2(worst))
	if worst > 0x1p-63 {
		t.Errorf("logDD: e^log(v) %.3g from v relative, want 2^-63", worst)
	}
}

func logArgs() []float64 {
	rng := rand.New(rand.NewPCG(3, 3))
	var vs []float64
	for range 100000 {
		vs = append(vs, 1+rng.Float64(), rng.Float64(), math.Exp2(-rng.Float64()*1022), 1+math.Exp2(-rng.Float64()*52), 1-math.Exp2(-rng.Float64()*53))
	}
	for j := 0; j < 256; j++ { // the log tables' interval ends
		b := 1 + float64(j)/256
		vs = append(vs, b, math.Nextafter(b, 0), math.Nextafter(b, 2), b/2)
	}
	return append(vs, 1, 2, math.Sqrt2, math.Nextafter(math.Sqrt2, 2), 0x1p-1022, math.MaxFloat64, 0.5)
}

func TestLog32(t *testing.T) {
	var worst worstErr
	for _, v := range logArgs() {
		want := logRef(v)
		// relative above 1; below, relative to max(|log v|, 1): what
		// q^γ = exp(γ·log q) needs
		err := math.Abs(log32(v)-want.Hi-want.Lo) / max(math.Abs(want.Hi), 1)
		if v > 1 {
			err = math.Abs(log32(v)-want.Hi-want.Lo) / math.Abs(want.Hi)
		}
		worst.add(err, v)
	}
	worst.check(t, "log32: error", -44)
}

// TestLog1p32: the float32 kernel's L = log(1+e), e = exp(-|x|) ∈ [0, 1],
// keeps its relative accuracy down to e = 0 (through u = 1+e's correction).
func TestLog1p32(t *testing.T) {
	var worst worstErr
	for _, y := range expArgs() {
		if y < expMin32 {
			continue
		}
		var p pre32
		p.e = exp32(y)
		p.sigma(-y)
		e := dd.ExpNeg(y)
		want := math.Log1p(e.Hi) // within an ULP: L's reference at float32's needs
		if want > 0 {
			worst.add(math.Abs(p.cn-want)/want, y)
		}
	}
	worst.check(t, "L: relative error", -43)
}

func TestLogHL(t *testing.T) {
	var worst worstErr
	for _, v := range logArgs() {
		hi, lo := logHL(v)
		if v == 1 {
			if hi != 0 || lo != 0 {
				t.Errorf("logHL(1) = %v + %v", hi, lo)
			}
			continue
		}
		if math.Abs(lo) > math.Abs(hi)*0x1p-52 {
			t.Errorf("logHL(%v) = %v + %v: not normalized", v, hi, lo)
		}
		want := logRef(v)
		d := dd.TwoSum(hi, -want.Hi)
		// relative above 1; below, relative to max(|log v|, 1)
		err := math.Abs((d.Hi+(d.Lo+lo))-want.Lo) / max(math.Abs(want.Hi), 1)
		if v > 1 {
			err = math.Abs((d.Hi+(d.Lo+lo))-want.Lo) / math.Abs(want.Hi)
		}
		worst.add(err, v)
	}
	worst.check(t, "logHL: error", -60)
}
