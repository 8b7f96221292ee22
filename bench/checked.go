package bench

import "github.com/focalkernels/focal"

// Checked returns the checked API as a kernel named "checked": what a caller
// of focal.Loss, Sum and LossGrad gets, target validation included, on
// focal.Best. Benchmarks and the report time it beside Best, so that the
// cost of the front door shows. Its methods panic on input the checked API
// rejects; the benchmark data are valid.
func Checked[F focal.Float]() focal.Kernel[F] { return checked[F]{} }

type checked[F focal.Float] struct{}

func (checked[F]) Name() string { return "checked" }

func (checked[F]) Loss(dst, x, t []F, p focal.Params) {
	if err := focal.Loss(dst, x, t, p); err != nil {
		panic(err)
	}
}

func (checked[F]) Sum(x, t []F, p focal.Params) float64 {
	s, err := focal.Sum(x, t, p)
	if err != nil {
		panic(err)
	}
	return s
}

func (checked[F]) LossGrad(loss, grad, x, t []F, p focal.Params) {
	if err := focal.LossGrad(loss, grad, x, t, p); err != nil {
		panic(err)
	}
}
