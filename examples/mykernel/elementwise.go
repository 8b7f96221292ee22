package mykernel

import "github.com/focalkernels/focal"

// elemFunc is a kernel's loss and gradient at one element. Both kernels of
// this package compute each element on its own, so their three slice
// methods are the same loops over it, written once here.
type elemFunc func(x, t float32, p focal.Params) (loss, grad float32)

func lossOf(elem elemFunc, dst, x, t []float32, p focal.Params) {
	for i := range x {
		dst[i], _ = elem(x[i], t[i], p)
	}
}

func sumOf(elem elemFunc, x, t []float32, p focal.Params) float64 {
	var s float64
	for i := range x {
		l, _ := elem(x[i], t[i], p)
		s += float64(l)
	}
	return s
}

func lossGradOf(elem elemFunc, loss, grad, x, t []float32, p focal.Params) {
	for i := range x {
		l, g := elem(x[i], t[i], p)
		if loss != nil {
			loss[i] = l
		}
		grad[i] = g
	}
}
