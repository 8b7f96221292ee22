package ulp

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

func TestDist32(t *testing.T) {
	one := float32(1)
	next := math.Nextafter32(one, 2)
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	for _, c := range []struct {
		a, b float32
		want uint64
	}{
		{1, 1, 0},
		{one, next, 1},
		{next, one, 1},
		{0, float32(math.Copysign(0, -1)), 0},
		{math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32, 2},
		{math.MaxFloat32, inf, 1},
		{nan, nan, 0},
		{nan, 1, math.MaxUint64},
		{1, 2, 1 << 23},
	} {
		if got := Dist32(c.a, c.b); got != c.want {
			t.Errorf("Dist32(%v, %v) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestDist64(t *testing.T) {
	for _, c := range []struct {
		a, b float64
		want uint64
	}{
		{1, math.Nextafter(1, 2), 1},
		{1, 2, 1 << 52},
		{-math.MaxFloat64, math.MaxFloat64, 2 * math.Float64bits(math.MaxFloat64)},
		{math.Inf(-1), math.Inf(1), 2 * math.Float64bits(math.Inf(1))},
		{math.NaN(), 0, math.MaxUint64},
	} {
		if got := Dist64(c.a, c.b); got != c.want {
			t.Errorf("Dist64(%v, %v) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// The distance agrees with gonum's ULP predicate: within n exactly when Dist ≤ n.
func TestDist64AgreesWithGonum(t *testing.T) {
	vals := []float64{0, 1e-300, 0.1, 1, 1.0000000000000002, 3, 1e300, -2, -1e-310}
	for _, a := range vals {
		for _, d := range []uint64{0, 1, 2, 3, 7} {
			b := a
			for range d {
				b = math.Nextafter(b, math.Inf(1))
			}
			if got := Dist64(a, b); got != d {
				t.Errorf("Dist64(%v, %v) = %d, want %d", a, b, got, d)
			}
			if a*b > 0 && !scalar.EqualWithinULP(a, b, uint(d)) {
				t.Errorf("gonum disagrees at %v, %v, %d", a, b, d)
			}
		}
	}
}

func TestGradErr(t *testing.T) {
	if e := GradErr(1+Eps64, 1, 1, Eps64); math.Abs(e-1) > 1e-9 {
		t.Errorf("one eps off: %v", e)
	}
	if e := GradErr(0, 0, 0, Eps32); e != 0 {
		t.Errorf("exact zero: %v", e)
	}
	if e := GradErr(1e-30, 0, 0, Eps32); !math.IsInf(e, 1) {
		t.Errorf("zero scale, wrong value: %v", e)
	}
	if e := GradErr(math.NaN(), 1, 1, Eps32); !math.IsInf(e, 1) {
		t.Errorf("NaN: %v", e)
	}
	if e := GradErr(math.Inf(-1), math.Inf(-1), 1, Eps32); e != 0 {
		t.Errorf("same infinity: %v", e)
	}
}
