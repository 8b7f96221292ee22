package kit

import (
	"slices"
	"strings"
	"testing"

	"github.com/focalkernels/focal"
)

// rowsWrapped is the stable kernel's rows form under another name, with one
// of the bugs a rows form can have, or none.
type rowsWrapped[F focal.Float] struct {
	wrapped[F]
	bug string
}

func (w rowsWrapped[F]) stable() focal.RowsKernel[F] { return stableKernel[F]().(focal.RowsKernel[F]) }

// in returns what the buggy kernel hands the stable one.
func (w rowsWrapped[F]) in(r focal.Rows[F], p focal.Params) (focal.Rows[F], focal.Params) {
	switch w.bug {
	case "ignore-as-background":
		r.Labels = slices.Clone(r.Labels)
		for i, l := range r.Labels {
			if l < 0 {
				r.Labels[i] = int32(r.C)
			}
		}
	case "weights-dropped":
		r.Weight = nil
	case "class-alpha-reversed":
		p.ClassAlpha = slices.Clone(p.ClassAlpha)
		slices.Reverse(p.ClassAlpha)
	case "smoothing-not-halved":
		if p.Smoothing < 0.5 {
			p.Smoothing *= 2 // targets 1-ε and ε
		}
	}
	return r, p
}

func (w rowsWrapped[F]) LossRows(dst []F, r focal.Rows[F], p focal.Params) {
	r, p = w.in(r, p)
	w.stable().LossRows(dst, r, p)
}

func (w rowsWrapped[F]) SumRows(r focal.Rows[F], p focal.Params) (float64, int) {
	s, pos := w.stable().SumRows(w.in(r, p))
	if w.bug == "positives-count-background" {
		for _, l := range r.Labels {
			if int(l) == r.C {
				pos++
			}
		}
	}
	return s, pos
}

func (w rowsWrapped[F]) LossGradRows(loss, grad []F, r focal.Rows[F], p focal.Params) {
	r, p = w.in(r, p)
	w.stable().LossGradRows(loss, grad, r, p)
}

// rowsFailures runs every rows check of the kit on k with bar and returns
// the failing ones' messages by name.
func rowsFailures[F focal.Float](k focal.RowsKernel[F], bar focal.Bar) map[string]string {
	return failuresOf(Config{Bar: bar, Seed: DefaultSeed, N: cases(200)}, Bind(RowsProperties[F](), k), RowsGolden(k, bar), RowsGuards(k))
}

// A correct rows form passes every rows check at the default bar, in both
// types.
func TestRowsCorrectPasses(t *testing.T) {
	for name, msg := range rowsFailures[float32](rowsWrapped[float32]{wrapped: wrapped[float32]{name: "mine"}}, asmBar) {
		t.Errorf("float32 %s: %s", name, msg)
	}
	for name, msg := range rowsFailures[float64](rowsWrapped[float64]{wrapped: wrapped[float64]{name: "mine"}}, asmBar) {
		t.Errorf("float64 %s: %s", name, msg)
	}
}

// The rows checks reject the bugs a rows form can have: ignored rows taken
// as background, weights dropped, class α misassigned, smoothing to 1-ε and
// ε, background counted as positive; each failure names the element.
func TestRowsBugsCaught(t *testing.T) {
	for _, c := range []struct {
		bug  string
		want []string
	}{
		{"ignore-as-background", []string{"rows-element", "rows-ignored", "rows-agree-stable", "golden"}},
		{"weights-dropped", []string{"rows-element", "rows-weights", "rows-agree-stable", "golden"}},
		{"class-alpha-reversed", []string{"rows-element", "rows-flat", "rows-agree-stable", "golden"}},
		{"smoothing-not-halved", []string{"rows-element", "rows-smoothing", "golden"}},
		{"positives-count-background", []string{"rows-positives"}},
	} {
		k := rowsWrapped[float32]{wrapped: wrapped[float32]{name: c.bug}, bug: c.bug}
		got := rowsFailures[float32](k, asmBar)
		for _, name := range c.want {
			msg, ok := got[name]
			if !ok {
				t.Errorf("%s: %s passed; it must fail", c.bug, name)
				continue
			}
			if name != "rows-positives" && !strings.Contains(msg, "element") {
				t.Errorf("%s: %s: the message names no element: %s", c.bug, name, msg)
			}
			t.Logf("%s: %s fails:\n%.600s", c.bug, name, msg)
		}
	}
}

// The rows seeds decode to valid cases, and EncodeRowsCase is
// DecodeRowsCase's inverse on their labels and logits.
func TestRowsSeedsDecode(t *testing.T) {
	for _, s := range RowsSeeds() {
		c := DecodeRowsCase(s)
		if len(c.X) != c.N()*c.C || c.Split > c.N() || (c.W != nil && len(c.W) != c.N() && len(c.W) != len(c.X)) ||
			(c.ClassAlpha != nil && len(c.ClassAlpha) != c.C) || !(c.Smoothing >= 0 && c.Smoothing < 1) {
			t.Errorf("seed %x decodes to a bad case %v", s, c)
		}
		for _, l := range c.Labels {
			if int(l) > c.C {
				t.Errorf("seed %x: label %d > C = %d", s, l, c.C)
			}
		}
		if e := DecodeRowsCase(EncodeRowsCase(c)); !slices.Equal(e.Labels, c.Labels) || len(e.X) != len(c.X) || e.C != c.C {
			t.Errorf("seed %x: %v encodes and decodes to %v", s, c, e)
		}
	}
}
