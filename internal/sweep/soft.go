package sweep

import (
	"fmt"
	"io"
	"math"

	"github.com/focalkernels/focal/impl/asm"
	"github.com/focalkernels/focal/impl/stable"
	"github.com/focalkernels/focal/internal/ulp"
)

// Uniform stands, among SoftTargets, for a target drawn uniformly from (0, 1)
// for each logit (a hash of its bits, so that every run draws the same).
const Uniform = float32(-1)

// SoftTargets, SoftAlphas and SoftGammas are the cases of the soft-target
// sweep: label smoothing's targets, 1/2, targets near the ends, and uniform
// ones; class weighting on, off, and 0 and 1; γ over [0, 5].
var (
	SoftTargets = []float32{0.05, 0.95, 0.1, 0.9, 0.5, 1e-4, 1 - 1e-4, Uniform}
	SoftAlphas  = []float64{0.25, -1, 0, 1}
	SoftGammas  = []float64{0, 0.5, 1, 1.5, 2, 3, 5}
)

// SoftResult is the soft-target sweep of one level for one target, α and γ.
type SoftResult struct {
	Level    asm.Level
	T        float32
	Alpha    float64
	Gamma    float64
	N        int64
	LossNorm Max    // loss ULP where stable's loss is a normal float32 or 0
	Grad     MaxErr // gradient error in units of 2^-23 × the size of its two terms
	NaNs     int64  // NaN or ±Inf results where stable's are finite
}

// MaxErr is a largest gradient error and where it occurred.
type MaxErr struct {
	Err  float64
	X, T float32
}

func (m *MaxErr) add(e float64, x, t float32) {
	if e > m.Err {
		m.Err, m.X, m.T = e, x, t
	}
}

// uniformTarget is the Uniform target of the logit with bits b (splitmix64).
func uniformTarget(b uint32) float32 {
	return float32((float64(splitmix(uint64(b))>>40) + 0.5) / (1 << 24))
}

// RunSoft sweeps the levels over every 2^shift-th bit pattern that is a
// finite float32, for soft target t (or Uniform), α and γ, against
// stable's float32 kernel (computed once for all levels), on all CPUs.
func RunSoft(levels []asm.Level, shift uint, t float32, alpha, gamma float64) []SoftResult {
	const chunk = 1 << 12
	step := uint64(1) << shift
	total := uint64(1) << 32
	results := make([][]SoftResult, workers())
	inParallel(total, chunk*step, func(w int, starts <-chan uint64) {
		rs := make([]SoftResult, len(levels))
		x, tt := make([]float32, 0, chunk), make([]float32, 0, chunk)
		ref, refG := make([]float32, chunk), make([]float32, chunk)
		got, gotG := make([]float32, chunk), make([]float32, chunk)
		for start := range starts {
			x, tt = x[:0], tt[:0]
			for b := start; b < start+chunk*step && b < total; b += step {
				if v := math.Float32frombits(uint32(b)); finite(v) {
					tv := t
					if t == Uniform {
						tv = uniformTarget(uint32(b))
					}
					x, tt = append(x, v), append(tt, tv)
				}
			}
			n := len(x)
			stable.LossGrad32(ref[:n], refG[:n], x, tt, alpha, gamma)
			for li, l := range levels {
				r := &rs[li]
				l.LossGrad32(got[:n], gotG[:n], x, tt, alpha, gamma)
				r.N += int64(n)
				for i, xv := range x {
					if normal(ref[i]) {
						r.LossNorm.add(ulp.Dist32(got[i], ref[i]), xv)
					}
					if sc := ulp.GradScale(float64(xv), float64(tt[i]), alpha, gamma); sc >= 0x1p-126 && !math.IsInf(sc, 0) {
						r.Grad.add(ulp.GradErr(float64(gotG[i]), float64(refG[i]), sc, ulp.Eps32), xv, tt[i])
					}
					if (finite(ref[i]) && !finite(got[i])) || (finite(refG[i]) && !finite(gotG[i])) {
						r.NaNs++
					}
				}
			}
		}
		results[w] = rs
	})
	return perLevel(levels, results, func(l asm.Level) SoftResult {
		return SoftResult{Level: l, T: t, Alpha: alpha, Gamma: gamma}
	})
}

func (o *SoftResult) merge(r SoftResult) {
	o.N += r.N
	o.NaNs += r.NaNs
	o.LossNorm.add(r.LossNorm.ULP, r.LossNorm.X)
	o.Grad.add(r.Grad.Err, r.Grad.X, r.Grad.T)
}

// AllSoft sweeps every usable level for every soft target, α and γ, writing
// a table to w as it goes (w may be nil), and returns the results.
func AllSoft(w io.Writer, shift uint) []SoftResult {
	levels := asm.Levels()
	if w != nil {
		fmt.Fprintf(w, "# soft targets: every 2^%d-th float32 bit pattern that is finite, against impl/stable's float32 kernel\n", shift)
		fmt.Fprintf(w, "# loss-norm: ULP where stable's loss is a normal float32 or 0; grad: |g - stable's| in units of 2^-23 × the size of the gradient's two terms\n")
		fmt.Fprintf(w, "# (|α_t|(|γ-term| + |(1-p_t)^γ(σ(x)-t)|), as the golden rows' ref_grad_scale), where that is normal; t = uniform: one per logit\n")
		fmt.Fprintf(w, "%-12s %7s %5s %5s %10s %9s %9s %6s  %s\n", "kernel", "t", "alpha", "gamma", "logits", "loss-norm", "grad", "nonfin", "worst (loss-norm x; grad x, t)")
	}
	var rs []SoftResult
	for _, t := range SoftTargets {
		for _, a := range SoftAlphas {
			for _, g := range SoftGammas {
				rs = record(w, rs, func() []SoftResult { return RunSoft(levels, shift, t, a, g) }, func(r SoftResult) string {
					return fmt.Sprintf("%-12s %7s %5v %5v %10d %9d %9.3g %6d  %g; %g, %g",
						"asm-"+r.Level.String(), targetStr(t, Uniform), a, g, r.N, r.LossNorm.ULP, r.Grad.Err, r.NaNs,
						r.LossNorm.X, r.Grad.X, r.Grad.T)
				})
			}
		}
	}
	return rs
}
