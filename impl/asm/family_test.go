package asm

import (
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
)

// family is this package's levels for the tests the kernel families share
// (impl/internal/kerneltest).
var family = kerneltest.NewFamily("asm", AllLevels(), Levels())

// TestLevels: the levels, their names and what they need (kerneltest.CheckLevels).
func TestLevels(t *testing.T) { kerneltest.CheckLevels(t, family, Best(), levelNames) }

// TestFamily runs the shared tests (kerneltest.Suite): the golden bars, every
// level giving Generic's results bit for bit, special values, sums,
// allocation, concurrency and guard pages, float32 and float64.
func TestFamily(t *testing.T) { kerneltest.Suite(t, family) }

// testLevels is the levels this package's own tests loop over: Levels(), or
// with -toplevel the highest alone.
func testLevels() []Level { return kerneltest.Levels(Levels()) }

// vectorLevels is testLevels() without Generic: the levels a test holds to
// Generic's results.
func vectorLevels() []Level { return kerneltest.Vector(Levels(), Generic) }
