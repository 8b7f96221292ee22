package kit

// The golden vectors (mpmath's exact values) as a check: every row a kernel
// declares itself valid on, within its bar.

import (
	"fmt"
	"math"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/internal/accuracy"
	"github.com/focalkernels/focal/internal/golden"
)

// Golden runs k on every golden row and returns a message for each row in
// bar's range where k misses bar: a loss more than bar.LossULP from the truth
// (where the truth is a normal float of F's width), a gradient more than
// bar.Grad·eps·scale from it, a loss off the truth by more than a smallest
// normal where the truth is zero, subnormal or overflows, or NaN/Inf where the
// truth is finite. A relative bar holds the loss and the gradient (against its
// scale, soft targets within 0.01 of σ(x) excepted) to bar.Rel instead.
func Golden[F focal.Float](k focal.Kernel[F], bar focal.Bar) []string {
	out := accuracy.Run(k)
	rows := golden.Rows()
	var fails []string
	for _, e := range accuracy.Errors(out) {
		r := rows[e.Row]
		if !bar.InRange(r.X, r.Gamma) {
			continue
		}
		loss, grad := out.Loss[e.Row], out.Grad[e.Row]
		where := fmt.Sprintf("row %d (x=%g t=%g α=%g γ=%g)", e.Row, r.X, r.T, r.Alpha, r.Gamma)
		if e.NonFinite {
			fails = append(fails, fmt.Sprintf("%s: loss %v grad %v, truth %v and %v are finite", where, loss, grad, r.RefLoss, r.RefGrad))
			continue
		}
		if bar.Rel > 0 {
			fails = append(fails, relFails(where, loss, grad, r, bar.Rel)...)
			continue
		}
		if e.LossNormal && e.LossULP > bar.LossULP {
			fails = append(fails, fmt.Sprintf("%s: loss %v is %d ULP from the truth %v, bar %d", where, loss, e.LossULP, r.RefLoss, bar.LossULP))
		}
		if e.GradNormal && e.GradErr > bar.Grad {
			fails = append(fails, fmt.Sprintf("%s: grad %v, truth %v: error %.3g·scale·eps (scale %.6g), bar %g",
				where, grad, r.RefGrad, e.GradErr, r.RefGradScale, bar.Grad))
		}
		if !e.LossNormal && !tinyOK(loss, r.RefLoss, out.Bits) {
			fails = append(fails, fmt.Sprintf("%s: loss %v, truth %v is not a normal float%d", where, loss, r.RefLoss, out.Bits))
		}
	}
	return fails
}

// relFails holds one row to a relative bar.
func relFails(where string, loss, grad float64, r golden.Row, rel float64) []string {
	var fails []string
	if r.RefLoss != 0 {
		if e := math.Abs(loss-r.RefLoss) / r.RefLoss; !(e <= rel) {
			fails = append(fails, fmt.Sprintf("%s: loss %v, truth %v: relative error %.2g, bar %g", where, loss, r.RefLoss, e, rel))
		}
	}
	p := 1 / (1 + math.Exp(-r.X))
	cancels := r.T != 0 && r.T != 1 && math.Abs(p-r.T) < 0.01
	if r.RefGradScale != 0 && !cancels {
		if e := math.Abs(grad-r.RefGrad) / r.RefGradScale; !(e <= rel) {
			fails = append(fails, fmt.Sprintf("%s: grad %v, truth %v: error %.2g·scale, bar %g", where, grad, r.RefGrad, e, rel))
		}
	}
	return fails
}

// tinyOK holds a kernel to the truth where the truth is zero, subnormal or
// overflows: within one smallest normal of it, or the same infinity.
func tinyOK(got, ref float64, bits int) bool {
	maxFinite := math.MaxFloat64
	if bits == 32 {
		maxFinite = math.MaxFloat32
	}
	if math.Abs(ref) > maxFinite {
		return math.IsInf(got, int(math.Copysign(1, ref)))
	}
	return math.Abs(got-ref) <= minNormal(bits)
}
