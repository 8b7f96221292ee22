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

func (checked[F]) Loss(dst, x, t []F, p focal.Params) { must(focal.Loss(dst, x, t, p)) }

func (checked[F]) Sum(x, t []F, p focal.Params) float64 { return mustValue(focal.Sum(x, t, p)) }

func (checked[F]) LossGrad(loss, grad, x, t []F, p focal.Params) {
	must(focal.LossGrad(loss, grad, x, t, p))
}

// must panics on err: the checked API rejected input, which the benchmark
// data never are.
func must(err error) {
	if err != nil {
		panic(err)
	}
}

// mustValue is v, after must(err).
func mustValue[T any](v T, err error) T {
	must(err)
	return v
}

// must2 is a and b, after must(err).
func must2[A, B any](a A, b B, err error) (A, B) {
	must(err)
	return a, b
}
