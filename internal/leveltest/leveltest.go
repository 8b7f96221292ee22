// Package leveltest selects the dispatch levels that a kernel package's tests
// loop over, so that impl/asm and impl/archsimd read one -toplevel flag with
// one meaning.
package leveltest

import "flag"

// toplevel trims the tests to the highest dispatch level. It is for an
// emulated CPU (.ci/avx512-emu passes it): there the levels below have
// already been tested natively, and emulating them again, in software
// floating point, would triple the run.
var toplevel = flag.Bool("toplevel", false, "test only the highest dispatch level")

// Levels is usable (the levels this CPU runs, lowest first), or with
// -toplevel the highest alone.
func Levels[L any](usable []L) []L {
	if *toplevel && len(usable) > 0 {
		return usable[len(usable)-1:]
	}
	return usable
}

// Vector is Levels(usable) without generic: the levels that the tests
// compare with the scalar model.
func Vector[L comparable](usable []L, generic L) []L {
	var ls []L
	for _, l := range Levels(usable) {
		if l != generic {
			ls = append(ls, l)
		}
	}
	return ls
}
