package kit

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/leanovate/gopter"
	"gonum.org/v1/gonum/stat"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/internal/ulp"
)

// ErrorSummary returns a table of how far each kernel is from stable over the
// generated finite cases: loss in ULP where stable's loss is a normal float,
// gradient in ulp.GradErr units; mean, 99th percentile and max, with gonum's
// stat. It asserts nothing (agree-stable does); it is the evidence for the
// tolerances in tol.go.
func ErrorSummary[F focal.Float](cfg Config) string {
	seed, n := cfg.Seed, cfg.N
	b := bitsOf[F]()
	g := genOpts{bits: b}.gen()
	params := gopter.DefaultGenParameters()
	params.Rng.Seed(seed)
	var cases []Case
	for range n {
		cases = append(cases, g(params).Result.(Case))
	}
	st := stableKernel[F]()
	var rows []string
	for _, k := range focal.Kernels[F]() {
		bar, _ := focal.BarOf[F](k.Name())
		var lossErr, gradErrs []float64
		for _, c := range cases {
			loss, _, grad, _ := eval(k, c)
			sLoss, _, sGrad, _ := eval(st, c)
			if loss == nil || sLoss == nil {
				continue
			}
			for i, x := range c.X {
				if !bar.InRange(x, c.Gamma) {
					continue
				}
				if v := math.Abs(sLoss[i]); v >= minNormal(b) && !math.IsInf(v, 0) {
					var d uint64
					if b == 32 {
						d = ulp.Dist32(float32(loss[i]), float32(sLoss[i]))
					} else {
						d = ulp.Dist64(loss[i], sLoss[i])
					}
					lossErr = append(lossErr, float64(d))
				}
				if s := ref(x, c.T[i], c.Alpha, c.Gamma).scaleFor(truthTol(bar)); s >= minNormal(b) {
					gradErrs = append(gradErrs, gradErr(grad[i], sGrad[i], s, b))
				}
			}
		}
		rows = append(rows, fmt.Sprintf("%-12s %8d  %8.3g %8.3g %8.3g  %8.3g %8.3g %8.3g", k.Name(), len(lossErr),
			mean(lossErr), q99(lossErr), maxOf(lossErr), mean(gradErrs), q99(gradErrs), maxOf(gradErrs)))
	}
	return fmt.Sprintf("float%d, %d cases (seed %d), error against stable:\n%-12s %8s  %8s %8s %8s  %8s %8s %8s\n%s", b, n, seed,
		"kernel", "elements", "loss:mean", "p99", "max", "grad:mean", "p99", "max", strings.Join(rows, "\n"))
}

func mean(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	return stat.Mean(v, nil)
}

func q99(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return stat.Quantile(0.99, stat.Empirical, s, nil)
}

func maxOf(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	return slices.Max(v)
}
