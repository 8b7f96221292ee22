package accuracy

import (
	"fmt"
	"math"

	"github.com/focalkernels/focal"
	goldsoftmax "github.com/focalkernels/focal/internal/golden/softmax"
	"github.com/focalkernels/focal/internal/ulp"
)

// The softmax form against its golden rows (internal/golden/softmax): the
// loss in ULP of the truth rounded to the element type (subnormals counted
// in their own spacing), each gradient component relative to its value in
// units of eps, a true value that is 0 or subnormal held to eps times the
// smallest normal (focal.SoftmaxBarOf's measure).

// SoftmaxOutputs are one kernel's (or peer's) loss per golden row and
// gradient per logit, widened to float64, in row order.
type SoftmaxOutputs struct {
	Name string
	Bits int
	Loss []float64
	Grad [][]float64
}

// SoftmaxRun evaluates k on every golden row. Rows of one class count and
// parameters go through the kernel as one call (weights only where one is
// not 1), so that row loops run as a caller runs them; the loss comes from
// SoftmaxLoss and the gradient from SoftmaxLossGrad.
func SoftmaxRun[F focal.Float](k focal.SoftmaxKernel[F]) SoftmaxOutputs {
	rows := goldsoftmax.Rows()
	out := SoftmaxOutputs{Name: k.Name(), Bits: bits[F](), Loss: make([]float64, len(rows)), Grad: make([][]float64, len(rows))}
	groups := map[string][]int{}
	var keys []string
	for i, r := range rows {
		key := fmt.Sprint(r.C, r.Alpha, r.Gamma, r.ClassAlpha, r.Weight != 1)
		if _, ok := groups[key]; !ok {
			keys = append(keys, key)
		}
		groups[key] = append(groups[key], i)
	}
	for _, key := range keys {
		idx := groups[key]
		g := rows[idx[0]]
		r := focal.Rows[F]{C: g.C}
		for _, i := range idx {
			for _, v := range rows[i].X {
				r.X = append(r.X, F(v))
			}
			r.Labels = append(r.Labels, int32(rows[i].Label))
			if g.Weight != 1 {
				r.Weight = append(r.Weight, F(rows[i].Weight))
			}
		}
		p := focal.Params{Alpha: g.Alpha, Gamma: g.Gamma, ClassAlpha: g.ClassAlpha}
		loss, grad := make([]F, len(idx)), make([]F, len(r.X))
		k.SoftmaxLoss(loss, r, p)
		k.SoftmaxLossGrad(nil, grad, r, p)
		for n, i := range idx {
			out.Loss[i] = float64(loss[n])
			out.Grad[i] = make([]float64, g.C)
			for j := range g.C {
				out.Grad[i][j] = float64(grad[n*g.C+j])
			}
		}
	}
	return out
}

// SoftmaxTorch returns torch's autograd outputs from the golden file (the
// usual autograd form; see the file's README) as a peer.
func SoftmaxTorch(bitSize int) SoftmaxOutputs {
	rows := goldsoftmax.Rows()
	out := SoftmaxOutputs{Name: "torch", Bits: bitSize, Loss: make([]float64, len(rows)), Grad: make([][]float64, len(rows))}
	for i, r := range rows {
		out.Loss[i], out.Grad[i] = r.Torch64Loss, r.Torch64Grad
		if bitSize == 32 {
			out.Loss[i] = float64(r.Torch32Loss)
			out.Grad[i] = make([]float64, r.C)
			for j, v := range r.Torch32Grad {
				out.Grad[i][j] = float64(v)
			}
		}
	}
	return out
}

// SoftmaxRowErr is the error of one output on one golden row.
type SoftmaxRowErr struct {
	Row       int
	LossULP   uint64  // ULP distance of the loss to the truth rounded to the element type
	GradErr   float64 // the largest component's ulp.RelErr
	LossRel   float64 // the loss's relative error (absolute below the smallest normal)
	GradRel   float64 // the largest component's relative error, likewise
	NonFinite bool    // NaN or ±Inf where the truth rounded to the element type is finite
}

// SoftmaxErrors returns the error of o on every golden row.
func SoftmaxErrors(o SoftmaxOutputs) []SoftmaxRowErr {
	rows := goldsoftmax.Rows()
	eps, floor := ulp.Eps64, ulp.MinNormal64
	if o.Bits == 32 {
		eps, floor = ulp.Eps32, ulp.MinNormal32
	}
	rel := func(got, want float64) float64 { return ulp.RelErr(got, want, 1, floor) }
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	errs := make([]SoftmaxRowErr, len(rows))
	for i, r := range rows {
		e := SoftmaxRowErr{Row: i}
		loss, grad := r.Loss64, r.Grad64
		if o.Bits == 32 {
			loss, grad = float64(r.Loss32), make([]float64, r.C)
			for j, v := range r.Grad32 {
				grad[j] = float64(v)
			}
			e.LossULP = ulp.Dist32(float32(o.Loss[i]), r.Loss32)
		} else {
			e.LossULP = ulp.Dist64(o.Loss[i], loss)
		}
		e.LossRel = rel(o.Loss[i], loss)
		e.NonFinite = finite(loss) && !finite(o.Loss[i])
		for j, g := range o.Grad[i] {
			e.GradErr = max(e.GradErr, ulp.RelErr(g, grad[j], eps, floor))
			e.GradRel = max(e.GradRel, rel(g, grad[j]))
			e.NonFinite = e.NonFinite || finite(grad[j]) && !finite(g)
		}
		errs[i] = e
	}
	return errs
}

// SoftmaxSummarize condenses the errors of the output called name into a
// Summary (every row counts for the loss and the gradient: the softmax
// measure needs no normal truth), for WriteTable.
func SoftmaxSummarize(name string, errs []SoftmaxRowErr) Summary {
	a := summing{s: Summary{Name: name}}
	for _, e := range errs {
		if e.NonFinite {
			a.s.NonFinite++
		}
		a.loss(e.LossULP)
		a.grad(e.GradErr)
	}
	return a.done()
}
