package kit

import (
	"strings"
	"testing"

	"github.com/focalkernels/focal"
)

// wrapped is the stable kernel under another name, with one of the bugs
// people write into a focal loss, or none.
type wrapped[F focal.Float] struct {
	name string
	bug  string
}

func (w wrapped[F]) Name() string { return w.name }

func (w wrapped[F]) params(p focal.Params) focal.Params {
	if w.bug == "alpha-to-negatives" && p.Alpha >= 0 {
		// tensor([α, 1-α]).gather(0, target): α for t = 0, 1-α for t = 1
		p.Alpha = 1 - p.Alpha
	}
	return p
}

func (w wrapped[F]) Loss(dst, x, t []F, p focal.Params) {
	stableKernel[F]().Loss(dst, x, t, w.params(p))
}

func (w wrapped[F]) Sum(x, t []F, p focal.Params) float64 {
	if w.bug == "sum-drops-last" && len(x) > 0 {
		x, t = x[:len(x)-1], t[:len(x)-1]
	}
	return stableKernel[F]().Sum(x, t, w.params(p))
}

func (w wrapped[F]) LossGrad(loss, grad, x, t []F, p focal.Params) {
	stableKernel[F]().LossGrad(loss, grad, x, t, w.params(p))
	if w.bug == "grad-wrong-sign" {
		for i := range grad {
			grad[i] = -grad[i]
		}
	}
}

// failures runs every check of the kit on k with bar and returns the
// failing ones' messages by name.
func failures[F focal.Float](k focal.Kernel[F], bar focal.Bar) map[string]string {
	return failuresOf(Config{Bar: bar, Seed: DefaultSeed, N: cases(300)}, Bind(Properties[F](), k), Golden(k, bar), Guards(k))
}

// cases is n, or a quarter of it under -short: every bug of these tests is
// caught within the first quarter at DefaultSeed, and the kit's own tests
// take minutes under qemu.
func cases(n int) int {
	if testing.Short() {
		return n / 4
	}
	return n
}

// failuresOf runs every property of a form under cfg and returns, by name,
// the failing ones' messages and those of the form's golden vectors (fails)
// and guards (guard, "" or what failed).
func failuresOf(cfg Config, props []Bound, fails []string, guard string) map[string]string {
	out := map[string]string{}
	for _, p := range props {
		if msg := p.Run(cfg); msg != "" {
			out[p.Name] = msg
		}
	}
	if len(fails) > 0 {
		out["golden"] = strings.Join(fails, "\n")
	}
	if guard != "" {
		out["guards"] = guard
	}
	return out
}

var asmBar = focal.Bar{LossULP: 4, Grad: 8}

// TestCorrectPasses: a correct implementation passes every check at the
// default bar, in both types.
func TestCorrectPasses(t *testing.T) {
	for name, msg := range failures[float32](wrapped[float32]{name: "mine"}, asmBar) {
		t.Errorf("float32 %s: %s", name, msg)
	}
	for name, msg := range failures[float64](wrapped[float64]{name: "mine"}, asmBar) {
		t.Errorf("float64 %s: %s", name, msg)
	}
}

// TestBugsCaught: the kit rejects, at the default bar, α given to the
// negatives, the textbook float32 formula, a Sum that drops an element and a
// gradient of the wrong sign; each failure says which property, and which
// element with which inputs (go test -v prints the messages).
func TestBugsCaught(t *testing.T) {
	naive, ok := focal.Lookup[float32]("naive")
	if !ok {
		t.Fatal("no naive kernel")
	}
	for _, c := range []struct {
		k    focal.Kernel[float32]
		want []string // properties that must fail (others may too)
	}{
		{wrapped[float32]{"snippet", "alpha-to-negatives"}, []string{"bce-at-gamma0", "agree-stable", "golden"}},
		{naive, []string{"nonneg-finite", "agree-stable", "golden"}},
		{wrapped[float32]{"drop", "sum-drops-last"}, []string{"sum-vs-loss"}},
		{wrapped[float32]{"sign", "grad-wrong-sign"}, []string{"grad-sign-hard", "grad-fd", "agree-stable", "golden"}},
	} {
		got := failures(c.k, asmBar)
		for _, name := range c.want {
			msg, ok := got[name]
			if !ok {
				t.Errorf("%s: %s passed; it must fail", c.k.Name(), name)
				continue
			}
			if name != "golden" && !strings.Contains(msg, "x=") {
				t.Errorf("%s: %s: the message names no element: %s", c.k.Name(), name, msg)
			}
			t.Logf("%s: %s fails:\n%s", c.k.Name(), name, msg)
		}
	}
}

// TestDeclaredRange: naive passes inside the range it declares, and the
// textbook formula's breakdown outside it is not charged to it.
func TestDeclaredRange(t *testing.T) {
	for _, bits := range []int{32, 64} {
		var fails map[string]string
		if bits == 32 {
			k, _ := focal.Lookup[float32]("naive")
			b, _ := focal.BarOf[float32]("naive")
			fails = failures(k, b)
		} else {
			k, _ := focal.Lookup[float64]("naive")
			b, _ := focal.BarOf[float64]("naive")
			fails = failures(k, b)
		}
		for name, msg := range fails {
			t.Errorf("float%d naive inside its declared range: %s: %s", bits, name, msg)
		}
	}
}

func TestSeedsDecode(t *testing.T) {
	seeds, err := Seeds()
	if err != nil {
		t.Fatal(err)
	}
	if len(seeds) < 10 {
		t.Fatalf("%d seeds, want the corpus under seeds/ too", len(seeds))
	}
	for _, s := range seeds {
		c := DecodeCase(s)
		if len(c.X) != len(c.T) || c.Split > len(c.X) {
			t.Errorf("seed %x decodes to a bad case %v", s, c)
		}
	}
}
