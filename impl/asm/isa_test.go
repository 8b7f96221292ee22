//go:build amd64 && !purego

package asm

import (
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
)

// TestAVX2NoEVEX: the AVX2 functions of the generated assembly hold no EVEX
// instruction and name no register only AVX-512 has (X16-X31, Y16-Y31, Z, K),
// which a CPU without AVX-512 lacks: avo's allocator does not know that, and
// the generator staggers to fit (kerneltest.NoEVEX).
func TestAVX2NoEVEX(t *testing.T) {
	kerneltest.NoEVEX(t, "github.com/focalkernels/focal/impl/asm")
}
