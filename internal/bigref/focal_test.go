package bigref

import (
	"math"
	"testing"

	"github.com/focalkernels/focal/internal/golden"
	"github.com/focalkernels/focal/internal/ulp"
)

// TestRef64Golden: the math/big reference reproduces every golden row's
// loss, gradient and gradient scale (mpmath's, at 60 digits and more), to
// within the rounding of the last bit.
func TestRef64Golden(t *testing.T) {
	var maxL, maxG, maxS uint64
	for i, r := range golden.Rows() {
		l, g, s := Ref64(r.X, r.T, r.Alpha, r.Gamma)
		dl, dg, ds := ulp.Dist64(l, r.RefLoss), ulp.Dist64(g, r.RefGrad), ulp.Dist64(s, r.RefGradScale)
		if math.Abs(r.RefGrad) < 0x1p-1022 {
			dg = 0
		}
		maxL, maxG, maxS = max(maxL, dl), max(maxG, dg), max(maxS, ds)
		if dl > 1 || dg > 1 || ds > 1 {
			t.Errorf("row %d %+v: reference %v %v %v (%d, %d, %d ULP)", i, r, l, g, s, dl, dg, ds)
		}
	}
	t.Logf("reference vs golden: loss %d, gradient %d, scale %d ULP", maxL, maxG, maxS)
}
