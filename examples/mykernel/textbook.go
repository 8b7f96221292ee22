// Package mykernel is two focal losses as another project might write them:
// the textbook formula in float32, and a port of a widely copied PyTorch
// snippet. Its tests hold both to focal's conformance kit (focaltest).
package mykernel

import (
	"math"

	"github.com/focalkernels/focal"
)

// Textbook is the focal loss written straight from the paper, in float32:
// p = σ(x), CE = -(t·log p + (1-t)·log(1-p)), FL = α_t·(1-p_t)^γ·CE.
// 1-p cancels as p nears 1, so it is only accurate for moderate logits.
type Textbook struct{}

func (Textbook) Name() string { return "textbook" }

func (Textbook) elem(x, t float32, p focal.Params) (loss, grad float32) {
	g := float32(p.Gamma)
	sig := 1 / (1 + float32(math.Exp(float64(-x))))
	pt := sig*t + (1-sig)*(1-t)
	at := float32(1)
	if p.Alpha >= 0 {
		at = float32(p.Alpha)*t + float32(1-p.Alpha)*(1-t)
	}
	ce := -(t*float32(math.Log(float64(sig))) + (1-t)*float32(math.Log(float64(1-sig))))
	mod := float32(math.Pow(float64(1-pt), p.Gamma))
	dmod := float32(math.Pow(float64(1-pt), p.Gamma-1))
	loss = at * mod * ce
	grad = at * (g*dmod*(1-2*t)*sig*(1-sig)*ce + mod*(sig-t))
	return loss, grad
}

func (k Textbook) Loss(dst, x, t []float32, p focal.Params) { lossOf(k.elem, dst, x, t, p) }

func (k Textbook) Sum(x, t []float32, p focal.Params) float64 { return sumOf(k.elem, x, t, p) }

func (k Textbook) LossGrad(loss, grad, x, t []float32, p focal.Params) {
	lossGradOf(k.elem, loss, grad, x, t, p)
}
