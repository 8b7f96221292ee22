package kit

// The layout of a case in memory (inside larger arrays filled with canaries,
// at an offset), and the runs of a kernel on it that every property shares.

import (
	"fmt"
	"math"
	"math/rand"

	"github.com/focalkernels/focal"
)

// canary fills the parts of backing arrays that a kernel must not write.
const canary = -1234.5

// layout holds one case's inputs and outputs inside larger backing arrays.
type layout[F focal.Float] struct {
	off, n               int
	x, t, dst, loss, grd []F
	bufs                 [][]F // backing arrays of the outputs
}

func buf[F focal.Float](vals []float64, off int, fill bool) (s, b []F) {
	b = make([]F, off+len(vals)+9)
	for i := range b {
		b[i] = canary
	}
	s = b[off : off+len(vals) : off+len(vals)]
	if fill {
		for i, v := range vals {
			s[i] = F(v)
		}
	}
	return s, b
}

// prepare lays out c's X and T at offset c.Off, and outputs likewise, with
// canaries around every output.
func prepare[F focal.Float](c Case) *layout[F] {
	s := &layout[F]{off: c.Off, n: len(c.X)}
	s.x, _ = buf[F](c.X, c.Off, true)
	s.t, _ = buf[F](c.T, c.Off, true)
	n := len(c.X)
	s.dst, s.loss, s.grd = output(&s.bufs, n, c.Off), output(&s.bufs, n, c.Off), output(&s.bufs, n, c.Off)
	return s
}

// output lays out an output of n elements at offset off with canaries
// around it, and keeps its backing array in *bufs for wroteOutside.
func output[F focal.Float](bufs *[][]F, n, off int) []F {
	s, b := buf[F](make([]float64, n), off, false)
	*bufs = append(*bufs, b)
	return s
}

// wroteOutside reports a write to an output's backing array (bufs, as
// output keeps them) outside its slice: output j's is [off:off+n(j)].
func wroteOutside[F focal.Float](k string, bufs [][]F, off int, n func(j int) int) string {
	for j, b := range bufs {
		n := n(j)
		for i, v := range b {
			if (i < off || i >= off+n) && math.Float64bits(float64(v)) != math.Float64bits(canary) {
				return fmt.Sprintf("%s: wrote %v at index %d of output %d's backing array outside its slice [%d:%d]", k, v, i, j, off, off+n)
			}
		}
	}
	return ""
}

// everyOutput is n for every output.
func everyOutput(n int) func(int) int { return func(int) int { return n } }

// guard reports a write outside the outputs, or to the inputs.
func (s *layout[F]) guard(k string, c Case) string {
	if m := wroteOutside(k, s.bufs, s.off, everyOutput(s.n)); m != "" {
		return m
	}
	for i := range s.x {
		if !same(float64(s.x[i]), float64(F(c.X[i]))) || !same(float64(s.t[i]), float64(F(c.T[i]))) {
			return fmt.Sprintf("%s: changed its input at %d", k, i)
		}
	}
	return ""
}

// same reports bitwise equality, so NaN equals NaN and -0 differs from +0.
func same(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

func params(c Case) focal.Params { return focal.Params{Alpha: c.Alpha, Gamma: c.Gamma} }

func wide[F focal.Float](s []F) []float64 {
	out := make([]float64, len(s))
	for i, v := range s {
		out[i] = float64(v)
	}
	return out
}

// evalTwo runs one form's eval on two kernel and case pairs, for a
// property that compares them (a kernel with stable, a case with a variant
// of it): the first's loss, LossGrad's loss and gradient, the second's loss
// and gradient, or the first message.
func evalTwo[K, C any](eval func(K, C) (loss, lgLoss, grad []float64, msg string), k K, c C, k2 K, c2 C) (loss, lgLoss, grad, loss2, grad2 []float64, msg string) {
	if loss, lgLoss, grad, msg = eval(k, c); msg != "" {
		return nil, nil, nil, nil, nil, msg
	}
	loss2, _, grad2, msg = eval(k2, c2)
	return loss, lgLoss, grad, loss2, grad2, msg
}

// lossGradSame evaluates k on c and holds the loss that its LossGrad wrote
// to its Loss's, bit for bit, in the flat form and the softmax form (whose
// two functions are named lossFn and lossGradFn); at names element or row
// i of c.
func lossGradSame[K interface{ Name() string }, C any](eval func(K, C) (loss, lgLoss, grad []float64, msg string), k K, c C, at func(C, int) string, lossFn, lossGradFn string) string {
	loss, lgLoss, _, msg := eval(k, c)
	if msg != "" {
		return msg
	}
	for i := range loss {
		if !same(loss[i], lgLoss[i]) {
			return fmt.Sprintf("%s: %s: %s %v, %s's loss %v", k.Name(), at(c, i), lossFn, loss[i], lossGradFn, lgLoss[i])
		}
	}
	return ""
}

// eval runs k's Loss and LossGrad (with and without loss) on c and returns
// Loss's output, LossGrad's loss and its gradient, widened to float64, or a
// message when a kernel wrote where it must not or the two gradients differ.
func eval[F focal.Float](k focal.Kernel[F], c Case) (loss, lgLoss, grad []float64, msg string) {
	s := prepare[F](c)
	p := params(c)
	k.Loss(s.dst, s.x, s.t, p)
	k.LossGrad(s.loss, s.grd, s.x, s.t, p)
	if m := s.guard(k.Name(), c); m != "" {
		return nil, nil, nil, m
	}
	loss, lgLoss, grad = wide(s.dst), wide(s.loss), wide(s.grd)
	// LossGrad with a nil loss must give the same gradient.
	s2 := prepare[F](c)
	k.LossGrad(nil, s2.grd, s2.x, s2.t, p)
	if m := s2.guard(k.Name(), c); m != "" {
		return nil, nil, nil, m
	}
	for i, g := range wide(s2.grd) {
		if !same(g, grad[i]) {
			return nil, nil, nil, fmt.Sprintf("%s: element %d (x=%v t=%v): LossGrad(nil, …) grad %v, LossGrad(loss, …) grad %v",
				k.Name(), i, c.X[i], c.T[i], g, grad[i])
		}
	}
	return loss, lgLoss, grad, ""
}

// sumOf runs k.Sum on x and t at c's offset.
func sumOf[F focal.Float](k focal.Kernel[F], c Case) float64 {
	s := prepare[F](c)
	return k.Sum(s.x, s.t, params(c))
}

func bitsOf[F focal.Float]() int {
	if float64(F(1)+F(0x1p-30)) == 1 {
		return 32
	}
	return 64
}

func elemStr(c Case, i int) string {
	return fmt.Sprintf("element %d of %d (x=%v t=%v α=%v γ=%v)", i, len(c.X), c.X[i], c.T[i], c.Alpha, c.Gamma)
}

// Guards runs k on every length from 0 to 70 at offsets 0 to 3 into larger
// arrays, with hard, soft and special inputs, and reports the first write
// outside an output, change to an input (by Loss, LossGrad or Sum), or
// LossGrad whose loss is not Loss's bit for bit or whose gradient changes
// when loss is nil.
func Guards[F focal.Float](k focal.Kernel[F]) string {
	r := rand.New(rand.NewSource(7)) // math/rand, as gopter's generators
	o := genOpts{bits: bitsOf[F](), specials: true, nan: true}
	for n := 0; n <= 70; n++ {
		for off := 0; off < 4; off++ {
			c := Case{X: make([]float64, n), T: make([]float64, n), Alpha: 0.25, Gamma: []float64{2, 1.5, 0, 1}[off], Off: off}
			for i := range c.X {
				c.X[i] = o.logit(r)
				c.T[i] = o.target(r, 2)
			}
			if msg := lossGradExact(k, c, focal.Bar{}); msg != "" {
				return fmt.Sprintf("%s\ncase %v", msg, c)
			}
			s := prepare[F](c)
			k.Sum(s.x, s.t, params(c))
			if msg := s.guard(k.Name()+": Sum", c); msg != "" {
				return fmt.Sprintf("%s\ncase %v", msg, c)
			}
		}
	}
	return ""
}
