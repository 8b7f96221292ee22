package props

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/prop"

	"github.com/focalkernels/focal"
)

// defaultSeed makes go test (and make test) deterministic: the same cases on
// every run, so CI fails only when a kernel changes. FOCAL_PROPS_SEED=random
// (make props-long) draws a seed from the clock to explore.
const defaultSeed = 1

// settings reads FOCAL_PROPS_SEED and FOCAL_PROPS_N once per test binary,
// from inside a test so that go test's cache keys on them.
var settings = sync.OnceValues(func() (int64, int) {
	seed := int64(defaultSeed)
	if s := os.Getenv("FOCAL_PROPS_SEED"); s == "random" {
		seed = time.Now().UnixNano()
	} else if s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			panic("FOCAL_PROPS_SEED: " + err.Error())
		}
		seed = v
	}
	n := 1000
	if s := os.Getenv("FOCAL_PROPS_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			panic("FOCAL_PROPS_N: want a positive count, got " + s)
		}
		n = v
	}
	return seed, n
})

// property is one named statement about a kernel, checked on generated cases.
// A check returns "" when the case satisfies it (or the statement does not
// apply to it) and a message that names the element otherwise.
type property[F focal.Float] struct {
	name string
	opts genOpts
	// checked properties are about the checked API, which runs Best: they run once.
	checked bool
	check   func(k focal.Kernel[F], c Case) string
}

// runProps checks every property against every kernel of element type F, each
// as its own subtest with its own generator seeded from FOCAL_PROPS_SEED, so
// one subtest reruns alone with the same cases.
func runProps[F focal.Float](t *testing.T, props []property[F]) {
	seed, n := settings()
	t.Logf("FOCAL_PROPS_SEED=%d FOCAL_PROPS_N=%d", seed, n)
	for _, p := range props {
		t.Run(p.name, func(t *testing.T) {
			ks := focal.Kernels[F]()
			if p.checked {
				ks = []focal.Kernel[F]{checkedKernel[F]{}}
			}
			for _, k := range ks {
				t.Run(k.Name(), func(t *testing.T) {
					t.Parallel()
					checkProp(t, p.name+"/"+k.Name(), prop.ForAll(func(c Case) string { return p.check(k, c) }, p.opts.gen()))
				})
			}
		})
	}
}

func checkProp(t *testing.T, name string, pr gopter.Prop) {
	seedFlag, nFlag := settings()
	params := gopter.DefaultTestParametersWithSeed(seedFlag)
	params.MinSuccessfulTests = nFlag
	params.MaxShrinkCount = 2000
	res := pr.Check(params)
	if res.Passed() {
		return
	}
	var buf bytes.Buffer
	gopter.NewFormatedReporter(true, 1<<20, &buf).ReportTestResult(name, res)
	parts := strings.Split(t.Name(), "/")
	for i, s := range parts {
		parts[i] = "^" + s + "$"
	}
	t.Errorf("%s\nseed %d, %d cases; rerun with:\n\tFOCAL_PROPS_SEED=%d FOCAL_PROPS_N=%d go test ./props/ -run '%s' -v",
		buf.String(), seedFlag, nFlag, seedFlag, nFlag, strings.Join(parts, "/"))
}

// checkedKernel names the checked API's subtests; its methods are not used.
type checkedKernel[F focal.Float] struct{ focal.Kernel[F] }

func (checkedKernel[F]) Name() string { return "checked" }

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
	for _, out := range []*[]F{&s.dst, &s.loss, &s.grd} {
		var b []F
		*out, b = buf[F](c.X, c.Off, false)
		s.bufs = append(s.bufs, b)
	}
	return s
}

// guard reports a write outside the outputs, or to the inputs.
func (s *layout[F]) guard(k string, c Case) string {
	for j, b := range s.bufs {
		for i, v := range b {
			if (i < s.off || i >= s.off+s.n) && math.Float64bits(float64(v)) != math.Float64bits(canary) {
				return fmt.Sprintf("%s: wrote %v at index %d of output %d's backing array outside its slice [%d:%d]", k, v, i, j, s.off, s.off+s.n)
			}
		}
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
