package focal

import "math"

// Loss writes the focal loss of each element of x against t into dst (reduction
// "none") with Best. It returns an error, and writes nothing, if p is out of its
// domain, the lengths differ, or a target is NaN or outside [0, 1].
// A NaN logit gives NaN for that element; ±Inf gives the limit of the loss.
func Loss[F Float](dst, x, t []F, p Params) error {
	if err := check(x, t, p, output[F]{name: "dst", s: dst}); err != nil {
		return err
	}
	if is32[F]() {
		best32.f32.loss(as[float32](dst), as[float32](x), as[float32](t), p.Alpha, p.Gamma)
	} else {
		best64.f64.loss(as[float64](dst), as[float64](x), as[float64](t), p.Alpha, p.Gamma)
	}
	return nil
}

// Sum returns the sum of the focal loss over all elements (reduction "sum"),
// 0 for no elements. Errors are those of Loss.
func Sum[F Float](x, t []F, p Params) (float64, error) {
	if err := check(x, t, p); err != nil {
		return 0, err
	}
	if is32[F]() {
		return best32.f32.sum(as[float32](x), as[float32](t), p.Alpha, p.Gamma), nil
	}
	return best64.f64.sum(as[float64](x), as[float64](t), p.Alpha, p.Gamma), nil
}

// Mean returns Sum/len(x) (reduction "mean"); the mean of no elements is NaN,
// as in NumPy and PyTorch. Errors are those of Loss.
func Mean[F Float](x, t []F, p Params) (float64, error) {
	s, err := Sum(x, t, p)
	if err != nil {
		return 0, err
	}
	if len(x) == 0 {
		return math.NaN(), nil
	}
	return s / float64(len(x)), nil
}

// LossGrad writes the focal loss into loss (unless loss is nil) and its
// derivative with respect to x into grad, in one pass. Errors are those of
// Loss; on error nothing is written.
func LossGrad[F Float](loss, grad, x, t []F, p Params) error {
	if err := check(x, t, p, output[F]{name: "loss", s: loss, optional: true}, output[F]{name: "grad", s: grad}); err != nil {
		return err
	}
	if is32[F]() {
		best32.f32.lossGrad(as[float32](loss), as[float32](grad), as[float32](x), as[float32](t), p.Alpha, p.Gamma)
	} else {
		best64.f64.lossGrad(as[float64](loss), as[float64](grad), as[float64](x), as[float64](t), p.Alpha, p.Gamma)
	}
	return nil
}
