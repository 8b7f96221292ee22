//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
)

// TestAVX2NoEVEX: the AVX2 level's code, the compiler's, holds no EVEX
// instruction (kerneltest.NoEVEX).
func TestAVX2NoEVEX(t *testing.T) {
	kerneltest.NoEVEX(t, "github.com/focalkernels/focal/impl/archsimd")
}
