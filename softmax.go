package focal

// SoftmaxLossGrad writes the softmax focal loss of each row of r into loss
// (unless loss is nil; one value per row) and its gradient with respect to
// every logit into grad (N·C values), with Best. For row n, with C logits
// x, class c = r.Labels[n] and p = softmax(x):
//
//	FL     = -α_c·(1-p_c)^γ·log p_c
//	dFL/dx_j = K·(δ_jc - p_j),   K = -α_c·[(1-p_c)^γ - γ(1-p_c)^(γ-1)·p_c·log p_c]
//
// where α_c is p.ClassAlpha[c] if ClassAlpha is set, else p.Alpha (mmcv's
// convention: it multiplies every row), or 1 if p.Alpha < 0; the row's
// weight r.Weight[n], if Weight is set, multiplies loss and gradient. A row
// with a negative label is ignored: loss 0, gradient 0. Every kernel forms
// 1-p_c as the sum of the other classes' probabilities and log p_c as
// -log1p(Σ_{j≠c} e^(x_j - x_c)) where c is the row's maximum (else as
// (x_c - m) - log Σ e^(x_j - m), m the maximum: terms of one sign), so
// neither cancels when the model is right and confident; K's two terms have
// one sign. Best is held to the loss within 4 ULP and every gradient
// component within 8·eps of its value (see SoftmaxBarOf), float32 and
// float64.
//
// Special cases:
//   - γ = 0: the α_c-weighted softmax cross-entropy, -α_c·log p_c, with
//     gradient α_c·(p_j - δ_jc); (1-p_c)^0 = 1 even where p_c = 1.
//   - p_c → 1 (1-p_c below the float type's range): the loss and the
//     gradient go to 0 as (1-p_c)^(γ+1) and (1-p_c)^γ·(1-p_c); they are 0
//     once that underflows, never NaN.
//   - C = 1: p_c = 1, loss 0 and gradient 0.
//   - ±Inf logits: the row is shifted by its maximum m with x_j - m taken
//     as 0 where x_j = m, so logits of +Inf count as equal (the limit as
//     they grow together) and a row of -Inf logits as uniform. A finite
//     logit in a row with a +Inf one has p_j = 0. x_c = -Inf, or a finite
//     x_c in a row with a +Inf logit, gives loss +Inf, and a finite
//     gradient with K = -α_c (p_c·log p_c → 0).
//   - NaN: a NaN logit makes the row's loss and every gradient component
//     of the row NaN.
//   - α_c·weight = 0: loss 0 and gradient 0, even where FL is +Inf (unless
//     the row holds a NaN).
//
// It returns an error, and writes nothing, if p is out of its domain (see
// Params.Validate; p.Smoothing must be 0: the softmax form takes no label
// smoothing), r.C < 1, len(r.X) is not len(r.Labels)·C, a label is C or
// more, r.Weight is neither nil nor one per row or holds a weight that is
// NaN, infinite or negative, len(p.ClassAlpha) is neither 0 nor C, or loss
// or grad has the wrong length. The errors wrap ErrParams, ErrLength and
// ErrTarget.
func SoftmaxLossGrad[F Float](loss, grad []F, r Rows[F], p Params) error {
	if err := checkRows(softmaxRows, r, p, loss, true, grad, true); err != nil {
		return err
	}
	if is32[F]() {
		best32.f32.softmax.lossGrad(as[float32](loss), as[float32](grad), toImplRows[float32](r), toImplParams(p))
	} else {
		best64.f64.softmax.lossGrad(as[float64](loss), as[float64](grad), toImplRows[float64](r), toImplParams(p))
	}
	return nil
}

// SoftmaxLoss writes the softmax focal loss of each row of r into dst (one
// value per row; 0 for an ignored row), with Best. The loss and its special
// cases are SoftmaxLossGrad's, and so are the errors (dst must have one
// element per row); on error nothing is written.
func SoftmaxLoss[F Float](dst []F, r Rows[F], p Params) error {
	if err := checkRows(softmaxRows, r, p, dst, false, nil, false); err != nil {
		return err
	}
	if is32[F]() {
		best32.f32.softmax.loss(as[float32](dst), toImplRows[float32](r), toImplParams(p))
	} else {
		best64.f64.softmax.loss(as[float64](dst), toImplRows[float64](r), toImplParams(p))
	}
	return nil
}

// SoftmaxSum returns the sum of the softmax focal loss over the rows of r,
// with Best, and the number of rows not ignored (the mean over them is
// sum/rows; 0 rows give sum 0). The errors are SoftmaxLossGrad's.
func SoftmaxSum[F Float](r Rows[F], p Params) (sum float64, rows int, err error) {
	if err := checkRows[F](softmaxRows, r, p, nil, true, nil, false); err != nil {
		return 0, 0, err
	}
	if is32[F]() {
		sum, rows = best32.f32.softmax.sum(toImplRows[float32](r), toImplParams(p))
	} else {
		sum, rows = best64.f64.softmax.sum(toImplRows[float64](r), toImplParams(p))
	}
	return sum, rows, nil
}
