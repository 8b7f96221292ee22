package asm

import (
	"slices"
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
)

// lanes is ls without PureGo: the levels that compute the lanes' algorithm
// (Generic, its scalar model, and the vector levels), which the tests hold
// to Generic's results bit for bit. PureGo (impl/internal/fast) is another
// algorithm, held to the bars by its own package's tests and by the kit.
func lanes(ls []Level) []Level {
	return slices.DeleteFunc(slices.Clone(ls), func(l Level) bool { return l == PureGo })
}

// family is this package's lane levels for the tests the kernel families
// share (impl/internal/kerneltest).
var family = kerneltest.NewFamily("asm", lanes(AllLevels()), lanes(Levels()))

// TestLevels: the levels, their names and what they need
// (kerneltest.CheckLevels), and PureGo: it always runs, and it is Best where
// no vector level does.
func TestLevels(t *testing.T) {
	best := Best()
	if best == PureGo {
		best = Generic // the lanes' family without a vector level
	}
	kerneltest.CheckLevels(t, family, best, slices.DeleteFunc(slices.Clone(levelNames), func(n string) bool { return n == "purego" }))
	if !PureGo.Usable() || PureGo.String() != "purego" || levelNames[PureGo] != "purego" {
		t.Errorf("PureGo = %q, usable %v: want level %d, purego, always usable", PureGo, PureGo.Usable(), PureGo)
	}
	if vector := len(Levels()) > int(firstVector); vector == (Best() == PureGo) {
		t.Errorf("Best() = %v with levels %v: want PureGo exactly where no vector level runs", Best(), Levels())
	}
}

// TestFamily runs the shared tests (kerneltest.Suite) over the lane levels:
// the golden bars, every level giving Generic's results bit for bit,
// special values, sums, allocation, concurrency and guard pages, float32
// and float64.
func TestFamily(t *testing.T) { kerneltest.Suite(t, family) }

// testLevels is the lane levels this package's own tests loop over, or with
// -toplevel the highest alone.
func testLevels() []Level { return kerneltest.Levels(lanes(Levels())) }

// vectorLevels is testLevels() without Generic: the levels a test holds to
// Generic's results.
func vectorLevels() []Level { return kerneltest.Vector(lanes(Levels()), Generic) }
