package kerneltest

import (
	"math"
	"math/rand/v2"

	"github.com/focalkernels/focal/impl/internal/form"
)

// The rows form's inputs for the vector families' tests.

// Label patterns of RowsInputs.
const (
	LabMixed      = iota // a tenth positive (any class), a twentieth ignored, the rest background
	LabBackground        // every row background
	LabIgnored           // every row ignored
	LabFirst             // every row of class 0
	LabLast              // every row of class C-1
	LabAlternate         // ignored and positive rows in turn
	LabIgnoredEnd        // positive rows, the last few ignored (the padded tail)
	NLabels
)

// RowsInputs draws n rows of c classes with labels of the pattern, weights
// of the mode (0 none, 1 per row, 2 per element; some 0) and logits over
// the whole range with NaN and ±Inf among them.
func RowsInputs[F Float](rng *rand.Rand, n, c, pattern, wmode int) form.Rows[F] {
	x, _ := Inputs[F](rng, n*c, AllHard)
	for i := range x {
		switch rng.IntN(60) {
		case 0:
			x[i] = F(math.NaN())
		case 1:
			x[i] = F(math.Inf(1 - 2*rng.IntN(2)))
		}
	}
	r := form.Rows[F]{X: x, Labels: make([]int32, n), C: c}
	for i := range r.Labels {
		var l int32
		switch pattern {
		case LabMixed:
			switch k := rng.IntN(20); {
			case k == 0:
				l = -1
			case k < 3:
				l = int32(rng.IntN(c))
			default:
				l = int32(c)
			}
		case LabBackground:
			l = int32(c)
		case LabIgnored:
			l = -1 - int32(rng.IntN(3))
		case LabFirst:
			l = 0
		case LabLast:
			l = int32(c - 1)
		case LabAlternate:
			l = -1
			if i%2 == 1 {
				l = int32(rng.IntN(c))
			}
		case LabIgnoredEnd:
			l = int32(rng.IntN(c))
			if i >= n-3 {
				l = -1
			}
		}
		r.Labels[i] = l
	}
	switch wmode {
	case 1:
		r.Weight = make([]F, n)
	case 2:
		r.Weight = make([]F, n*c)
	}
	for i := range r.Weight {
		r.Weight[i] = F(rng.Float64() * 3)
		if rng.IntN(8) == 0 {
			r.Weight[i] = 0
		}
	}
	return r
}

// RowsParams draws the parameters: α (off, 0, 1 among them), γ in both of
// the rows kernels' modes (and 7, past the lanes' range), smoothing or not,
// class α (with classAlpha).
func RowsParams(rng *rand.Rand, c int, classAlpha bool) form.Params {
	p := form.Params{Alpha: []float64{0.25, -1, 0, 1, 0.6}[rng.IntN(5)], Gamma: []float64{2, 1.5, 0, 1, 5, 0.5, 7}[rng.IntN(7)]}
	p.Smoothing = []float64{0, 0, 0.1, 1e-8, 0.5}[rng.IntN(5)]
	if classAlpha {
		p.ClassAlpha = make([]float64, c)
		for i := range p.ClassAlpha {
			p.ClassAlpha[i] = []float64{0.25, 0, 1, rng.Float64()}[rng.IntN(4)]
		}
	}
	return p
}
