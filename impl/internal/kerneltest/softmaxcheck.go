package kerneltest

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/focalkernels/focal/impl/internal/form"
	"github.com/focalkernels/focal/internal/bigref"
	goldsoftmax "github.com/focalkernels/focal/internal/golden/softmax"
	"github.com/focalkernels/focal/internal/ulp"
)

// The softmax form's accuracy harness, which every kernel family's tests
// run on their functions: the golden rows (mpmath) and random rows against
// the math/big reference (internal/bigref). The measure is the softmax
// bar's: the loss in ULP of the truth rounded to the element type
// (ulp.Dist32, ulp.Dist64; subnormals counted in their own spacing), each
// gradient component as ulp.RelErr against the truth rounded to the type,
// |g - ref| / (eps·max(|ref|, smallest normal)), eps = 2^-23 or 2^-52: a
// relative error, where a true value that is 0 or subnormal is held to eps
// times the smallest normal, which is the subnormals' own spacing. Where the
// 200-bit reference cannot tell which way the truth rounds
// (bigref.NearTie), one ULP more is allowed.

// SoftmaxFuncs are one family's softmax functions for element type F.
type SoftmaxFuncs[F Float] struct {
	Loss     func(dst []F, r form.Rows[F], p form.Params)
	Sum      func(r form.Rows[F], p form.Params) (float64, int)
	LossGrad func(loss, grad []F, r form.Rows[F], p form.Params)
}

// SoftmaxErrs are the largest errors seen: the loss in ULP and a gradient
// component in units of eps (see above), with where each was seen.
type SoftmaxErrs struct {
	Loss        uint64
	Grad        float64
	LossAt      string
	GradAt      string
	Rows, Elems int
	NaN         int // NaN or ±Inf results where the truth is finite
}

func (e SoftmaxErrs) String() string {
	return fmt.Sprintf("loss %d ULP (%s), gradient %.3g eps (%s); %d rows, %d elements, %d NaN/Inf where the truth is finite",
		e.Loss, e.LossAt, e.Grad, e.GradAt, e.Rows, e.Elems, e.NaN)
}

// add measures one row: its loss and gradient against the truth.
func (e *SoftmaxErrs) add(loss float64, grad []float64, is32 bool, lossTruth, gradTruth func(int) (float64, bool), at string) {
	e.Rows++
	eps, floor := ulp.Eps64, ulp.MinNormal64
	if is32 {
		eps, floor = ulp.Eps32, ulp.MinNormal32
	}
	bad := func(got, want float64) bool {
		return (got != got || math.IsInf(got, 0)) && want == want && !math.IsInf(want, 0)
	}
	want, tie := lossTruth(-1)
	d := ulp.Dist64(loss, want)
	if is32 {
		d = ulp.Dist32(float32(loss), float32(want))
	}
	if tie && d > 0 {
		d--
	}
	if bad(loss, want) {
		e.NaN++
	}
	if d > e.Loss || e.LossAt == "" {
		e.Loss, e.LossAt = max(d, e.Loss), at
	}
	for j, g := range grad {
		e.Elems++
		want, tie := gradTruth(j)
		if bad(g, want) {
			e.NaN++
		}
		r := ulp.RelErr(g, want, eps, floor)
		if tie && r > 0 {
			// one ULP either way: at most eps of the value
			r = max(0, ulp.RelErr(g, want, eps, floor)-1)
		}
		if r > e.Grad || e.GradAt == "" {
			e.Grad, e.GradAt = max(r, e.Grad), fmt.Sprintf("%s, class %d", at, j)
		}
	}
}

// SoftmaxGolden runs fs.LossGrad on every golden row, one call per row, and
// returns the largest errors against the truth; it also fails (returns a
// message) where Loss's loss differs from LossGrad's, or LossGrad with a
// nil loss gives another gradient.
func SoftmaxGolden[F Float](fs SoftmaxFuncs[F]) (SoftmaxErrs, string) {
	var e SoftmaxErrs
	for i, g := range goldsoftmax.Rows() {
		r := form.Rows[F]{C: g.C, Labels: []int32{int32(g.Label)}}
		for _, v := range g.X {
			r.X = append(r.X, F(v))
		}
		if g.Weight != 1 {
			r.Weight = []F{F(g.Weight)}
		}
		p := form.Params{Alpha: g.Alpha, Gamma: g.Gamma, ClassAlpha: g.ClassAlpha}
		loss, grad, msg := runRows(fs, r, p)
		if msg != "" {
			return e, fmt.Sprintf("golden row %d: %s", i, msg)
		}
		is32 := Is32[F]()
		lossTruth := func(int) (float64, bool) {
			if is32 {
				return float64(g.Loss32), false
			}
			return g.Loss64, false
		}
		gradTruth := func(j int) (float64, bool) {
			if is32 {
				return float64(g.Grad32[j]), false
			}
			return g.Grad64[j], false
		}
		e.add(loss[0], grad, is32, lossTruth, gradTruth, fmt.Sprintf("golden row %d", i))
	}
	return e, ""
}

// SoftmaxRandom runs fs on batches of random rows of every kind
// (SoftmaxKinds) and class count (SoftmaxCs; 1000 only without short), with
// weights, α, ClassAlpha and γ ≤ 5 drawn at random, and returns the largest
// errors against the math/big truth; a message where the functions disagree
// with one another (see SoftmaxGolden; and Sum with the losses).
func SoftmaxRandom[F Float](fs SoftmaxFuncs[F], seed uint64, short bool) (SoftmaxErrs, string) {
	rng := rand.New(rand.NewPCG(seed, 7))
	var e SoftmaxErrs
	for kind := range SoftmaxKinds {
		for _, c := range SoftmaxCs {
			n := 16
			switch {
			case c >= 1000 && short:
				continue
			case c >= 1000:
				n = 1
			case c >= 80:
				n = 3
			}
			r, p := SoftmaxBatch[F](rng, n, c, kind)
			loss, grad, msg := runRows(fs, r, p)
			if msg != "" {
				return e, fmt.Sprintf("%s rows, C = %d: %s", SoftmaxKinds[kind], c, msg)
			}
			for i := range n {
				x := make([]float64, c)
				for j := range x {
					x[j] = float64(r.X[i*c+j])
				}
				w := 1.0
				if r.Weight != nil {
					w = float64(r.Weight[i])
				}
				l := int(r.Labels[i])
				if l < 0 {
					continue
				}
				ref := bigref.Softmax(x, l, w, p.SoftmaxAlpha(l), p.Gamma)
				bits := 64
				if Is32[F]() {
					bits = 32
				}
				lossTruth := func(int) (float64, bool) {
					if bits == 32 {
						return float64(ref.Loss32()), !ref.NaN && bigref.NearTie(ref.Loss, 32)
					}
					return ref.Loss64(), !ref.NaN && bigref.NearTie(ref.Loss, 64)
				}
				gradTruth := func(j int) (float64, bool) {
					if ref.NaN {
						return math.NaN(), false
					}
					if bits == 32 {
						return float64(ref.Grad32(j)), bigref.NearTie(ref.Grad[j], 32)
					}
					return ref.Grad64(j), bigref.NearTie(ref.Grad[j], 64)
				}
				e.add(loss[i], grad[i*c:(i+1)*c], bits == 32, lossTruth, gradTruth,
					fmt.Sprintf("%s row, C = %d, γ = %v, seed %d", SoftmaxKinds[kind], c, p.Gamma, seed))
			}
		}
	}
	return e, ""
}

// SoftmaxBatch is n rows of kind and class count c, with an ignored row
// one time in eight, weights on half the batches (0 among them), α off, 0,
// 1, 0.25 or at random, ClassAlpha on a quarter, and γ from Gammas or
// uniform in [0, 5].
func SoftmaxBatch[F Float](rng *rand.Rand, n, c, kind int) (form.Rows[F], form.Params) {
	r := form.Rows[F]{C: c}
	for range n {
		x, l := SoftmaxRow[F](rng, c, kind)
		if rng.IntN(8) == 0 {
			l = -1 - rng.IntN(3)
		}
		r.X = append(r.X, x...)
		r.Labels = append(r.Labels, int32(l))
	}
	if rng.IntN(2) == 0 {
		for range n {
			w := F(rng.Float64() * 4)
			if rng.IntN(10) == 0 {
				w = 0
			}
			r.Weight = append(r.Weight, w)
		}
	}
	p := form.Params{Alpha: []float64{-1, 0.25, 0, 1, rng.Float64()}[rng.IntN(5)]}
	p.Gamma = append(Gammas, rng.Float64()*5)[rng.IntN(len(Gammas)+1)]
	if rng.IntN(4) == 0 {
		p.ClassAlpha = make([]float64, c)
		for j := range p.ClassAlpha {
			p.ClassAlpha[j] = rng.Float64()
		}
	}
	return r, p
}

// runRows calls the three functions on r and checks them against one
// another: LossGrad's loss is Loss's bit for bit, LossGrad(nil, …) writes
// the same gradient, ignored rows are 0, and Sum is the sum of the losses
// (within 2^-40 of their magnitudes: a kernel may sum unrounded losses) and
// counts the rows not ignored.
func runRows[F Float](fs SoftmaxFuncs[F], r form.Rows[F], p form.Params) (loss, grad []float64, msg string) {
	n, c := len(r.Labels), r.C
	l1, l2 := make([]F, n), make([]F, n)
	g1, g2 := make([]F, n*c), make([]F, n*c)
	fs.Loss(l1, r, p)
	fs.LossGrad(l2, g1, r, p)
	fs.LossGrad(nil, g2, r, p)
	sum, rows := fs.Sum(r, p)
	var want, abs float64
	wantRows := 0
	for i := range n {
		if !same(l1[i], l2[i]) {
			return nil, nil, fmt.Sprintf("row %d: Loss %v, LossGrad's loss %v", i, l1[i], l2[i])
		}
		if r.Labels[i] < 0 {
			if l1[i] != 0 {
				return nil, nil, fmt.Sprintf("row %d is ignored, its loss %v", i, l1[i])
			}
			for j := range c {
				if g1[i*c+j] != 0 {
					return nil, nil, fmt.Sprintf("row %d is ignored, its gradient %v", i, g1[i*c:(i+1)*c])
				}
			}
		} else {
			wantRows++
		}
		want += float64(l1[i])
		abs += math.Abs(float64(l1[i]))
		loss = append(loss, float64(l1[i]))
	}
	for j := range g1 {
		if !same(g1[j], g2[j]) {
			return nil, nil, fmt.Sprintf("element %d: LossGrad's gradient %v, with a nil loss %v", j, g1[j], g2[j])
		}
		grad = append(grad, float64(g1[j]))
	}
	// Loss rounds each row to F (a subnormal to its spacing); Sum need not
	eps, sub := 0x1p-40, 0x1p-1074
	if Is32[F]() {
		eps, sub = 0x1p-21, 0x1p-149
	}
	if rows != wantRows || !(math.Abs(sum-want) <= float64(eps*abs)+float64(float64(n)*sub) || same(sum, want)) {
		return nil, nil, fmt.Sprintf("Sum = %v over %d rows, the losses sum to %v over %d", sum, rows, want, wantRows)
	}
	return loss, grad, ""
}

// same is bit equality, NaN equal to NaN.
func same[F Float](a, b F) bool {
	return a == b && math.Signbit(float64(a)) == math.Signbit(float64(b)) || (a != a && b != b)
}
