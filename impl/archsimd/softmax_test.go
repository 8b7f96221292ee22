//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
	"github.com/focalkernels/focal/impl/internal/model"
)

// TestSoftmaxAgree: every vector level's softmax lanes agree with the
// scalar model at their own width (4 or 8 float64 lanes) bit for bit
// (kerneltest.SoftmaxAgree).
func TestSoftmaxAgree(t *testing.T) {
	kerneltest.SoftmaxAgreeLevels(t, kerneltest.Vector(Levels(), Generic), softmaxWidth, softmaxLanes32, softmaxLanes64, model.SoftmaxAt32, model.SoftmaxAt64)
}

// TestSoftmaxBar holds every level to the softmax bar (kerneltest.SoftmaxBar).
func TestSoftmaxBar(t *testing.T) { kerneltest.SoftmaxBarLevels(t, kerneltest.Levels(Levels())) }
