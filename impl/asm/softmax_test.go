package asm

import (
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/internal/kerneltest"
	"github.com/focalkernels/focal/impl/internal/model"
)

// TestSoftmaxAgree: every vector level's softmax lanes agree with the
// scalar model at their own width (4 or 8 float64 lanes) bit for bit
// (kerneltest.SoftmaxAgree).
func TestSoftmaxAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, l := range vectorLevels() {
		w := softmaxWidth(l)
		l32, l64 := softmaxLanes32(l), softmaxLanes64(l)
		if msg := kerneltest.SoftmaxAgree(rng, kerneltest.SoftmaxLanes{
			Reduce32: l32.Reduce, Scale32: l32.Scale, Reduce64: l64.Reduce, Scale64: l64.Scale,
			ModelReduce32: func(x []float32, c int, s []float32) (float32, float64, float64) {
				return model.SoftmaxReduce32(w, x, c, s)
			},
			ModelReduce64: func(x []float64, c int, s []float64) (float64, float64, float64, float64, float64) {
				return model.SoftmaxReduce64(w, x, c, s)
			},
			ModelScale32: model.SoftmaxScale32, ModelScale64: model.SoftmaxScale64,
		}); msg != "" {
			t.Errorf("%v: %s", l, msg)
		}
	}
}

// TestSoftmaxBar holds every level to the softmax bar (kerneltest.SoftmaxBar).
func TestSoftmaxBar(t *testing.T) {
	for _, l := range kerneltest.Levels(Levels()) {
		log, fails := kerneltest.SoftmaxBar(
			kerneltest.SoftmaxFuncs[float32]{Loss: l.SoftmaxLoss32, Sum: l.SoftmaxSum32, LossGrad: l.SoftmaxLossGrad32},
			kerneltest.SoftmaxFuncs[float64]{Loss: l.SoftmaxLoss64, Sum: l.SoftmaxSum64, LossGrad: l.SoftmaxLossGrad64},
			testing.Short())
		for _, s := range log {
			t.Logf("%v %s", l, s)
		}
		for _, s := range fails {
			t.Errorf("%v %s", l, s)
		}
	}
}

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
