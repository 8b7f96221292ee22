//go:build !purego

package asm

import (
	"testing"
	"unsafe"
)

// The rows tables' layout is the one the generator's kernels read
// (rowsOff32, rowsOff64, written by _asm).
func TestRowsTabLayout(t *testing.T) {
	var t32 rowsTab[float32]
	var t64 rowsTab[float64]
	got32 := [...]uintptr{unsafe.Offsetof(t32.a1), unsafe.Offsetof(t32.a0), unsafe.Offsetof(t32.a1lo), unsafe.Offsetof(t32.a0lo),
		unsafe.Offsetof(t32.cls), unsafe.Offsetof(t32.ro), unsafe.Offsetof(t32.ro2)}
	got64 := [...]uintptr{unsafe.Offsetof(t64.a1), unsafe.Offsetof(t64.a0), unsafe.Offsetof(t64.a1lo), unsafe.Offsetof(t64.a0lo),
		unsafe.Offsetof(t64.cls), unsafe.Offsetof(t64.ro), unsafe.Offsetof(t64.ro2)}
	if rowsCap != testCap {
		t.Errorf("rowsCap = %d, the tests take %d", rowsCap, testCap)
	}
	for k := range got32 {
		if int(got32[k]) != rowsOff32[k] || int(got64[k]) != rowsOff64[k] {
			t.Errorf("table %d at %d (float32), %d (float64); the kernels read it at %d, %d", k, got32[k], got64[k], rowsOff32[k], rowsOff64[k])
		}
	}
}
