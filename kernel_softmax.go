package focal

import (
	"github.com/focalkernels/focal/impl/naive"
	"github.com/focalkernels/focal/impl/stable"
)

// softmaxFuncs are one kernel's softmax functions for one element type, as
// the impl packages export them, and the accuracy it declares for them
// (see SoftmaxBarOf). The impl packages' Rows and Params are all
// impl/internal/form's, which this package names through impl/stable.
type softmaxFuncs[E float32 | float64] struct {
	loss     func(dst []E, r stable.Rows[E], p stable.Params)
	sum      func(r stable.Rows[E], p stable.Params) (float64, int)
	lossGrad func(loss, grad []E, r stable.Rows[E], p stable.Params)
	bar      Bar
}

// softmaxBar is the softmax form's accuracy bar: the
// loss within 4 ULP, every gradient component within 8·eps of its value.
var softmaxBar = Bar{LossULP: 4, Grad: 8}

var (
	naiveSoftmax32 = softmaxFuncs[float32]{naive.SoftmaxLoss32, naive.SoftmaxSum32, naive.SoftmaxLossGrad32,
		Bar{Rel: naive.ValidRelErr, MaxAbsX: naive.SoftmaxValidRange32, MaxGamma: naive.ValidGamma, MinClasses: 2}}
	naiveSoftmax64 = softmaxFuncs[float64]{naive.SoftmaxLoss64, naive.SoftmaxSum64, naive.SoftmaxLossGrad64,
		Bar{Rel: naive.ValidRelErr, MaxAbsX: naive.SoftmaxValidRange64, MaxGamma: naive.ValidGamma, MinClasses: 2}}
	// measured 0 ULP and 0·eps on the golden rows; its package's tests assert 1 and 2
	stableSoftmax32 = softmaxFuncs[float32]{stable.SoftmaxLoss32, stable.SoftmaxSum32, stable.SoftmaxLossGrad32, Bar{LossULP: 1, Grad: 2}}
	stableSoftmax64 = softmaxFuncs[float64]{stable.SoftmaxLoss64, stable.SoftmaxSum64, stable.SoftmaxLossGrad64, Bar{LossULP: 1, Grad: 2}}
)

// The kernel adapter's softmax methods: every kernel that Kernels returns
// implements SoftmaxKernel.

func (k kernel[F, E]) SoftmaxLoss(dst []F, r Rows[F], p Params) {
	k.fn.softmax.loss(as[E](dst), toImplRows[E](r), toImplParams(p))
}

func (k kernel[F, E]) SoftmaxSum(r Rows[F], p Params) (float64, int) {
	return k.fn.softmax.sum(toImplRows[E](r), toImplParams(p))
}

func (k kernel[F, E]) SoftmaxLossGrad(loss, grad []F, r Rows[F], p Params) {
	k.fn.softmax.lossGrad(as[E](loss), as[E](grad), toImplRows[E](r), toImplParams(p))
}

// SoftmaxBarOf returns the softmax form's declared accuracy of the kernel
// called name for element type F; ok is false if no kernel of that name has
// functions for F. The measure is the softmax form's own: the loss within
// LossULP units in the last place of the truth rounded to F, and each
// gradient component g_j within Grad·eps of its true value t_j, |g_j - t_j|
// ≤ Grad·eps·max(|t_j|, m), eps = 2^-23 or 2^-52 and m the smallest normal
// number of F: a relative error (the component is a product of terms of one
// sign, so there is no cancellation to allow for), where a true value that
// is 0 or subnormal is held to Grad·eps·m, that many units of the
// subnormals' spacing. A bar with Rel holds the loss and every component to
// that relative error instead (absolute Rel·m below m), on the rows in its
// range: every logit within MaxAbsX, γ ≤ MaxGamma, at least MinClasses
// classes.
func SoftmaxBarOf[F Float](name string) (b Bar, ok bool) {
	for _, e := range known {
		if e.name != name {
			continue
		}
		switch {
		case is32[F]() && e.f32 != nil:
			return e.f32.softmax.bar, true
		case !is32[F]() && e.f64 != nil:
			return e.f64.softmax.bar, true
		}
	}
	return Bar{}, false
}
