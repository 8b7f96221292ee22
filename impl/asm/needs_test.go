package asm

import (
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// TestNeeds: every name Needs gives is a cpuid feature, and a level is usable
// here only if this CPU has all of them.
func TestNeeds(t *testing.T) {
	for _, l := range AllLevels() {
		var ids []cpuid.FeatureID
		for _, n := range l.Needs() {
			id := cpuid.ParseFeature(n)
			if id == cpuid.UNKNOWN {
				t.Errorf("%v: cpuid does not know feature %q", l, n)
			}
			ids = append(ids, id)
		}
		if l.Usable() && !cpuid.CPU.Supports(ids...) {
			t.Errorf("%v is usable, but this CPU lacks one of %v", l, l.Needs())
		}
	}
}
