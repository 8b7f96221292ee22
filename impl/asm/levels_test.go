package asm

import (
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
)

// testLevels is the levels the tests loop over: Levels(), or with -toplevel
// the highest alone (see impl/internal/kerneltest).
func testLevels() []Level { return kerneltest.Levels(Levels()) }

// vectorLevels is testLevels() without Generic: the levels that the tests
// compare with Generic.
func vectorLevels() []Level { return kerneltest.Vector(Levels(), Generic) }

// agreeOffsets is how many element offsets TestAgree and TestAgree64 try:
// every misalignment of a 64-byte line for float32, or 3 with -short (the
// emulated CPUs run -short, at a few million instructions a second).
func agreeOffsets() int {
	if testing.Short() {
		return 3
	}
	return 16
}
