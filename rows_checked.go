package focal

// The checked entry points of the sigmoid rows form, on Best[F]().
//
// Element (n, c) of r is the focal loss of r.X[n·C+c] against the target 1
// if r.Labels[n] == c and 0 otherwise; with p.Smoothing = ε > 0 the targets
// are 1-ε/2 and ε/2 instead (Keras' label_smoothing), computed in float64
// and rounded to F. Its α is p.ClassAlpha[c] if ClassAlpha is set, else
// p.Alpha (α < 0 turns the weighting off). The element's loss and gradient
// are those of the flat form (Loss, LossGrad) on that target, rounded to F,
// then multiplied in F by the element's weight: r.Weight[n] (one per row),
// r.Weight[n·C+c] (one per element), or 1 if Weight is nil. A weight of 0
// gives 0, even where the loss is +Inf (x = ±Inf) or NaN. A row with a
// negative label is ignored: its loss and gradient are 0 and it adds nothing
// to a sum. A label equal to C is background: all C targets are 0 (ε/2).
//
// Bad input (see the list in checkRows: C < 1, len(X) ≠ N·C, a label above
// C, a weight of the wrong length or not finite and ≥ 0, ClassAlpha of the
// wrong length or outside [0, 1], Smoothing outside [0, 1), an output of the
// wrong length) returns an error wrapping ErrLength, ErrTarget or ErrParams
// that says what and where, and nothing is written.

// LossRows writes the loss of each element of r into dst (len N·C), 0 in
// ignored rows, with Best.
func LossRows[F Float](dst []F, r Rows[F], p Params) error {
	if err := checkRows(sigmoidRows, r, p, dst, false, nil, false); err != nil {
		return err
	}
	if is32[F]() {
		ir, ip := toImpl[float32](r, p)
		best32.f32.rows.loss(as[float32](dst), ir, ip)
	} else {
		ir, ip := toImpl[float64](r, p)
		best64.f64.rows.loss(as[float64](dst), ir, ip)
	}
	return nil
}

// SumRows returns the sum of the losses of r, accumulated in float64, and
// positives, the number of rows with a class label (0 ≤ label < C). RetinaNet
// normalizes by the number of positive anchors: its loss is
// sum / max(positives, 1). mmdet's avg_factor is the general case: pass
// sum / avg_factor for whatever avg_factor the caller counts (positives,
// positives plus ignored, a batch-wide count). 0 for no rows.
func SumRows[F Float](r Rows[F], p Params) (sum float64, positives int, err error) {
	if err := checkRows(sigmoidRows, r, p, nil, true, nil, false); err != nil {
		return 0, 0, err
	}
	if is32[F]() {
		sum, positives = best32.f32.rows.sum(toImpl[float32](r, p))
	} else {
		sum, positives = best64.f64.rows.sum(toImpl[float64](r, p))
	}
	return sum, positives, nil
}

// LossGradRows writes the loss of each element of r into loss (unless loss
// is nil) and its derivative with respect to r.X into grad, 0 in ignored
// rows, with Best, in one pass.
func LossGradRows[F Float](loss, grad []F, r Rows[F], p Params) error {
	if err := checkRows(sigmoidRows, r, p, loss, true, grad, true); err != nil {
		return err
	}
	if is32[F]() {
		ir, ip := toImpl[float32](r, p)
		best32.f32.rows.lossGrad(as[float32](loss), as[float32](grad), ir, ip)
	} else {
		ir, ip := toImpl[float64](r, p)
		best64.f64.rows.lossGrad(as[float64](loss), as[float64](grad), ir, ip)
	}
	return nil
}
