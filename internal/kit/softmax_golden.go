package kit

// The softmax form's golden rows (mpmath's exact values) as a check, and
// its guards: every row a kernel declares itself valid on, within its bar;
// nothing written outside the outputs, the inputs unchanged.

import (
	"fmt"
	"math/rand"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/internal/accuracy"
	goldsoftmax "github.com/focalkernels/focal/internal/golden/softmax"
)

// SoftmaxGolden runs k on every golden row of the softmax form and returns a
// message for each row in bar's range where k misses bar: a loss more than
// bar.LossULP from the truth, a gradient component off its value by more
// than bar.Grad·eps (focal.SoftmaxBarOf's measure), NaN or ±Inf where the
// truth is finite; a relative bar holds the loss and each component to
// bar.Rel instead.
func SoftmaxGolden[F focal.Float](k focal.SoftmaxKernel[F], bar focal.Bar) []string {
	out := accuracy.SoftmaxRun(k)
	rows := goldsoftmax.Rows()
	var fails []string
	for _, e := range accuracy.SoftmaxErrors(out) {
		r := rows[e.Row]
		c := SoftmaxCase{X: r.X64(), Labels: []int32{int32(r.Label)}, C: r.C, Alpha: r.Alpha, Gamma: r.Gamma, ClassAlpha: r.ClassAlpha}
		if !softmaxInRange(bar, c, 0) {
			continue
		}
		where := fmt.Sprintf("golden row %d (C=%d label=%d α=%v γ=%v w=%v)", e.Row, r.C, r.Label, r.AlphaC(), r.Gamma, r.Weight)
		switch {
		case e.NonFinite:
			fails = append(fails, fmt.Sprintf("%s: loss %v grad %v, the truth is finite", where, out.Loss[e.Row], out.Grad[e.Row]))
		case bar.Rel > 0:
			if !(e.LossRel <= bar.Rel) || !(e.GradRel <= bar.Rel) {
				fails = append(fails, fmt.Sprintf("%s: loss %v (truth %v), relative error %.2g; gradient %.2g; bar %g",
					where, out.Loss[e.Row], r.Loss64, e.LossRel, e.GradRel, bar.Rel))
			}
		case e.LossULP > bar.LossULP || !(e.GradErr <= bar.Grad):
			fails = append(fails, fmt.Sprintf("%s: loss %v (truth %v) %d ULP, bar %d; gradient %.3g eps, bar %g",
				where, out.Loss[e.Row], r.Loss64, e.LossULP, bar.LossULP, e.GradErr, bar.Grad))
		}
	}
	return fails
}

// SoftmaxGuards runs k on N from 0 to 5 rows of every C from 1 to 17, 21
// and 33, at offsets 0 to 3 into larger arrays, with every kind of logit
// (±Inf and NaN included) and ignored rows, and reports the first write
// outside an output, change to an input (logits, labels, weights; by any of
// the three functions), SoftmaxLossGrad whose loss is not SoftmaxLoss's bit
// for bit or whose gradient changes when loss is nil.
func SoftmaxGuards[F focal.Float](k focal.SoftmaxKernel[F]) string {
	r := rand.New(rand.NewSource(7))
	o := softmaxOpts{genOpts: genOpts{bits: bitsOf[F](), specials: true, nan: true}}
	for _, c := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 21, 33} {
		for n := range 6 {
			for off := range 4 {
				cs := SoftmaxCase{C: c, Alpha: 0.25, Gamma: []float64{2, 1.5, 0, 1}[off], Off: off}
				for range n {
					l := r.Intn(c+1) - 1
					cs.Labels = append(cs.Labels, int32(l))
					cs.X = append(cs.X, o.row(r, c, max(l, 0))...)
				}
				if off%2 == 1 {
					for range n {
						cs.Weight = append(cs.Weight, o.weight(r))
					}
				}
				if msg := softmaxLossGradExact(k, cs, focal.Bar{}); msg != "" {
					return fmt.Sprintf("%s\ncase %v", msg, cs)
				}
				if _, _, msg := softmaxSumOf(k, cs); msg != "" {
					return fmt.Sprintf("%s\ncase %v", msg, cs)
				}
			}
		}
	}
	return ""
}
