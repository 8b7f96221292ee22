package focaltest

import (
	"testing"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/internal/kit"
)

// CheckRows runs, as subtests of t, every property of the sigmoid rows form
// (focal.LossRows) for element type F on k, then the golden rows and the
// rows guards, with the options of Check:
//
//   - rows-element: each element is the element formula at the target its
//     label gives (1 or 0, smoothed to 1-ε/2 and ε/2 rounded to F), its
//     class's α and its weight: the kit's float64 reference for float32, the
//     stable kernel's element for float64 (the reference's q^γ is not
//     float64-accurate);
//   - rows-flat, rows-smoothing, rows-background: each element is k's own
//     flat Loss and LossGrad at that target and α, times the weight in F
//     (within both bars), for hard targets, smoothed ones, and rows of
//     background;
//   - rows-ignored: an ignored row gives 0 in loss and gradient whatever its
//     logits (NaN, ±Inf), leaves every other row's bits as they were, and
//     the sum and positive count are those of the rows without it;
//   - rows-weights: doubling the weights doubles every result exactly where
//     it is normal and finite (the sum too), per-row weights give the bits
//     of the same weights per element, and weights of 1 the bits of none;
//   - rows-class-alpha: ClassAlpha filled with α gives α's bits;
//   - rows-positives: SumRows counts the rows with 0 ≤ label < C, is the
//     sum of LossRows (within the summation's bound), and adds over a split
//     of the rows;
//   - rows-grad-fd: the gradient matches a central finite difference of the
//     weighted reference loss;
//   - rows-agree-stable: within both bars of this module's stable kernel;
//
// golden: heads of 1 to 80 classes whose elements' losses and gradients a
// 200-bit math/big reference computes, held to the bar; guards: no write
// outside the outputs, no change to the inputs, LossGradRows's loss is
// LossRows's bit for bit and its gradient the same with a nil loss, at every
// N to 9 and C around the vector widths, at four offsets.
//
// k must also implement focal.Kernel[F] (every kernel this module registers
// does): rows-flat compares the two forms.
func CheckRows[F focal.Float](t *testing.T, k focal.RowsKernel[F], opts ...Option) {
	t.Helper()
	c := configure(t, "CheckRows", k, opts)
	t.Logf("focaltest: %s rows, float%d, bar %+v, %s=%d %s=%d", k.Name(), bits[F](), c.Bar, kit.EnvSeed, c.Seed, kit.EnvN, c.N)
	checkRows(t, k, c)
}

func checkRows[F focal.Float](t *testing.T, k focal.RowsKernel[F], c config) {
	t.Helper()
	runForm(t, c.Config, k.Name(), kit.Bind(kit.RowsProperties[F](), k), "", "golden elements",
		func() []string { return kit.RowsGolden(k, c.Bar) },
		func() string { return kit.RowsGuards(k) })
}

// FuzzRows is differential fuzzing of k's rows form against this module's
// stable kernel, for use as the body of the caller's FuzzXxx: it adds a seed
// corpus to f and fuzzes heads of up to 16 rows of up to 33 classes (logits
// of every float32 class, every kind of label, weights per row or per
// element, class α, smoothing), holding k on each to rows-agree-stable,
// rows-ignored and rows-positives within its bar.
func FuzzRows[F focal.Float](f *testing.F, k focal.RowsKernel[F], opts ...Option) {
	f.Helper()
	fuzz(f, "FuzzRows", k, opts, kit.RowsSeeds(), func(data []byte, bar focal.Bar) string { return kit.FuzzRows(k, kit.DecodeRowsCase(data), bar) })
}
