package kit

// The softmax form's cases: rows of logits with labels, weights and class
// α, their generator and shrinker, and their layout in memory (inside
// larger arrays filled with canaries, at an offset) for a kernel's runs.

import (
	"fmt"
	"math"
	"math/rand"
	"strings"

	"github.com/leanovate/gopter"

	"github.com/focalkernels/focal"
)

// SoftmaxCase is one generated input of the softmax form: N rows of C
// logits (float64 values exactly representable in the element type), one
// label per row (negative: ignored), row weights (nil, or one per row), the
// parameters, and the offset of the slices inside larger backing arrays.
type SoftmaxCase struct {
	X            []float64
	Labels       []int32
	C            int
	Weight       []float64
	Alpha, Gamma float64
	ClassAlpha   []float64
	Off          int
}

// N is the number of rows.
func (c SoftmaxCase) N() int { return len(c.Labels) }

// Row returns row n's logits.
func (c SoftmaxCase) Row(n int) []float64 { return c.X[n*c.C : (n+1)*c.C] }

// AlphaC is the α of a row of class l: ClassAlpha[l], or Alpha, or 1 if Alpha < 0.
func (c SoftmaxCase) AlphaC(l int) float64 {
	switch {
	case c.ClassAlpha != nil:
		return c.ClassAlpha[l]
	case c.Alpha < 0:
		return 1
	}
	return c.Alpha
}

// W is row n's weight (1 without weights).
func (c SoftmaxCase) W(n int) float64 {
	if c.Weight == nil {
		return 1
	}
	return c.Weight[n]
}

func (c SoftmaxCase) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "{α=%v γ=%v C=%d N=%d off=%d", c.Alpha, c.Gamma, c.C, c.N(), c.Off)
	if c.ClassAlpha != nil {
		fmt.Fprintf(&b, " class_alpha=%v", c.ClassAlpha)
	}
	for n := range c.N() {
		fmt.Fprintf(&b, " (label=%d", c.Labels[n])
		if c.Weight != nil {
			fmt.Fprintf(&b, " w=%v", c.Weight[n])
		}
		fmt.Fprintf(&b, " x=%v)", c.Row(n))
	}
	b.WriteString("}")
	return b.String()
}

func (c SoftmaxCase) clone() SoftmaxCase {
	c.X, c.Labels, c.Weight, c.ClassAlpha = cloneRows(c.X, c.Labels, c.Weight, c.ClassAlpha)
	return c
}

// cloneRows copies the slices of a case of rows (RowsCase, SoftmaxCase),
// so that a variant of the case can change them: empty ones stay nil.
func cloneRows(x []float64, labels []int32, w, classAlpha []float64) ([]float64, []int32, []float64, []float64) {
	return append([]float64(nil), x...), append([]int32(nil), labels...),
		append([]float64(nil), w...), append([]float64(nil), classAlpha...)
}

func (c SoftmaxCase) params() focal.Params {
	return focal.Params{Alpha: c.Alpha, Gamma: c.Gamma, ClassAlpha: c.ClassAlpha}
}

// rowStr names row n of c in a message.
func rowStr(c SoftmaxCase, n int) string {
	w := ""
	if c.Weight != nil {
		w = fmt.Sprintf(" w=%v", c.Weight[n])
	}
	return fmt.Sprintf("row %d of %d (C=%d label=%d%s α_c=%v γ=%v x=%v)", n, c.N(), c.C, c.Labels[n], w, c.AlphaC(max(int(c.Labels[n]), 0)), c.Gamma, c.Row(n))
}

// softmaxOpts narrows the generator for properties whose statement needs it.
type softmaxOpts struct {
	genOpts        // the logits' mixture (specials, NaN, maxAbs, bits)
	c         int  // if positive, every case has C = c
	noIgnored bool // no ignored rows
	noWeights bool
}

// softmaxCs are the class counts drawn: small ones, each remainder of a
// vector's lanes, VOC's 21, and COCO's 80 now and then.
var softmaxCs = []int{1, 2, 2, 3, 3, 4, 5, 7, 8, 9, 15, 16, 17, 21, 33, 80}

// row draws one row of c logits with label l: independent logits from the
// mixture, or a structured row (the label ahead by a margin, another class
// ahead, ties at the maximum, all logits near one value).
func (o softmaxOpts) row(r *rand.Rand, c, l int) []float64 {
	x := make([]float64, c)
	for j := range x {
		x[j] = o.logit(r)
	}
	if c < 2 || r.Intn(2) == 0 {
		return x
	}
	base := o.round(r.NormFloat64() * []float64{1, 4, 30}[r.Intn(3)])
	for j := range x {
		x[j] = o.round(base + float64(r.NormFloat64()*[]float64{1, 1e-3, 1e-6}[r.Intn(3)]))
	}
	margin := []float64{r.Float64() * 20, r.Float64() * 120, r.Float64() * 800, 1e4}[r.Intn(4)]
	switch r.Intn(4) {
	case 0: // right and confident
		x[l] = o.round(base + margin)
	case 1: // wrong and confident
		x[(l+1+r.Intn(c-1))%c] = o.round(base + margin)
	case 2: // ties at the maximum
		m := x[0]
		for _, v := range x {
			m = max(m, v)
		}
		for j := range x {
			if r.Intn(2) == 0 {
				x[j] = m
			}
		}
	}
	if o.maxAbs > 0 {
		for j, v := range x {
			if !(math.Abs(v) <= o.maxAbs) {
				x[j] = o.round(math.Mod(v, o.maxAbs))
			}
		}
	}
	return x
}

// gen returns the gopter generator of SoftmaxCases with o.
func (o softmaxOpts) gen() gopter.Gen {
	return func(p *gopter.GenParameters) *gopter.GenResult {
		r := p.Rng
		c := SoftmaxCase{C: o.c, Alpha: o.alpha(r), Gamma: o.gamma(r), Off: o.offset(r)}
		if c.C == 0 {
			c.C = softmaxCs[r.Intn(len(softmaxCs))]
		}
		n := []int{0, 1, 1, 2, 3, 4, 5, 8}[r.Intn(8)]
		if c.C <= 9 && r.Intn(4) == 0 {
			n = 9 + r.Intn(24)
		}
		for range n {
			l := r.Intn(c.C)
			if !o.noIgnored && r.Intn(10) == 0 {
				l = -1 - r.Intn(3)
			}
			c.Labels = append(c.Labels, int32(l))
			c.X = append(c.X, o.row(r, c.C, max(l, 0))...)
		}
		if !o.noWeights && r.Intn(2) == 0 {
			for range n {
				c.Weight = append(c.Weight, o.weight(r))
			}
		}
		if r.Intn(4) == 0 {
			c.ClassAlpha = make([]float64, c.C)
			for j := range c.ClassAlpha {
				c.ClassAlpha[j] = []float64{0, 1, 0.25, r.Float64()}[r.Intn(4)]
			}
		}
		if c.Alpha > 1 || c.Alpha != c.Alpha {
			c.Alpha = 1
		}
		return genResult(c, o.shrink)
	}
}

// weight draws a row weight: 1, 0, a fraction, a large or tiny one.
func (o softmaxOpts) weight(r *rand.Rand) float64 {
	switch r.Intn(8) {
	case 0:
		return 0
	case 1:
		return o.round(math.Exp(float64(r.NormFloat64() * 20)))
	case 2:
		return 1
	}
	return o.round(r.Float64() * 4)
}

// shrink proposes simpler cases: fewer rows (halves, then one row less), no
// offset, weights, ClassAlpha; simpler parameters; then simpler logits.
func (o softmaxOpts) shrink(v interface{}) gopter.Shrink {
	c := v.(SoftmaxCase)
	var cands []SoftmaxCase
	add := func(d SoftmaxCase) { cands = append(cands, d) }
	keep := func(rows []int) SoftmaxCase {
		d := c.clone()
		d.X, d.Labels = nil, nil
		var w []float64
		for _, n := range rows {
			d.X = append(d.X, c.Row(n)...)
			d.Labels = append(d.Labels, c.Labels[n])
			if c.Weight != nil {
				w = append(w, c.Weight[n])
			}
		}
		if c.Weight != nil {
			d.Weight = w
		}
		return d
	}
	n := c.N()
	if n > 1 {
		var a, b []int
		for i := range n {
			if i < n/2 {
				a = append(a, i)
			} else {
				b = append(b, i)
			}
		}
		add(keep(a))
		add(keep(b))
	}
	for i := range n {
		var rows []int
		for j := range n {
			if j != i {
				rows = append(rows, j)
			}
		}
		add(keep(rows))
	}
	if c.Off != 0 {
		add(edited(c, func(d *SoftmaxCase) { d.Off = 0 }))
	}
	if c.Weight != nil && !o.noWeights {
		d := c.clone()
		d.Weight = nil
		add(d)
	}
	if c.ClassAlpha != nil {
		d := c.clone()
		d.ClassAlpha = nil
		add(d)
	}
	shrinkParams(c, c.Alpha, c.Gamma, func(d *SoftmaxCase, a, g float64) { d.Alpha, d.Gamma = a, g }, add)
	for i, x := range c.X {
		for _, s := range o.simplerX(x) {
			d := c.clone()
			d.X[i] = s
			add(d)
		}
	}
	return shrinkOver(cands)
}

// softmaxLayout holds one case's inputs and outputs inside larger backing
// arrays filled with canaries.
type softmaxLayout[F focal.Float] struct {
	c            SoftmaxCase
	x, w         []F
	labels       []int32
	dst, loss, g []F
	bufs         [][]F
	labelBuf     []int32
}

func prepareSoftmax[F focal.Float](c SoftmaxCase) *softmaxLayout[F] {
	s := &softmaxLayout[F]{c: c}
	s.x, _ = buf[F](c.X, c.Off, true)
	if c.Weight != nil {
		s.w, _ = buf[F](c.Weight, c.Off, true)
	}
	s.labelBuf = make([]int32, c.Off+c.N()+5)
	for i := range s.labelBuf {
		s.labelBuf[i] = -7777
	}
	s.labels = s.labelBuf[c.Off : c.Off+c.N() : c.Off+c.N()]
	copy(s.labels, c.Labels)
	s.dst, s.loss, s.g = output(&s.bufs, c.N(), c.Off), output(&s.bufs, c.N(), c.Off), output(&s.bufs, len(c.X), c.Off)
	return s
}

func (s *softmaxLayout[F]) rows() focal.Rows[F] {
	return focal.Rows[F]{X: s.x, Labels: s.labels, C: s.c.C, Weight: s.w}
}

// guard reports a write outside the outputs, or to the inputs.
func (s *softmaxLayout[F]) guard(k string) string {
	c := s.c
	n := func(j int) int { // the gradient, output 2, has an element per logit
		if j == 2 {
			return len(c.X)
		}
		return c.N()
	}
	if m := wroteOutside(k, s.bufs, c.Off, n); m != "" {
		return m
	}
	for i := range s.x {
		if !same(float64(s.x[i]), float64(F(c.X[i]))) {
			return fmt.Sprintf("%s: changed logit %d", k, i)
		}
	}
	for i := range s.w {
		if !same(float64(s.w[i]), float64(F(c.Weight[i]))) {
			return fmt.Sprintf("%s: changed weight %d", k, i)
		}
	}
	for i, l := range s.labelBuf {
		inside := i >= c.Off && i < c.Off+c.N()
		if inside && l != c.Labels[i-c.Off] || !inside && l != -7777 {
			return fmt.Sprintf("%s: changed label %d", k, i-c.Off)
		}
	}
	return ""
}

// evalSoftmax runs k's SoftmaxLoss and SoftmaxLossGrad (with and without
// loss) on c and returns the losses of each, widened to float64, and the
// gradient, or a message when a kernel wrote where it must not or the two
// gradients differ.
func evalSoftmax[F focal.Float](k focal.SoftmaxKernel[F], c SoftmaxCase) (loss, lgLoss, grad []float64, msg string) {
	s := prepareSoftmax[F](c)
	p := c.params()
	k.SoftmaxLoss(s.dst, s.rows(), p)
	k.SoftmaxLossGrad(s.loss, s.g, s.rows(), p)
	if m := s.guard(k.Name()); m != "" {
		return nil, nil, nil, m
	}
	loss, lgLoss, grad = wide(s.dst), wide(s.loss), wide(s.g)
	s2 := prepareSoftmax[F](c)
	k.SoftmaxLossGrad(nil, s2.g, s2.rows(), p)
	if m := s2.guard(k.Name()); m != "" {
		return nil, nil, nil, m
	}
	for i, g := range wide(s2.g) {
		if !same(g, grad[i]) {
			return nil, nil, nil, fmt.Sprintf("%s: %s, class %d: SoftmaxLossGrad(nil, …) grad %v, with a loss %v",
				k.Name(), rowStr(c, i/c.C), i%c.C, g, grad[i])
		}
	}
	return loss, lgLoss, grad, ""
}

// softmaxSumOf runs k.SoftmaxSum on c's layout.
func softmaxSumOf[F focal.Float](k focal.SoftmaxKernel[F], c SoftmaxCase) (float64, int, string) {
	s := prepareSoftmax[F](c)
	sum, rows := k.SoftmaxSum(s.rows(), c.params())
	return sum, rows, s.guard(k.Name() + ": SoftmaxSum")
}
