package kerneltest

import "testing"

// Suite runs every shared test on family f, each as a subtest of t named
// for what it checks and its element type (Agree32, GuardPages64, …; see
// the functions of the same names): the golden bars, agreement with
// Generic, special values, sums, allocation, concurrency and guard pages.
// A family's test file calls it once:
//
//	func TestFamily(t *testing.T) { kerneltest.Suite(t, family) }
func Suite(t *testing.T, f Family) {
	both := []struct {
		name string
		f32  func(*testing.T, Family)
		f64  func(*testing.T, Family)
	}{
		{"Golden", Golden[float32], Golden[float64]},
		{"Agree", func(t *testing.T, f Family) { Agree[float32](t, f, 1) }, func(t *testing.T, f Family) { Agree[float64](t, f, 21) }},
		{"AgreeGolden", AgreeGolden[float32], AgreeGolden[float64]},
		{"Special", Special[float32], Special[float64]},
		{"ZeroWeight", ZeroWeight[float32], ZeroWeight[float64]},
		{"LargeGamma", LargeGamma[float32], LargeGamma[float64]},
		{"SumLarge", SumLarge[float32], SumLarge[float64]},
		{"NoAlloc", NoAlloc[float32], NoAlloc[float64]},
		{"Race", Race[float32], Race[float64]},
		{"GuardPages", GuardPages[float32], GuardPages[float64]},
	}
	for _, c := range both {
		t.Run(c.name+"32", func(t *testing.T) { c.f32(t, f) })
		t.Run(c.name+"64", func(t *testing.T) { c.f64(t, f) })
	}
	t.Run("WideGamma32", func(t *testing.T) { WideGamma32(t, f) })
	t.Run("SumOverflow32", func(t *testing.T) { SumOverflow32(t, f) })
}
