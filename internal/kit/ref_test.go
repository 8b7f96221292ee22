package kit

import (
	"math"
	"testing"

	"github.com/focalkernels/focal/internal/bigref"
	"github.com/focalkernels/focal/internal/ulp"
)

// TestRefPowerUnderflow: where (1-p_t)^γ underflows while CE is huge (a tiny
// soft target at a huge |x|), the reference still gives the loss, a normal
// number, as the math/big one does; the product of float64s gave 0.
func TestRefPowerUnderflow(t *testing.T) {
	for _, c := range []struct{ x, t, gamma float64 }{
		{-1.486e215, 0x1p-401, 3},
		{-1e300, 0x1.3p-700, 1.5},
		{-1e200, 0x1.7p-350, 3},
		{1e300, 1 - 0x3p-53, 20},
	} {
		got := ref(c.x, c.t, 0.25, c.gamma)
		loss, grad, _ := bigref.Ref64(c.x, c.t, 0.25, c.gamma)
		if loss == 0 || math.Abs(loss) < 0x1p-1022 {
			t.Fatalf("x=%g t=%g γ=%g: the case's loss %g is not a normal number", c.x, c.t, c.gamma, loss)
		}
		if d := ulp.Dist64(got.loss, loss); d > 4 {
			t.Errorf("x=%g t=%g γ=%g: loss %g, math/big %g (%d ULP)", c.x, c.t, c.gamma, got.loss, loss, d)
		}
		if got.grad != grad {
			t.Errorf("x=%g t=%g γ=%g: gradient %g, math/big %g", c.x, c.t, c.gamma, got.grad, grad)
		}
	}
}
