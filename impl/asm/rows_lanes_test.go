//go:build !purego && (amd64 || arm64)

package asm

import (
	"testing"
	"unsafe"

	"github.com/focalkernels/focal/impl/internal/rows"
)

// The rows tables' layout (impl/internal/rows's Tab) is the one the
// generator's kernels read (rowsStride, rowsOff32, rowsOff64).
func TestRowsTabLayout(t *testing.T) {
	var t32 rows.Tab[float32]
	var t64 rows.Tab[float64]
	got32 := [...]uintptr{unsafe.Offsetof(t32.A1), unsafe.Offsetof(t32.A0), unsafe.Offsetof(t32.A1lo), unsafe.Offsetof(t32.A0lo),
		unsafe.Offsetof(t32.Cls), unsafe.Offsetof(t32.Ro), unsafe.Offsetof(t32.Ro2)}
	got64 := [...]uintptr{unsafe.Offsetof(t64.A1), unsafe.Offsetof(t64.A0), unsafe.Offsetof(t64.A1lo), unsafe.Offsetof(t64.A0lo),
		unsafe.Offsetof(t64.Cls), unsafe.Offsetof(t64.Ro), unsafe.Offsetof(t64.Ro2)}
	if rowsStride != rows.Stride {
		t.Errorf("the kernels' table stride is %d, rows.Stride %d", rowsStride, rows.Stride)
	}
	for k := range got32 {
		if int(got32[k]) != rowsOff32[k] || int(got64[k]) != rowsOff64[k] {
			t.Errorf("table %d at %d (float32), %d (float64); the kernels read it at %d, %d", k, got32[k], got64[k], rowsOff32[k], rowsOff64[k])
		}
	}
}
