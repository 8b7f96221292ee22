package kit

// The rows form's cases: a detector head of N rows of C logits with a label
// per row, weights, class α and smoothing; their generator and shrinker.

import (
	"fmt"
	"math"
	"math/rand"
	"strings"

	"github.com/leanovate/gopter"

	"github.com/focalkernels/focal"
)

// RowsCase is one generated input of the rows form: X (N·C logits, float64
// values exact in the element type), Labels (N: a class, C for background,
// negative to ignore), W (nil, N or N·C weights), the parameters, the offset
// of the slices inside larger backing arrays, and a row split for the
// concatenation property.
type RowsCase struct {
	X          []float64
	Labels     []int32
	C          int
	W          []float64
	Alpha      float64
	Gamma      float64
	ClassAlpha []float64
	Smoothing  float64
	Off        int
	Split      int // in [0, N]
}

// N returns the number of rows.
func (c RowsCase) N() int { return len(c.Labels) }

func (c RowsCase) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "{N=%d C=%d α=%v γ=%v ε=%v off=%d split=%d", c.N(), c.C, c.Alpha, c.Gamma, c.Smoothing, c.Off, c.Split)
	if c.ClassAlpha != nil {
		fmt.Fprintf(&b, " class_alpha=%v", c.ClassAlpha)
	}
	switch len(c.W) {
	case 0:
	case c.N():
		fmt.Fprintf(&b, " row weights=%v", c.W)
	default:
		b.WriteString(" element weights")
	}
	for n, l := range c.Labels {
		fmt.Fprintf(&b, "\n  row %d label %d x=%v", n, l, c.X[n*c.C:(n+1)*c.C])
		if len(c.W) == len(c.X) && len(c.W) != c.N() {
			fmt.Fprintf(&b, " w=%v", c.W[n*c.C:(n+1)*c.C])
		}
	}
	b.WriteString("}")
	return b.String()
}

func (c RowsCase) clone() RowsCase {
	c.X, c.Labels, c.W, c.ClassAlpha = cloneRows(c.X, c.Labels, c.W, c.ClassAlpha)
	return c
}

func (c RowsCase) params() focal.Params {
	return focal.Params{Alpha: c.Alpha, Gamma: c.Gamma, ClassAlpha: c.ClassAlpha, Smoothing: c.Smoothing}
}

// alphaOf returns class cl's α.
func (c RowsCase) alphaOf(cl int) float64 {
	if c.ClassAlpha != nil {
		return c.ClassAlpha[cl]
	}
	return c.Alpha
}

// targets returns the targets of a positive and a negative element in the
// element type (bits), as the rows form defines them.
func (c RowsCase) targets(bits int) (pos, neg float64) {
	if c.Smoothing == 0 {
		return 1, 0
	}
	if bits == 32 {
		return float64(float32(1 - float64(c.Smoothing/2))), float64(float32(c.Smoothing / 2))
	}
	return 1 - float64(c.Smoothing/2), c.Smoothing / 2
}

// target returns element i's target, α and weight; ignored reports an
// ignored row (whose element has no target).
func (c RowsCase) elem(i, bits int) (t, alpha, w float64, ignored bool) {
	n, cl := i/c.C, i%c.C
	l := c.Labels[n]
	if l < 0 {
		return 0, 0, 0, true
	}
	pos, neg := c.targets(bits)
	t = neg
	if int(l) == cl {
		t = pos
	}
	w = 1
	switch len(c.W) {
	case 0:
	case c.N():
		w = c.W[n]
	default:
		w = c.W[i]
	}
	return t, c.alphaOf(cl), w, false
}

func (c RowsCase) elemStr(i, bits int) string {
	t, a, w, ign := c.elem(i, bits)
	if ign {
		return fmt.Sprintf("element %d (row %d, class %d; ignored, x=%v)", i, i/c.C, i%c.C, c.X[i])
	}
	return fmt.Sprintf("element %d (row %d label %d, class %d: x=%v t=%v α=%v γ=%v w=%v)", i, i/c.C, c.Labels[i/c.C], i%c.C, c.X[i], t, a, c.Gamma, w)
}

// rowsOpts narrows the rows generator for a property.
type rowsOpts struct {
	genOpts
	noSmoothing bool // Smoothing is always 0
	smoothing   bool // Smoothing is never 0
	noWeights   bool // W is always nil
	constAlpha  bool // ClassAlpha is nil (the property sets it)
}

// label draws one row's label: background, a class, or ignored.
func rowLabel(r *rand.Rand, c int) int32 {
	switch k := r.Intn(20); {
	case k < 8:
		return int32(c)
	case k < 15:
		return int32(r.Intn(c))
	case k < 17:
		return -1
	case k < 18:
		return []int32{-2, -100, math.MinInt32}[r.Intn(3)]
	}
	return 0
}

// weights draws the weights of n rows of C classes for mode: none (0), one
// per row (1) or one per element (2).
func (o rowsOpts) weights(r *rand.Rand, mode, n, C int) []float64 {
	var w []float64
	switch mode {
	case 1:
		w = make([]float64, n)
	case 2:
		w = make([]float64, n*C)
	}
	for i := range w {
		w[i] = o.weight(r)
	}
	return w
}

// weight draws one weight: 0, 1, a value in [0, 4), or a small or large one.
func (o rowsOpts) weight(r *rand.Rand) float64 {
	switch k := r.Intn(20); {
	case k < 2:
		return 0
	case k < 6:
		return 1
	case k < 7:
		return o.round([]float64{1e-30, 0x1p-140, 1e-3, 2, 0.5}[r.Intn(5)])
	case k < 8:
		return o.round([]float64{1e3, 1e10, 3e37}[r.Intn(3)])
	}
	return o.round(4 * r.Float64())
}

func (o rowsOpts) smoothingOf(r *rand.Rand) float64 {
	if o.noSmoothing || (!o.smoothing && r.Intn(2) == 0) {
		return 0
	}
	return []float64{0.1, 0.2, 0.01, 1e-3, 0.5, 0.9, 1e-8, r.Float64() * 0.999}[r.Intn(8)]
}

func (o rowsOpts) classes(r *rand.Rand) int {
	switch r.Intn(4) {
	case 0:
		return 1 + r.Intn(3)
	case 1:
		return []int{7, 8, 9, 15, 16, 17, 31, 33}[r.Intn(8)]
	}
	return 1 + r.Intn(20)
}

// gen returns the gopter generator of RowsCases.
func (o rowsOpts) gen() gopter.Gen {
	return func(p *gopter.GenParameters) *gopter.GenResult {
		r := p.Rng
		C := o.classes(r)
		n := r.Intn(9)
		if r.Intn(8) == 0 {
			n = 9 + r.Intn(24)
		}
		n = min(n, max(1, 320/C))
		c := RowsCase{X: make([]float64, n*C), Labels: make([]int32, n), C: C, Alpha: o.alpha(r), Gamma: o.gamma(r), Off: o.offset(r)}
		c.Smoothing = o.smoothingOf(r)
		c.Split = r.Intn(n + 1)
		for i := range c.Labels {
			c.Labels[i] = rowLabel(r, C)
		}
		logit := o.logits(r, 6)
		for i := range c.X {
			c.X[i] = logit()
		}
		if !o.noWeights {
			c.W = o.weights(r, r.Intn(3), n, C)
		}
		if !o.constAlpha && r.Intn(2) == 0 {
			c.ClassAlpha = make([]float64, C)
			for i := range c.ClassAlpha {
				c.ClassAlpha[i] = []float64{0, 1, 0.25, 0.75, r.Float64(), r.Float64()}[r.Intn(6)]
			}
		}
		return genResult(c, o.shrink)
	}
}

// shrink proposes simpler cases: fewer rows (halves, then one less), fewer
// classes (the last dropped), no weights, offset, split, class α or
// smoothing, simpler parameters, labels and logits.
func (o rowsOpts) shrink(v interface{}) gopter.Shrink {
	c := v.(RowsCase)
	var cands []RowsCase
	add := func(d RowsCase) {
		d.Split = min(d.Split, d.N())
		cands = append(cands, d)
	}
	n := c.N()
	keepRows := func(lo, hi int) RowsCase {
		d := c.clone()
		d.X, d.Labels = d.X[lo*c.C:hi*c.C], d.Labels[lo:hi]
		switch len(c.W) {
		case 0:
		case n:
			d.W = d.W[lo:hi]
		default:
			d.W = d.W[lo*c.C : hi*c.C]
		}
		return d
	}
	if n > 1 {
		add(keepRows(0, n/2))
		add(keepRows(n/2, n))
	}
	for i := 0; i < n; i++ {
		a, b := keepRows(0, i), keepRows(i+1, n)
		d := a.clone()
		d.X = append(d.X, b.X...)
		d.Labels = append(d.Labels, b.Labels...)
		if d.W != nil {
			d.W = append(d.W, b.W...)
		}
		add(d)
	}
	if c.C > 1 && (len(c.W) == 0 || len(c.W) == n) && n != 0 {
		// drop the last class: a label C-1 becomes background
		d := c.clone()
		d.C = c.C - 1
		d.X = d.X[:0]
		for r := 0; r < n; r++ {
			d.X = append(d.X, c.X[r*c.C:(r+1)*c.C-1]...)
			if d.Labels[r] == int32(c.C) || d.Labels[r] == int32(c.C-1) {
				d.Labels[r] = int32(d.C)
			}
		}
		if d.ClassAlpha != nil {
			d.ClassAlpha = d.ClassAlpha[:d.C]
		}
		add(d)
	}
	if c.W != nil {
		add(edited(c, func(d *RowsCase) { d.W = nil }))
	}
	if c.ClassAlpha != nil && !o.constAlpha {
		add(edited(c, func(d *RowsCase) { d.ClassAlpha = nil }))
	}
	if c.Smoothing != 0 && !o.smoothing {
		add(edited(c, func(d *RowsCase) { d.Smoothing = 0 }))
	}
	if c.Off != 0 {
		add(edited(c, func(d *RowsCase) { d.Off = 0 }))
	}
	if c.Split != 0 {
		add(edited(c, func(d *RowsCase) { d.Split = 0 }))
	}
	shrinkParams(c, c.Alpha, c.Gamma, func(d *RowsCase, a, g float64) { d.Alpha, d.Gamma = a, g }, add)
	for r := 0; r < n; r++ {
		for _, l := range []int32{int32(c.C), 0, -1} {
			if c.Labels[r] != l && !(l < 0 && c.Labels[r] < 0) {
				d := c.clone()
				d.Labels[r] = l
				add(d)
			}
		}
	}
	for i := range c.X {
		for _, x := range o.simplerX(c.X[i]) {
			d := c.clone()
			d.X[i] = x
			add(d)
		}
	}
	for i := range c.W {
		if c.W[i] != 1 {
			d := c.clone()
			d.W[i] = 1
			add(d)
		}
	}
	return shrinkOver(cands)
}
