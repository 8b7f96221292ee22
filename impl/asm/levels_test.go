package asm

import "flag"

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
