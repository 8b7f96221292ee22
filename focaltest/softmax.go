package focaltest

import (
	"testing"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/internal/kit"
)

// SoftmaxBar holds the softmax form's checks that Check runs (on a kernel
// that implements focal.SoftmaxKernel) to b instead of DefaultBar, as a
// kernel of this module declares it (focal.SoftmaxBarOf). CheckSoftmax and
// FuzzSoftmax take their bar from Tolerance, Relative, ValidRange and
// WithBar, as Check does.
func SoftmaxBar(b focal.Bar) Option {
	return func(c *config) error {
		d := config{Config: kit.Config{Bar: DefaultBar}}
		if err := WithBar(b)(&d); err != nil {
			return err
		}
		c.softmax = &d.Bar
		return nil
	}
}

// softmaxConfig is c with the softmax bar in place of the flat form's.
func (c config) softmaxConfig() kit.Config {
	k := c.Config
	k.Bar = DefaultBar
	if c.softmax != nil {
		k.Bar = *c.softmax
	}
	return k
}

// CheckSoftmax runs, as subtests of t, every property of the softmax form
// for element type F on k, then its golden rows and its guards:
//
//   - softmax-agree-stable: loss and gradient within both bars of this
//     module's stable kernel, on rows of every kind (±Inf and NaN too);
//   - softmax-ce-at-gamma0: γ = 0 is α_c-weighted softmax cross-entropy,
//     with gradient α_c·(p - onehot), against a math/big reference;
//   - softmax-binary: C = 2 with class α (1-α, α) on rows (0, z) is the
//     sigmoid focal loss of z with target = label, loss and gradient (the
//     kernel's own sigmoid form if it implements focal.Kernel, else stable's);
//   - softmax-shift: adding a constant to a row changes nothing;
//   - softmax-grad-sum-zero: each row's gradient sums to 0;
//   - softmax-nonneg: loss ≥ 0, finite where the truth is;
//   - softmax-ignored: ignored rows are 0 and change nothing else;
//   - softmax-weight-linear: linear in the row weights;
//   - softmax-grad-fd: the gradient matches a central finite difference;
//   - softmax-lossgrad-exact, softmax-sum: the three functions agree;
//   - softmax-golden: the golden rows (mpmath), within the bar;
//   - softmax-guards: nothing written outside the outputs, inputs unchanged.
//
// The bar is the softmax form's (see focal.SoftmaxBarOf for the measure);
// by default DefaultBar, the loss within 4 ULP and each gradient component
// within 8·eps of its value.
func CheckSoftmax[F focal.Float](t *testing.T, k focal.SoftmaxKernel[F], opts ...Option) {
	t.Helper()
	c := configure(t, "CheckSoftmax", k, opts)
	checkSoftmax(t, k, c.Config)
}

func checkSoftmax[F focal.Float](t *testing.T, k focal.SoftmaxKernel[F], cfg kit.Config) {
	t.Helper()
	t.Logf("focaltest: %s softmax, float%d, bar %+v, %s=%d %s=%d", k.Name(), bits[F](), cfg.Bar, kit.EnvSeed, cfg.Seed, kit.EnvN, cfg.N)
	runForm(t, cfg, k.Name(), kit.Bind(kit.SoftmaxProperties[F](), k), "softmax-", "golden rows",
		func() []string { return kit.SoftmaxGolden(k, cfg.Bar) },
		func() string { return kit.SoftmaxGuards(k) })
}

// FuzzSoftmax is differential fuzzing of k's softmax form against this
// module's stable kernel, for use as the body of the caller's FuzzXxx: it
// adds the kit's seed corpus to f and fuzzes cases of up to 8 rows of up to
// 40 classes (logits of every float32 class, ignored rows, weights,
// ClassAlpha), holding k on each to softmax-agree-stable,
// softmax-lossgrad-exact, softmax-sum, softmax-grad-sum-zero and
// softmax-ignored within its bar.
func FuzzSoftmax[F focal.Float](f *testing.F, k focal.SoftmaxKernel[F], opts ...Option) {
	f.Helper()
	fuzz(f, "FuzzSoftmax", k, opts, kit.SoftmaxSeeds(), func(data []byte, bar focal.Bar) string { return kit.FuzzSoftmax(k, kit.DecodeSoftmaxCase(data), bar) })
}
