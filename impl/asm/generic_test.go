package asm

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

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
