package model

// The float64 kernels' scalar path is impl/internal/ref's algorithm (impl/stable's):
// it takes every element of a call whose γ is above WideGamma (the lanes'
// error grows with γ, as float32's does), or whose α is below wideAlpha64,
// and the lanes of the general form that soft64.go leaves to it.

import "github.com/focalkernels/focal/impl/internal/ref"

// wideAlpha64: a positive α below it would make α_t·m subnormal, where its
// exact error (by fma) is lost, while the loss can still be normal.
const wideAlpha64 = 0x1p-900

// wideParams64 reports whether a call takes the scalar float64 path for
// every element.
func wideParams64(alpha, gamma float64) bool {
	return gamma > WideGamma || (alpha > 0 && alpha < wideAlpha64)
}

// ElemRef64 is the scalar float64 path: ref.Elem's loss and gradient.
func ElemRef64(x, t float64, p *Params64) (loss, grad float64) {
	return ref.Elem(x, t, p.Alpha, p.Gamma, true)
}
