// Package sweep runs the asm kernels over every 2^shift-th float32 bit pattern
// (every finite one with shift 0) as logits, for hard targets and a few γ, and
// records their largest distance in ULP from impl/stable's float32 kernel; and
// likewise for soft targets (soft.go), over more targets, α and γ, with the
// gradient's error measured against the size of its two terms; and the
// float64 functions over strided float64 logits against stable and against
// a math/big reference (sweep64.go, bigref.go).
//
// It lives here, not in impl/asm, so that the impl packages stay leaves: only
// this package (and its command, cmd/sweep, behind make sweep) imports both.
package sweep

import (
	"fmt"
	"io"
	"math"

	"github.com/focalkernels/focal/impl/asm"
	"github.com/focalkernels/focal/impl/stable"
	"github.com/focalkernels/focal/internal/ulp"
)

// Alpha is the α of the sweep (weighting on; it scales loss and gradient alike).
const Alpha = 0.25

// Targets and Gammas are the cases of the sweep.
var (
	Targets = []float32{0, 1}
	Gammas  = []float64{0, 2, 1.5}
)

// Result is the sweep of one level for one target and γ.
type Result struct {
	Level    asm.Level
	T        float32
	Gamma    float64
	N        int64 // logits swept
	Loss     Max   // over all results
	Grad     Max   // over all results
	LossNorm Max   // over the results where stable's value is a normal float32 (or 0)
	GradNorm Max   // likewise
	NaNs     int64 // NaN or ±Inf results where stable's are finite
}

// Max is a largest ULP distance and the logit where it occurred.
type Max struct {
	ULP uint64
	X   float32
}

func (m *Max) add(d uint64, x float32) {
	if d > m.ULP {
		m.ULP, m.X = d, x
	}
}

func normal(v float32) bool {
	a := math.Abs(float64(v))
	return a == 0 || (a >= 0x1p-126 && !math.IsInf(float64(v), 0))
}

func finite(v float32) bool { return !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0) }

// Run sweeps level l over every 2^shift-th bit pattern that is a finite
// float32, for target t and γ gamma, on all CPUs.
func Run(l asm.Level, shift uint, t float32, gamma float64) Result {
	const chunk = 1 << 14
	step := uint64(1) << shift
	total := uint64(1) << 32
	results := make([]Result, workers())
	inParallel(total, chunk*step, func(w int, starts <-chan uint64) {
		r := &results[w]
		x := make([]float32, 0, chunk)
		tt := make([]float32, chunk)
		for i := range tt {
			tt[i] = t
		}
		ref, refG := make([]float32, chunk), make([]float32, chunk)
		got, gotG := make([]float32, chunk), make([]float32, chunk)
		for start := range starts {
			x = x[:0]
			for b := start; b < start+chunk*step && b < total; b += step {
				v := math.Float32frombits(uint32(b))
				if finite(v) {
					x = append(x, v)
				}
			}
			n := len(x)
			stable.LossGrad32(ref[:n], refG[:n], x, tt[:n], Alpha, gamma)
			l.LossGrad32(got[:n], gotG[:n], x, tt[:n], Alpha, gamma)
			r.N += int64(n)
			for i, xv := range x {
				dl, dg := ulp.Dist32(got[i], ref[i]), ulp.Dist32(gotG[i], refG[i])
				r.Loss.add(dl, xv)
				r.Grad.add(dg, xv)
				if normal(ref[i]) {
					r.LossNorm.add(dl, xv)
				}
				if normal(refG[i]) {
					r.GradNorm.add(dg, xv)
				}
				if (finite(ref[i]) && !finite(got[i])) || (finite(refG[i]) && !finite(gotG[i])) {
					r.NaNs++
				}
			}
		}
	})
	out := Result{Level: l, T: t, Gamma: gamma}
	for _, r := range results {
		out.N += r.N
		out.NaNs += r.NaNs
		out.Loss.add(r.Loss.ULP, r.Loss.X)
		out.Grad.add(r.Grad.ULP, r.Grad.X)
		out.LossNorm.add(r.LossNorm.ULP, r.LossNorm.X)
		out.GradNorm.add(r.GradNorm.ULP, r.GradNorm.X)
	}
	return out
}

// All sweeps every usable level for every target and γ, writing a table to w
// as it goes (w may be nil), and returns the results.
func All(w io.Writer, shift uint) []Result {
	if w != nil {
		fmt.Fprintf(w, "# sweep of every 2^%d-th float32 bit pattern that is finite (%s), α = %v, against impl/stable's float32 kernel\n",
			shift, map[bool]string{true: "all of them", false: "strided"}[shift == 0], Alpha)
		fmt.Fprintf(w, "# ULP: distance in float32 units in the last place; 'normal': only where stable's value is a normal float32 or 0\n")
		fmt.Fprintf(w, "%-12s %3s %5s %12s %10s %10s %10s %10s %6s  %s\n",
			"kernel", "t", "gamma", "logits", "loss", "loss-norm", "grad", "grad-norm", "nonfin", "worst logits (loss-norm, grad-norm)")
	}
	var rs []Result
	for _, l := range asm.Levels() {
		for _, t := range Targets {
			for _, g := range Gammas {
				rs = record(w, rs, func() []Result { return []Result{Run(l, shift, t, g)} }, func(r Result) string {
					return fmt.Sprintf("%-12s %3v %5v %12d %10d %10d %10d %10d %6d  %g, %g",
						"asm-"+l.String(), t, g, r.N, r.Loss.ULP, r.LossNorm.ULP, r.Grad.ULP, r.GradNorm.ULP, r.NaNs,
						r.LossNorm.X, r.GradNorm.X)
				})
			}
		}
	}
	return rs
}
