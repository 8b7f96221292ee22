package softmax

import (
	"math"
	"math/big"
	"testing"

	"github.com/focalkernels/focal/internal/bigref"
	"github.com/focalkernels/focal/internal/ulp"
)

// TestRows: the file parses, and covers what the bars are stated on.
func TestRows(t *testing.T) {
	rs := Rows()
	if len(rs) < 300 {
		t.Fatalf("%d rows", len(rs))
	}
	cs := map[int]bool{}
	var maxGamma, minQ float64 = 0, 1
	var classAlpha, weights, alphaOff bool
	for _, r := range rs {
		cs[r.C] = true
		maxGamma = max(maxGamma, r.Gamma)
		classAlpha = classAlpha || r.ClassAlpha != nil
		weights = weights || r.Weight != 1
		alphaOff = alphaOff || r.Alpha < 0
		if r.Gamma == 0 && r.Loss64 > 0 && r.AlphaC() == 0.25 && r.Weight == 1 {
			minQ = min(minQ, r.Loss64/0.25) // -log p_c ≈ 1-p_c where it is small
		}
	}
	for _, c := range []int{1, 2, 3, 21, 80, 1000} {
		if !cs[c] {
			t.Errorf("no row with C = %d", c)
		}
	}
	if maxGamma != 5 || !classAlpha || !weights || !alphaOff || minQ > 1e-300 {
		t.Errorf("coverage: γ to %v, ClassAlpha %v, weights %v, α off %v, 1-p_c down to %g", maxGamma, classAlpha, weights, alphaOff, minQ)
	}
}

// TestAgainstBigref: mpmath's truth and the module's math/big reference
// (internal/bigref) round to the same float64 and float32 on every row,
// loss and every gradient component: two independent evaluations agree.
func TestAgainstBigref(t *testing.T) {
	if testing.Short() {
		t.Skip("math/big on every golden row")
	}
	for i, r := range Rows() {
		ref := bigref.Softmax(r.X64(), r.Label, r.Weight, r.AlphaC(), r.Gamma)
		if ref.NaN {
			if r.Loss64 == r.Loss64 {
				t.Errorf("row %d: bigref NaN, golden %v", i, r.Loss64)
			}
			continue
		}
		tieOf := func(v *big.Float, bits int) uint64 {
			if bigref.NearTie(v, bits) {
				return 1
			}
			return 0
		}
		// a tie the 200-bit reference cannot resolve: one ULP either way
		tie64, tie32 := uint64(0), uint64(0)
		if bigref.NearTie(ref.Loss, 64) {
			tie64 = 1
		}
		if bigref.NearTie(ref.Loss, 32) {
			tie32 = 1
		}
		bad := ulp.Dist64(ref.Loss64(), r.Loss64) > tie64 || ulp.Dist32(ref.Loss32(), r.Loss32) > tie32
		for j := range r.X {
			g64, g32 := ref.Grad64(j), ref.Grad32(j)
			if math.Abs(g64) < 0x1p-1022 && math.Abs(r.Grad64[j]) < 0x1p-1022 {
				// a subnormal: bigref's exp is cut at e^-65536, mpmath's is not
				bad = bad || math.Abs(g64-r.Grad64[j]) > 0x1p-1074
			} else {
				bad = bad || ulp.Dist64(g64, r.Grad64[j]) > tieOf(ref.Grad[j], 64)
			}
			bad = bad || ulp.Dist32(g32, r.Grad32[j]) > tieOf(ref.Grad[j], 32)
		}
		if bad {
			t.Errorf("row %d (C=%d label %d γ=%v): bigref loss %v %v, golden %v %v", i, r.C, r.Label, r.Gamma, ref.Loss64(), ref.Loss32(), r.Loss64, r.Loss32)
		}
	}
}
