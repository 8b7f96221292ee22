package kit

// Golden rows: detector heads whose every element's loss and gradient are
// computed by a 200-bit math/big reference (internal/bigref.Ref64), against
// which a kernel's rows form is held to its bar.

import (
	"fmt"
	"math"
	"math/rand"
	"sync"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/internal/bigref"
)

// goldenRowsCases are the golden heads: RetinaNet's (C = 80, α = 0.25,
// γ = 2) with background, ignored and positive rows; the same with per-row
// weights, class α and γ = 1.5; per-element weights with smoothing; one
// class with smoothing, weighting off and γ = 0; 17 classes with α of 0 and
// 1 among them, γ = 5 and small smoothing. The logits are float32 values
// from N(0, 4²), with large, tiny and boundary ones mixed in.
func goldenRowsCases() []RowsCase {
	r := rand.New(rand.NewSource(17))
	logits := func(n int) []float64 {
		xs := make([]float64, n)
		special := []float64{0, -0.5, 17, -17, 88.7, -88.7, 103.9, -104, 1e3, -1e3, 1e-30, -2.5e-40, 3e38, -3e38}
		for i := range xs {
			if r.Intn(8) == 0 {
				xs[i] = special[r.Intn(len(special))]
			} else {
				xs[i] = r.NormFloat64() * 4
			}
			xs[i] = float64(float32(xs[i]))
		}
		return xs
	}
	weights := func(n int) []float64 {
		ws := make([]float64, n)
		for i := range ws {
			ws[i] = []float64{0, 1, 0.5, 2, 1e-3, float64(float32(r.Float64() * 3))}[r.Intn(6)]
		}
		return ws
	}
	ramp := func(c int) []float64 {
		a := make([]float64, c)
		for i := range a {
			a[i] = float64(i) / float64(c-1)
		}
		return a
	}
	cases := []RowsCase{
		{Labels: []int32{3, 80, -1, 79, 0, 80}, C: 80, Alpha: 0.25, Gamma: 2},
		{Labels: []int32{80, 41, 80, -1, 7, 80}, C: 80, Alpha: 0.25, Gamma: 1.5, ClassAlpha: ramp(80)},
		{Labels: []int32{0, 3, 2, -5, 1}, C: 3, Alpha: 0.25, Gamma: 2, Smoothing: 0.1},
		{Labels: []int32{0, 1, 1, 0, -1, 0, 1}, C: 1, Alpha: -1, Gamma: 0, Smoothing: 0.2},
		{Labels: []int32{16, 17, 0}, C: 17, Alpha: 0.5, Gamma: 5, Smoothing: 0.01,
			ClassAlpha: []float64{0, 1, 0.25, 0.75, 0.1, 0.9, 0.5, 0.3, 0.7, 0, 1, 0.2, 0.8, 0.4, 0.6, 0.05, 0.95}},
	}
	for i := range cases {
		c := &cases[i]
		c.X = logits(c.N() * c.C)
	}
	cases[1].W = weights(cases[1].N())
	cases[2].W = weights(len(cases[2].X))
	return cases
}

// goldenRowsTruth is each golden case's reference per element for one
// element type (the smoothed targets are rounded to it): loss, gradient and
// the gradient's scale, unweighted.
type goldenRowsTruth struct{ loss, grad, scale [][]float64 }

var (
	goldenRowsOnce [2]sync.Once
	goldenRowsVals [2]goldenRowsTruth
)

func goldenRows(bits int) ([]RowsCase, goldenRowsTruth) {
	cases := goldenRowsCases()
	j := 0
	if bits == 64 {
		j = 1
	}
	goldenRowsOnce[j].Do(func() {
		var g goldenRowsTruth
		for _, c := range cases {
			l, gr, s := make([]float64, len(c.X)), make([]float64, len(c.X)), make([]float64, len(c.X))
			for i, x := range c.X {
				t, a, _, ign := c.elem(i, bits)
				if !ign {
					l[i], gr[i], s[i] = bigref.Ref64(x, t, a, c.Gamma)
				}
			}
			g.loss, g.grad, g.scale = append(g.loss, l), append(g.grad, gr), append(g.scale, s)
		}
		goldenRowsVals[j] = g
	})
	return cases, goldenRowsVals[j]
}

// RowsGolden runs k's rows form on the golden heads and returns a message
// for each element in bar's range where k misses bar against the 200-bit
// reference times the element's weight (see closeLossW and closeGradW), or
// is not 0 in an ignored row. A relative bar (naive's) is not held where a
// soft target is within 0.01 of σ(x).
func RowsGolden[F focal.Float](k focal.RowsKernel[F], bar focal.Bar) []string {
	b := bitsOf[F]()
	cases, truth := goldenRows(b)
	tl := truthTol(bar)
	var fails []string
	for j, c := range cases {
		loss, _, grad, msg := evalRows(k, c)
		if msg != "" {
			return append(fails, msg)
		}
		for i, x := range c.X {
			t, _, w, ign := c.elem(i, b)
			where := fmt.Sprintf("golden head %d, %s", j, c.elemStr(i, b))
			if ign {
				if m := ignoredZero(k.Name(), c, i, b, loss[i], grad[i]); m != "" {
					fails = append(fails, where+": "+m)
				}
				continue
			}
			if !bar.InRange(x, c.Gamma) {
				continue
			}
			rl, rg, rs := truth.loss[j][i], truth.grad[j][i], truth.scale[j][i]
			if !closeLossW(loss[i], rl, w, b, tl) {
				fails = append(fails, fmt.Sprintf("%s: loss %v, truth %v·w = %v (%s unweighted)", where, loss[i], rl, rl*w, lossDist(loss[i]/w, rl, b)))
			}
			if tl.relative() && t != 0 && t != 1 && math.Abs(sigma(x)-t) < 0.01 {
				continue
			}
			if !closeGradW(grad[i], rg, rs, w, b, tl) {
				fails = append(fails, fmt.Sprintf("%s: grad %v, truth %v·w = %v: error %.3g·scale·eps (scale %.6g)", where, grad[i], rg, rg*w,
					gradErr(grad[i]/w, rg, rs, b), rs))
			}
		}
	}
	return fails
}
