package kit

// The rows form's layout in memory (inside larger arrays filled with
// canaries, at an offset) and the runs of a kernel on it that the rows
// properties share.

import (
	"fmt"
	"math"
	"math/rand"
	"slices"

	"github.com/focalkernels/focal"
)

// labelCanary fills the room around the labels.
const labelCanary = int32(-777777)

// rowsLayout holds one rows case's inputs and outputs inside larger backing
// arrays.
type rowsLayout[F focal.Float] struct {
	r                focal.Rows[F]
	dst, loss, grd   []F
	bufs             [][]F // backing arrays of the outputs
	labelBuf         []int32
	xBuf, wBuf       []F
	off, nLab, nElem int
}

func prepareRows[F focal.Float](c RowsCase) *rowsLayout[F] {
	s := &rowsLayout[F]{off: c.Off, nLab: c.N(), nElem: len(c.X)}
	s.r.C = c.C
	s.r.X, s.xBuf = buf[F](c.X, c.Off, true)
	if c.W != nil {
		s.r.Weight, s.wBuf = buf[F](c.W, c.Off, true)
	}
	s.labelBuf = make([]int32, c.Off+c.N()+9)
	for i := range s.labelBuf {
		s.labelBuf[i] = labelCanary
	}
	s.r.Labels = s.labelBuf[c.Off : c.Off+c.N() : c.Off+c.N()]
	copy(s.r.Labels, c.Labels)
	n := len(c.X)
	s.dst, s.loss, s.grd = output(&s.bufs, n, c.Off), output(&s.bufs, n, c.Off), output(&s.bufs, n, c.Off)
	return s
}

// guard reports a write outside the outputs, or to the inputs.
func (s *rowsLayout[F]) guard(k string, c RowsCase) string {
	if m := wroteOutside(k, s.bufs, s.off, everyOutput(s.nElem)); m != "" {
		return m
	}
	for i, v := range s.xBuf {
		want := float64(F(canary))
		if i >= s.off && i < s.off+s.nElem {
			want = float64(F(c.X[i-s.off]))
		}
		if !same(float64(v), want) {
			return fmt.Sprintf("%s: changed x's backing array at %d", k, i)
		}
	}
	for i, v := range s.wBuf {
		want := float64(F(canary))
		if i >= s.off && i < s.off+len(c.W) {
			want = float64(F(c.W[i-s.off]))
		}
		if !same(float64(v), want) {
			return fmt.Sprintf("%s: changed the weights' backing array at %d", k, i)
		}
	}
	for i, v := range s.labelBuf {
		want := labelCanary
		if i >= s.off && i < s.off+s.nLab {
			want = c.Labels[i-s.off]
		}
		if v != want {
			return fmt.Sprintf("%s: changed the labels' backing array at %d", k, i)
		}
	}
	return ""
}

// evalRows runs k's LossRows and LossGradRows (with and without loss) on c
// and returns LossRows's output, LossGradRows's loss and its gradient,
// widened to float64, or a message when a kernel wrote where it must not,
// LossGradRows's loss is not LossRows's bit for bit, or the two gradients
// differ.
func evalRows[F focal.Float](k focal.RowsKernel[F], c RowsCase) (loss, lgLoss, grad []float64, msg string) {
	s := prepareRows[F](c)
	p := c.params()
	k.LossRows(s.dst, s.r, p)
	k.LossGradRows(s.loss, s.grd, s.r, p)
	if m := s.guard(k.Name(), c); m != "" {
		return nil, nil, nil, m
	}
	loss, lgLoss, grad = wide(s.dst), wide(s.loss), wide(s.grd)
	s2 := prepareRows[F](c)
	k.LossGradRows(nil, s2.grd, s2.r, p)
	if m := s2.guard(k.Name(), c); m != "" {
		return nil, nil, nil, m
	}
	b := bitsOf[F]()
	for i, g := range wide(s2.grd) {
		if !same(g, grad[i]) {
			return nil, nil, nil, fmt.Sprintf("%s: %s: LossGradRows(nil, …) grad %v, LossGradRows(loss, …) grad %v", k.Name(), c.elemStr(i, b), g, grad[i])
		}
		if !same(loss[i], lgLoss[i]) {
			return nil, nil, nil, fmt.Sprintf("%s: %s: LossRows %v, LossGradRows's loss %v", k.Name(), c.elemStr(i, b), loss[i], lgLoss[i])
		}
	}
	return loss, lgLoss, grad, ""
}

// sumRowsOfTwo is sumRowsOf on two cases, for the properties that compare
// the sums of a case's parts: each sum and positive count, or the first
// message.
func sumRowsOfTwo[F focal.Float](k focal.RowsKernel[F], c1, c2 RowsCase) (s1 float64, p1 int, s2 float64, p2 int, msg string) {
	if s1, p1, msg = sumRowsOf(k, c1); msg != "" {
		return 0, 0, 0, 0, msg
	}
	s2, p2, msg = sumRowsOf(k, c2)
	return s1, p1, s2, p2, msg
}

// sumRowsOf runs k.SumRows on c at its offset and checks that it wrote
// nothing and changed no input.
func sumRowsOf[F focal.Float](k focal.RowsKernel[F], c RowsCase) (float64, int, string) {
	s := prepareRows[F](c)
	sum, pos := k.SumRows(s.r, c.params())
	return sum, pos, s.guard(k.Name()+": SumRows", c)
}

// RowsGuards runs k's rows form on N = 0..9 rows of C classes for C around
// the vector widths, at offsets 0 to 3 into larger arrays, with every kind of
// label, weights and special logits, and reports the first write outside an
// output, change to an input, LossGradRows whose loss is not LossRows's bit
// for bit or whose gradient changes when loss is nil, or SumRows that wrote.
func RowsGuards[F focal.Float](k focal.RowsKernel[F]) string {
	r := rand.New(rand.NewSource(8))
	o := rowsOpts{genOpts: genOpts{bits: bitsOf[F](), specials: true, nan: true}}
	for _, C := range []int{1, 2, 3, 7, 8, 9, 15, 16, 17, 33} {
		for n := 0; n <= 9; n++ {
			for off := 0; off < 4; off++ {
				c := RowsCase{X: make([]float64, n*C), Labels: make([]int32, n), C: C, Alpha: 0.25,
					Gamma: []float64{2, 1.5, 0, 1}[off], Off: off, Smoothing: []float64{0, 0.1}[(n+off)%2]}
				for i := range c.Labels {
					c.Labels[i] = rowLabel(r, C)
				}
				for i := range c.X {
					c.X[i] = o.logit(r)
				}
				c.W = o.weights(r, (n+C)%3, n, C)
				if _, _, _, msg := evalRows(k, c); msg != "" {
					return fmt.Sprintf("%s\ncase %v", msg, c)
				}
				if _, _, msg := sumRowsOf(k, c); msg != "" {
					return fmt.Sprintf("%s\ncase %v", msg, c)
				}
			}
		}
	}
	return ""
}

// flatOf runs k's flat Loss and LossGrad on each element of c alone, with
// the element's target and class α (rows form without weights), and returns
// the losses and gradients; ignored elements are NaN.
func flatOf[F focal.Float](k focal.Kernel[F], c RowsCase) (loss, grad []float64) {
	b := bitsOf[F]()
	loss, grad = make([]float64, len(c.X)), make([]float64, len(c.X))
	x, t, l, g := make([]F, 1), make([]F, 1), make([]F, 1), make([]F, 1)
	for i := range c.X {
		tv, a, _, ign := c.elem(i, b)
		if ign {
			loss[i], grad[i] = math.NaN(), math.NaN()
			continue
		}
		x[0], t[0] = F(c.X[i]), F(tv)
		p := focal.Params{Alpha: a, Gamma: c.Gamma}
		k.LossGrad(l, g, x, t, p)
		loss[i], grad[i] = float64(l[0]), float64(g[0])
	}
	return loss, grad
}

// weigh is v times w in the element type, 0 where w is 0: what the rows
// form makes of an element's flat result.
func weigh[F focal.Float](v, w float64) float64 {
	if w == 0 {
		return 0
	}
	return float64(F(v) * F(w))
}

// dropRows returns c without the rows where drop is true.
func (c RowsCase) dropRows(drop func(n int) bool) RowsCase {
	d := c
	d.X, d.Labels, d.W = nil, nil, nil
	if c.W != nil {
		d.W = []float64{}
	}
	for n := 0; n < c.N(); n++ {
		if drop(n) {
			continue
		}
		d.X = append(d.X, c.X[n*c.C:(n+1)*c.C]...)
		d.Labels = append(d.Labels, c.Labels[n])
		switch len(c.W) {
		case 0:
		case c.N():
			d.W = append(d.W, c.W[n])
		default:
			d.W = append(d.W, c.W[n*c.C:(n+1)*c.C]...)
		}
	}
	d.X = slices.Clip(append([]float64{}, d.X...))
	d.Split = min(d.Split, d.N())
	return d
}
