package props

import (
	"testing"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/focaltest"
	"github.com/focalkernels/focal/internal/kit"
)

func TestProps32(t *testing.T) { testProps[float32](t) }
func TestProps64(t *testing.T) { testProps[float64](t) }

// testProps holds every kernel of element type F that runs here to its
// declared bars through the conformance kit (every property, the golden rows
// and the guards, of the flat form and of the softmax form), each kernel as
// its own subtest, in parallel; then the checked API to its own properties.
func testProps[F focal.Float](t *testing.T) {
	for _, k := range focal.Kernels[F]() {
		t.Run(k.Name(), func(t *testing.T) {
			t.Parallel()
			bar, ok := focal.BarOf[F](k.Name())
			if !ok || !bar.Declared() {
				t.Fatalf("%s declares no accuracy bar for this type in the registry", k.Name())
			}
			sbar, ok := focal.SoftmaxBarOf[F](k.Name())
			if _, isSoftmax := k.(focal.SoftmaxKernel[F]); !ok || !sbar.Declared() || !isSoftmax {
				t.Fatalf("%s declares no softmax form or bar for this type in the registry", k.Name())
			}
			focaltest.Check(t, k, focaltest.WithBar(bar), focaltest.SoftmaxBar(sbar), focaltest.Cases(cases()))
		})
	}
	t.Run("checked", func(t *testing.T) {
		cfg := config(t)
		if msg := kit.Check("checked", cfg, kit.CheckedAPI[F], kit.AllCases[F](cfg.WideGamma)); msg != "" {
			t.Errorf("the checked API returns what Best computes: %s\nrerun with:\n\t%s", msg, kit.Rerun(t.Name(), cfg))
		}
	})
	t.Run("checked-rows", func(t *testing.T) {
		cfg := config(t)
		if msg := kit.CheckRows("checked-rows", cfg, kit.CheckedRowsAPI[F], kit.AllRowsCases[F](cfg.WideGamma)); msg != "" {
			t.Errorf("the checked rows API returns what Best computes: %s\nrerun with:\n\t%s", msg, kit.Rerun(t.Name(), cfg))
		}
	})
	// on valid cases of every kind the checked softmax functions return
	// what Best's methods do, bit for bit
	t.Run("checked-softmax", func(t *testing.T) {
		cfg := config(t)
		if msg := kit.Check("softmax-checked", cfg, kit.SoftmaxCheckedAPI[F], kit.SoftmaxCases[F](cfg.WideGamma)); msg != "" {
			t.Errorf("the checked softmax functions return what Best computes: %s\nrerun with:\n\t%s", msg, kit.Rerun(t.Name(), cfg))
		}
	})
}

// shortN is the number of cases per property under -short: emulated
// architectures and the race detector run the kit on every kernel at a
// quarter of the default, with the same bars.
const shortN = kit.DefaultN / 4

// cases is the number of cases per property this run draws (the
// environment's FOCALTEST_N still overrides it).
func cases() int {
	if testing.Short() {
		return shortN
	}
	return kit.DefaultN
}

// config is the kit's default run with the environment applied.
func config(t *testing.T) kit.Config {
	cfg := kit.Config{Seed: kit.DefaultSeed, N: cases()}
	if err := cfg.FromEnv(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestErrorSummary32(t *testing.T) { t.Log(kit.ErrorSummary[float32](config(t))) }
func TestErrorSummary64(t *testing.T) { t.Log(kit.ErrorSummary[float64](config(t))) }
