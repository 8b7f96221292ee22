package asm

import (
	"testing"

	"github.com/focalkernels/focal/internal/leveltest"
)

// testLevels is the levels the tests loop over: Levels(), or with -toplevel
// the highest alone (see internal/leveltest).
func testLevels() []Level { return leveltest.Levels(Levels()) }

// vectorLevels is testLevels() without Generic: the levels that the tests
// compare with Generic.
func vectorLevels() []Level { return leveltest.Vector(Levels(), Generic) }

// agreeOffsets is how many element offsets TestAgree and TestAgree64 try:
// every misalignment of a 64-byte line for float32, or 3 with -short (the
// emulated CPUs run -short, at a few million instructions a second).
func agreeOffsets() int {
	if testing.Short() {
		return 3
	}
	return 16
}
