// Package focaltest is a conformance kit for implementations of the sigmoid
// focal loss: it holds any focal.Kernel — one of this module's, or a cgo or
// GPU op, a hand-written loop, a port of a PyTorch snippet from another
// project — to the properties of the math, to the golden vectors (exact
// values computed with mpmath) and, by differential fuzzing, to this module's
// stable kernel.
//
// In a test of your own package:
//
//	func TestMyFocal(t *testing.T) {
//		focaltest.Check[float32](t, myKernel{})
//	}
//
//	func FuzzMyFocal(f *testing.F) {
//		focaltest.Fuzz[float32](f, myKernel{})
//	}
//
// Check runs each property as a subtest (TestMyFocal/agree-stable, …), the
// golden vectors (TestMyFocal/golden) and the guards (TestMyFocal/guards:
// nothing written outside the outputs, inputs unchanged, LossGrad's loss
// equal to Loss's); a kernel that also implements focal.SoftmaxKernel gets
// the softmax form's checks too (TestMyFocal/softmax/…, see CheckSoftmax). A failing property is shrunk to a small case and reported
// with the element, its inputs, the expected and the got values, and the
// command that reruns it.
//
// A kernel that also implements focal.RowsKernel (the sigmoid rows form:
// labels, background, ignored rows, weights, class α, smoothing) is held to
// the rows form's properties too, by Check as the subtest rows, or alone by
// CheckRows; FuzzRows fuzzes it against this module's stable kernel.
//
// By default a kernel is held to the bar of this module's assembly kernels:
// the loss within 4 ULP of the truth and the gradient within 8·eps·scale (see
// focal.Bar). Options set another bar, a declared valid range, the number of
// cases and the seed. The environment variables FOCALTEST_SEED (a number or
// "random"), FOCALTEST_N (cases per property) and FOCALTEST_WIDE_GAMMA=1 (also
// draw γ up to 1e12) override the options, so that the printed command
// reruns a failure whatever the test's code says.
package focaltest

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/internal/kit"
)

// DefaultBar is the bar a kernel is held to unless an option sets another:
// the one this module's assembly kernels declare.
var DefaultBar = focal.Bar{LossULP: 4, Grad: 8}

// An Option configures Check and Fuzz.
type Option func(*config) error

type config struct {
	kit.Config
	softmax *focal.Bar // the softmax form's bar, if an option set one
}

// Tolerance holds the loss to lossULP units in the last place of the truth
// and the gradient to grad·eps·scale (see focal.Bar).
func Tolerance(lossULP uint64, grad float64) Option {
	return func(c *config) error {
		if !(grad >= 0) || math.IsInf(grad, 1) {
			return fmt.Errorf("Tolerance(%d, %v): the gradient bound must be finite and ≥ 0", lossULP, grad)
		}
		c.Bar.LossULP, c.Bar.Grad, c.Bar.Rel = lossULP, grad, 0
		return nil
	}
}

// Relative holds the loss, and the gradient against its scale, to a relative
// error rel instead of ULP (for kernels like the textbook formula, accurate
// only to a few digits; see focal.Bar.Rel).
func Relative(rel float64) Option {
	return func(c *config) error {
		if !(rel > 0) || math.IsInf(rel, 1) {
			return fmt.Errorf("Relative(%v): want a finite relative error > 0", rel)
		}
		c.Bar.Rel = rel
		return nil
	}
}

// ValidRange declares where the kernel is valid: |x| ≤ maxAbsX and
// γ ≤ maxGamma. Elements outside are not checked. Zero leaves that bound off.
func ValidRange(maxAbsX, maxGamma float64) Option {
	return func(c *config) error {
		if !(maxAbsX >= 0) || !(maxGamma >= 0) {
			return fmt.Errorf("ValidRange(%v, %v): want bounds ≥ 0 (0: no bound)", maxAbsX, maxGamma)
		}
		c.Bar.MaxAbsX, c.Bar.MaxGamma = maxAbsX, maxGamma
		return nil
	}
}

// WithBar holds the kernel to b, as a kernel of this module declares it
// (focal.BarOf).
func WithBar(b focal.Bar) Option {
	return func(c *config) error {
		if !b.Declared() {
			return fmt.Errorf("WithBar(%+v): the zero Bar declares nothing", b)
		}
		for _, o := range []Option{Tolerance(b.LossULP, b.Grad), ValidRange(b.MaxAbsX, b.MaxGamma)} {
			if err := o(c); err != nil {
				return fmt.Errorf("WithBar: %v", err)
			}
		}
		c.Bar.MinClasses = b.MinClasses
		if b.Rel != 0 {
			return Relative(b.Rel)(c)
		}
		return nil
	}
}

// Cases sets the number of generated cases per property (default 1000).
func Cases(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("Cases(%d): want at least 1", n)
		}
		c.N = n
		return nil
	}
}

// Seed sets the seed of the case generator (default 1: the same cases every run).
func Seed(seed int64) Option {
	return func(c *config) error { c.Seed = seed; return nil }
}

// WideGamma also draws γ log-uniformly from 5 to 1e12, in one case of eight.
func WideGamma() Option {
	return func(c *config) error { c.WideGamma = true; return nil }
}

// configure checks k and applies opts, then the environment; it stops the
// test with a clear message on bad input.
func configure(tb testing.TB, fn string, k namedKernel, opts []Option) config {
	tb.Helper()
	c, err := newConfig(k, opts)
	if err != nil {
		tb.Fatalf("focaltest.%s: %v", fn, err)
	}
	return c
}

// namedKernel is what the kit needs of any kernel it is given before a run:
// a name for its messages (focal.Kernel and focal.RowsKernel have one).
type namedKernel interface{ Name() string }

func newConfig(k namedKernel, opts []Option) (config, error) {
	if k == nil {
		return config{}, fmt.Errorf("the kernel is nil")
	}
	if strings.TrimSpace(k.Name()) == "" {
		return config{}, fmt.Errorf("the kernel's Name() is empty; give it a name, so that failures say which kernel")
	}
	c := config{Config: kit.Config{Bar: DefaultBar, Seed: kit.DefaultSeed, N: kit.DefaultN}}
	for _, o := range opts {
		if o == nil {
			return config{}, fmt.Errorf("a nil Option")
		}
		if err := o(&c); err != nil {
			return config{}, err
		}
	}
	return c, c.FromEnv()
}

// Check runs, as subtests of t, every property of the kit for element type F
// on k, then the golden vectors and the guards; if k also implements
// focal.RowsKernel[F], the rows form's as CheckRows does, as the subtest
// rows. See the package comment.
func Check[F focal.Float](t *testing.T, k focal.Kernel[F], opts ...Option) {
	t.Helper()
	c := configure(t, "Check", k, opts)
	t.Logf("focaltest: %s, float%d, bar %+v, %s=%d %s=%d", k.Name(), bits[F](), c.Bar, kit.EnvSeed, c.Seed, kit.EnvN, c.N)
	runForm(t, c.Config, k.Name(), kit.Bind(kit.Properties[F](), k), "", "golden rows",
		func() []string { return kit.Golden(k, c.Bar) },
		func() string { return kit.Guards(k) })
	if rk, ok := k.(focal.RowsKernel[F]); ok {
		t.Run("rows", func(t *testing.T) { checkRows(t, rk, c) })
	}
	if sk, ok := k.(focal.SoftmaxKernel[F]); ok {
		t.Run("softmax", func(t *testing.T) { checkSoftmax(t, sk, c.softmaxConfig()) })
	}
}

// Fuzz is differential fuzzing of k against this module's stable kernel, for
// use as the body of the caller's FuzzXxx: it adds the kit's seed corpus to f
// and fuzzes cases of up to 70 elements (logits of every float32 class,
// hard and soft targets, α and γ in range), holding k on each to agree-stable,
// lossgrad-loss-exact, sum-vs-loss and sum-concat within its bar.
func Fuzz[F focal.Float](f *testing.F, k focal.Kernel[F], opts ...Option) {
	f.Helper()
	seeds, err := kit.Seeds()
	if err != nil {
		f.Fatalf("focaltest.Fuzz: seed corpus: %v", err)
	}
	fuzz(f, "Fuzz", k, opts, seeds, func(data []byte, bar focal.Bar) string { return kit.Fuzz(k, kit.DecodeCase(data), bar) })
}

// runForm runs, as subtests of t, what Check, CheckRows and CheckSoftmax
// run on one form of the kernel named kernel: its properties, bound to the
// kernel, under cfg; its golden vectors, whose failures goldenFails gives
// (the first ten, then a count of the more goldenOf); and its guards, whose
// failure guardsMsg gives. The last two run as the subtests prefix+"golden"
// and prefix+"guards".
func runForm(t *testing.T, cfg kit.Config, kernel string, props []kit.Bound, prefix, goldenOf string,
	goldenFails func() []string, guardsMsg func() string) {
	t.Helper()
	for _, p := range props {
		t.Run(p.Name, func(t *testing.T) {
			if msg := p.Run(cfg); msg != "" {
				t.Errorf("%s: %s, for %s\n%s\nrerun in this package's directory with:\n\t%s",
					p.Name, p.Doc, kernel, msg, kit.Rerun(t.Name(), cfg))
			}
		})
	}
	t.Run(prefix+"golden", func(t *testing.T) {
		fails := goldenFails()
		for i, msg := range fails {
			if i == 10 {
				t.Errorf("%s: … and %d more %s", kernel, len(fails)-10, goldenOf)
				break
			}
			t.Errorf("%s: %s", kernel, msg)
		}
	})
	t.Run(prefix+"guards", func(t *testing.T) {
		if msg := guardsMsg(); msg != "" {
			t.Error(msg)
		}
	})
}

// fuzz is the body of Fuzz, FuzzRows and FuzzSoftmax (fn): it configures
// k with opts, adds seeds to f's corpus and fuzzes check, which returns ""
// or what failed, on every input, with the configured bar.
func fuzz(f *testing.F, fn string, k namedKernel, opts []Option, seeds [][]byte, check func(data []byte, bar focal.Bar) string) {
	f.Helper()
	bar := configure(f, fn, k, opts).Bar
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if msg := check(data, bar); msg != "" {
			t.Fatal(msg)
		}
	})
}

func bits[F focal.Float]() int {
	if float64(F(1)+F(0x1p-30)) == 1 {
		return 32
	}
	return 64
}
