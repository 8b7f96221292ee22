package asm

import (
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
	"github.com/focalkernels/focal/impl/internal/model"
)

// TestSoftmaxAgree: every vector level's softmax lanes agree with the
// scalar model at their own width (2, 4 or 8 float64 lanes) bit for bit
// (kerneltest.SoftmaxAgree).
func TestSoftmaxAgree(t *testing.T) {
	kerneltest.SoftmaxAgreeLevels(t, vectorLevels(), softmaxWidth, softmaxLanes32, softmaxLanes64, model.SoftmaxAt32, model.SoftmaxAt64)
}

// TestSoftmaxBar holds every level to the softmax bar (kerneltest.SoftmaxBar).
func TestSoftmaxBar(t *testing.T) { kerneltest.SoftmaxBarLevels(t, kerneltest.Levels(Levels())) }

// The softmax functions allocate nothing, at every level.
func TestSoftmaxAllocs(t *testing.T) {
	r := Rows[float32]{X: make([]float32, 80*16), Labels: make([]int32, 16), C: 80}
	r64 := Rows[float64]{X: make([]float64, 80*16), Labels: make([]int32, 16), C: 80}
	loss, grad := make([]float32, 16), make([]float32, 80*16)
	loss64, grad64 := make([]float64, 16), make([]float64, 80*16)
	p := Params{Alpha: 0.25, Gamma: 1.5}
	for _, l := range Levels() {
		if n := testing.AllocsPerRun(10, func() {
			l.SoftmaxLossGrad32(loss, grad, r, p)
			l.SoftmaxLoss32(loss, r, p)
			l.SoftmaxSum32(r, p)
			l.SoftmaxLossGrad64(loss64, grad64, r64, p)
			l.SoftmaxSum64(r64, p)
		}); n != 0 {
			t.Errorf("%v: %v allocations per run", l, n)
		}
	}
}
