// Package accuracy measures kernels against the golden vectors: the ULP error of
// the loss and the scaled error of the gradient, per row and summarized.
package accuracy

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/internal/golden"
	"github.com/focalkernels/focal/internal/ulp"
)

// Outputs are one kernel's (or peer's) loss and gradient for every golden row,
// widened to float64, in row order.
type Outputs struct {
	Name       string
	Bits       int // 32 or 64: the element type the values were computed in
	Loss, Grad []float64
}

// Run evaluates k on every golden row. Rows are grouped by (α, γ) and each group
// goes through the kernel as one slice, so vector code paths and tails are
// exercised as a caller would exercise them; the loss comes from Loss and the
// gradient from LossGrad.
func Run[F focal.Float](k focal.Kernel[F]) Outputs {
	rows := golden.Rows()
	out := Outputs{Name: k.Name(), Bits: bits[F](), Loss: make([]float64, len(rows)), Grad: make([]float64, len(rows))}
	for ag, idx := range groups(rows) {
		p := focal.Params{Alpha: ag.alpha, Gamma: ag.gamma}
		x := make([]F, len(idx))
		t := make([]F, len(idx))
		for j, i := range idx {
			x[j], t[j] = F(rows[i].X), F(rows[i].T)
		}
		loss := make([]F, len(idx))
		grad := make([]F, len(idx))
		k.Loss(loss, x, t, p)
		k.LossGrad(nil, grad, x, t, p)
		for j, i := range idx {
			out.Loss[i], out.Grad[i] = float64(loss[j]), float64(grad[j])
		}
	}
	return out
}

// Torchvision returns torchvision's own outputs from the golden file as a peer.
func Torchvision(bitSize int) Outputs {
	rows := golden.Rows()
	out := Outputs{Name: "torchvision", Bits: bitSize, Loss: make([]float64, len(rows)), Grad: make([]float64, len(rows))}
	for i, r := range rows {
		out.Loss[i], out.Grad[i] = r.TV64Loss, r.TV64Grad
		if bitSize == 32 {
			out.Loss[i], out.Grad[i] = r.TV32Loss, r.TV32Grad
		}
	}
	return out
}

// alphaGamma keys the golden rows by their α and γ (focal.Params, which
// holds slices, is not comparable).
type alphaGamma struct{ alpha, gamma float64 }

func groups(rows []golden.Row) map[alphaGamma][]int {
	g := make(map[alphaGamma][]int)
	for i, r := range rows {
		k := alphaGamma{r.Alpha, r.Gamma}
		g[k] = append(g[k], i)
	}
	return g
}

func bits[F focal.Float]() int {
	if float64(F(1)+F(0x1p-30)) == 1 {
		return 32
	}
	return 64
}

// RowErr is the error of one output on one golden row.
type RowErr struct {
	Row        int
	LossULP    uint64  // ULP distance to the truth rounded to the element type
	GradErr    float64 // |g - ref| / (ref_grad_scale · eps)
	LossNormal bool    // the true loss is a normal float of the element type
	GradNormal bool    // the gradient's scale is a normal float of the element type
	NonFinite  bool    // NaN or ±Inf where the truth rounded to the element type is finite
}

// Errors returns the error of o on every golden row.
func Errors(o Outputs) []RowErr {
	rows := golden.Rows()
	eps, minNormal, maxFinite := ulp.Eps64, 0x1p-1022, math.MaxFloat64
	if o.Bits == 32 {
		eps, minNormal, maxFinite = ulp.Eps32, 0x1p-126, math.MaxFloat32
	}
	normal := func(v float64) bool { v = math.Abs(v); return v >= minNormal && v <= maxFinite }
	finite := func(v float64) bool { return math.Abs(v) <= maxFinite }
	errs := make([]RowErr, len(rows))
	for i, r := range rows {
		e := RowErr{Row: i, LossNormal: normal(r.RefLoss), GradNormal: normal(r.RefGradScale) && finite(r.RefGrad)}
		if o.Bits == 32 {
			e.LossULP = ulp.Dist32(float32(o.Loss[i]), float32(r.RefLoss))
		} else {
			e.LossULP = ulp.Dist64(o.Loss[i], r.RefLoss)
		}
		e.GradErr = ulp.GradErr(o.Grad[i], r.RefGrad, r.RefGradScale, eps)
		truthFinite := finite(r.RefLoss) && finite(r.RefGrad)
		if o.Bits == 32 {
			truthFinite = !math.IsInf(float64(float32(r.RefLoss)), 0) && !math.IsInf(float64(float32(r.RefGrad)), 0)
		}
		gotFinite := !math.IsNaN(o.Loss[i]+o.Grad[i]) && !math.IsInf(o.Loss[i], 0) && !math.IsInf(o.Grad[i], 0)
		e.NonFinite = truthFinite && !gotFinite
		errs[i] = e
	}
	return errs
}

// Summary condenses the errors over the rows where the truth is a normal float.
type Summary struct {
	Name               string
	LossRows, GradRows int     // rows measured
	LossMax            uint64  // max ULP
	LossP99            float64 // 99th percentile ULP
	LossOver4          int     // rows over 4 ULP
	GradMax, GradP99   float64 // scaled gradient error
	GradOver8          int     // rows over 8 (scaled)
	NonFinite          int     // NaN or ±Inf where the truth is finite, over all rows
}

// Summarize returns the summary of errs.
func Summarize(name string, errs []RowErr) Summary {
	a := summing{s: Summary{Name: name}}
	for _, e := range errs {
		if e.NonFinite {
			a.s.NonFinite++
		}
		if e.LossNormal {
			a.loss(e.LossULP)
		}
		if e.GradNormal {
			a.grad(e.GradErr)
		}
	}
	return a.done()
}

// summing adds rows' errors up into a Summary.
type summing struct {
	s                  Summary
	lossErrs, gradErrs []float64
}

// loss counts a row's loss error, in ULP.
func (a *summing) loss(ulp uint64) {
	a.s.LossRows++
	a.s.LossMax = max(a.s.LossMax, ulp)
	a.lossErrs = append(a.lossErrs, float64(ulp))
	if ulp > 4 {
		a.s.LossOver4++
	}
}

// grad counts a row's gradient error.
func (a *summing) grad(err float64) {
	a.s.GradRows++
	a.s.GradMax = max(a.s.GradMax, err)
	a.gradErrs = append(a.gradErrs, err)
	if err > 8 {
		a.s.GradOver8++
	}
}

// done is the summary of the rows counted.
func (a *summing) done() Summary {
	a.s.LossP99 = p99(a.lossErrs)
	a.s.GradP99 = p99(a.gradErrs)
	return a.s
}

func p99(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	return stat.Quantile(0.99, stat.Empirical, v, nil)
}
