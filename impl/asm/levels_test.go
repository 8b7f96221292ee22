package asm

import (
	"flag"
	"testing"
)

// toplevel trims the tests that loop over the dispatch levels to the highest
// level. It is for an emulated CPU (.ci/avx512-emu passes it): there the
// levels below have already been tested natively, and emulating them again,
// in software floating point, would triple the run.
var toplevel = flag.Bool("toplevel", false, "test only the highest dispatch level")

// testLevels is Levels(), or with -toplevel the highest alone.
func testLevels() []Level {
	ls := Levels()
	if *toplevel {
		return ls[len(ls)-1:]
	}
	return ls
}

// vectorLevels is testLevels() without Generic: the levels that the tests
// compare with Generic.
func vectorLevels() []Level {
	var ls []Level
	for _, l := range testLevels() {
		if l != Generic {
			ls = append(ls, l)
		}
	}
	return ls
}

// agreeOffsets is how many element offsets TestAgree and TestAgree64 try:
// every misalignment of a 64-byte line for float32, or 3 with -short (the
// emulated CPUs run -short, at a few million instructions a second).
func agreeOffsets() int {
	if testing.Short() {
		return 3
	}
	return 16
}
