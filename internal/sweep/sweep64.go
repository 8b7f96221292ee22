package sweep

import (
	"fmt"
	"io"
	"math"

	"github.com/focalkernels/focal/impl/asm"
	"github.com/focalkernels/focal/impl/stable"
	"github.com/focalkernels/focal/internal/bigref"
	"github.com/focalkernels/focal/internal/ulp"
)

// The float64 sweep: every 2^shift-th bit pattern of the finite positive
// float64s (from the subnormals to MaxFloat64), with either sign, as logits
// through every asm level's LossGrad64, for hard and soft targets; against
// impl/stable's float64 kernel on every logit, and against the math/big
// reference (Ref64, the truth) on every 2^refShift-th of them, where stable
// is measured against the truth too.

// The cases of the float64 sweep; Uniform64 draws a target per logit.
var (
	Targets64 = []float64{0, 1, 0.05, 0.5, 0.9999, 1e-3, Uniform64}
	Gammas64  = []float64{0, 1, 2, 1.5, 5}
	Alpha64   = 0.25
)

const Uniform64 = -1

// Result64 is the float64 sweep of one level for one target and γ.
type Result64 struct {
	Level         asm.Level
	T, Gamma      float64
	N, NRef       int64
	Loss, Grad    Max64 // against stable
	LossRef       Max64 // against the truth (every 2^refShift-th logit)
	GradRef       Max64
	StableLossRef Max64 // stable against the truth, for comparison
	StableGradRef Max64
	NaNs          int64 // non-finite results where stable's are finite
	StableNaNs    int64 // non-finite stable results where the truth is finite
}

// Max64 is a largest error (ULP, or units of 2^-52 × the gradient's scale)
// and the input where it occurred.
type Max64 struct {
	Err  float64
	X, T float64
}

func (m *Max64) add(e, x, t float64) {
	if e > m.Err || e != e {
		m.Err, m.X, m.T = e, x, t
	}
}

func (m *Max64) merge(o Max64) { m.add(o.Err, o.X, o.T) }

func normal64(v float64) bool {
	a := math.Abs(v)
	return a == 0 || (a >= 0x1p-1022 && !math.IsInf(v, 0))
}

func finite64(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// uniformTarget64 is a target in (0, 1) with 53 random bits, from b.
func uniformTarget64(b uint64) float64 {
	return (float64(splitmix(b)>>11) + 0.5) / (1 << 53)
}

// lossErr is got's distance in ULP from want, where want is a normal
// float64 or 0.
func lossErr(got, want float64) (float64, bool) {
	if !normal64(want) {
		return 0, false
	}
	return float64(ulp.Dist64(got, want)), true
}

// Run64 sweeps the levels for target t (or Uniform64) and γ, with α =
// Alpha64, on all CPUs.
func Run64(levels []asm.Level, shift, refShift uint, t, gamma float64) []Result64 {
	const chunk = 1 << 12
	const total = 0x7ff0000000000000 // the finite positive bit patterns
	results := make([][]Result64, workers())
	count := uint64(total-1)>>shift + 1 // patterns swept: 0, step, 2·step, … below total
	// by index: chunk·step may pass 2^64
	inParallel(count, chunk, func(w int, starts <-chan uint64) {
		rs := make([]Result64, len(levels))
		x, tt := make([]float64, 0, 2*chunk), make([]float64, 0, 2*chunk)
		ref, refG := make([]float64, 2*chunk), make([]float64, 2*chunk)
		got, gotG := make([]float64, 2*chunk), make([]float64, 2*chunk)
		var truth []int // indices into x with a big reference
		for start := range starts {
			x, tt, truth = x[:0], tt[:0], truth[:0]
			for j := start; j < start+chunk && j < count; j++ {
				b := j << shift
				v := math.Float64frombits(b)
				tv := t
				if t == Uniform64 {
					tv = uniformTarget64(b)
				}
				if j&(1<<refShift-1) == 0 {
					truth = append(truth, len(x), len(x)+1)
				}
				x, tt = append(x, v, -v), append(tt, tv, tv)
			}
			n := len(x)
			stable.LossGrad64(ref[:n], refG[:n], x, tt, Alpha64, gamma)
			type truthVal struct{ loss, grad, scale float64 }
			tv := make(map[int]truthVal, len(truth))
			for _, i := range truth {
				l, g, s := bigref.Ref64(x[i], tt[i], Alpha64, gamma)
				tv[i] = truthVal{l, g, s}
			}
			for li, l := range levels {
				r := &rs[li]
				l.LossGrad64(got[:n], gotG[:n], x, tt, Alpha64, gamma)
				r.N += int64(n)
				for i, xv := range x {
					if e, ok := lossErr(got[i], ref[i]); ok {
						r.Loss.add(e, xv, tt[i])
					}
					if sc := ulp.GradScale(xv, tt[i], Alpha64, gamma); sc >= 0x1p-1022 && !math.IsInf(sc, 0) {
						r.Grad.add(ulp.GradErr(gotG[i], refG[i], sc, ulp.Eps64), xv, tt[i])
					}
					if (finite64(ref[i]) && !finite64(got[i])) || (finite64(refG[i]) && !finite64(gotG[i])) {
						r.NaNs++
					}
				}
				for _, i := range truth {
					v := tv[i]
					r.NRef++
					if e, ok := lossErr(got[i], v.loss); ok {
						r.LossRef.add(e, x[i], tt[i])
					}
					if e, ok := lossErr(ref[i], v.loss); ok {
						r.StableLossRef.add(e, x[i], tt[i])
					}
					if v.scale >= 0x1p-1022 && !math.IsInf(v.scale, 0) {
						r.GradRef.add(ulp.GradErr(gotG[i], v.grad, v.scale, ulp.Eps64), x[i], tt[i])
						r.StableGradRef.add(ulp.GradErr(refG[i], v.grad, v.scale, ulp.Eps64), x[i], tt[i])
					}
					if (finite64(v.loss) && !finite64(ref[i])) || (finite64(v.grad) && !finite64(refG[i])) {
						r.StableNaNs++
					}
				}
			}
		}
		results[w] = rs
	})
	return perLevel(levels, results, func(l asm.Level) Result64 {
		return Result64{Level: l, T: t, Gamma: gamma}
	})
}

func (o *Result64) merge(r Result64) {
	o.N += r.N
	o.NRef += r.NRef
	o.NaNs += r.NaNs
	o.StableNaNs += r.StableNaNs
	o.Loss.merge(r.Loss)
	o.Grad.merge(r.Grad)
	o.LossRef.merge(r.LossRef)
	o.GradRef.merge(r.GradRef)
	o.StableLossRef.merge(r.StableLossRef)
	o.StableGradRef.merge(r.StableGradRef)
}

// All64 sweeps every usable level for every target and γ of the float64
// sweep, writing a table to w as it goes (w may be nil), and returns the
// results.
func All64(w io.Writer, shift, refShift uint) []Result64 {
	levels := asm.Levels()
	if w != nil {
		fmt.Fprintf(w, "# float64: every 2^%d-th finite positive float64 bit pattern, with either sign, α = %v;\n", shift, Alpha64)
		fmt.Fprintf(w, "# vs stable: against impl/stable's float64 kernel, every logit; vs truth: against math/big at 200 bits (internal/sweep.Ref64),\n")
		fmt.Fprintf(w, "# every 2^%d-th of them, with stable's own error beside it. loss: ULP where the reference is a normal float64 or 0;\n", refShift)
		fmt.Fprintf(w, "# grad: units of 2^-52 × the size of the gradient's two terms (the golden rows' ref_grad_scale); t = uniform: one per logit\n")
		fmt.Fprintf(w, "%-12s %7s %5s %10s %8s | %8s %8s | %7s %8s %8s %8s | %6s  %s\n", "kernel", "t", "gamma", "logits", "nonfin",
			"loss", "grad", "truth-n", "loss", "grad", "stable", "", "worst vs truth (loss x, t; grad x, t)")
	}
	var rs []Result64
	for _, t := range Targets64 {
		for _, g := range Gammas64 {
			rs = record(w, rs, func() []Result64 { return Run64(levels, shift, refShift, t, g) }, func(r Result64) string {
				return fmt.Sprintf("%-12s %7s %5v %10d %8d | %8.0f %8.3g | %7d %8.0f %8.3g %4.0f/%-5.3g | %g, %g; %g, %g",
					"asm-"+r.Level.String(), targetStr(t, Uniform64), g, r.N, r.NaNs, r.Loss.Err, r.Grad.Err, r.NRef, r.LossRef.Err, r.GradRef.Err,
					r.StableLossRef.Err, r.StableGradRef.Err, r.LossRef.X, r.LossRef.T, r.GradRef.X, r.GradRef.T)
			})
		}
	}
	return rs
}
