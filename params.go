package focal

import (
	"errors"
	"fmt"
	"math"
)

// Params are the focal loss parameters.
//
// Alpha weights the positives (t = 1) and 1-Alpha the negatives; it must be in
// [0, 1], or negative to turn class weighting off (α_t = 1). Gamma is the
// focusing exponent, finite and ≥ 0; Gamma = 0 gives α-weighted binary cross-entropy.
// RetinaNet's defaults are Alpha = 0.25, Gamma = 2.
//
// ClassAlpha and Smoothing belong to the rows forms (see Rows), where a
// target comes from a class label: ClassAlpha, if not nil, holds class c's α
// (len C, each in [0, 1]), which replaces Alpha for the elements (sigmoid) or
// rows (softmax) of class c; Smoothing ε in [0, 1) makes the sigmoid rows
// form's targets 1-ε/2 and ε/2 instead of 1 and 0, as Keras'
// label_smoothing does. The flat functions (Loss, Sum, Mean, LossGrad) take
// their targets as given: they return an error if either is set.
type Params struct {
	Alpha, Gamma float64
	ClassAlpha   []float64
	Smoothing    float64
}

// Errors returned by the checked functions wrap one of these, so a caller can
// tell them apart with errors.Is; the message says what and where.
var (
	ErrParams = errors.New("focal: bad parameters")
	ErrLength = errors.New("focal: length mismatch")
	ErrTarget = errors.New("focal: bad target")
)

// Validate reports whether p is in the domain: Alpha not NaN and at most 1,
// Gamma finite and not negative, each ClassAlpha in [0, 1], Smoothing in
// [0, 1). (ClassAlpha's length is checked against the classes by the rows
// forms.)
func (p Params) Validate() error {
	if math.IsNaN(p.Alpha) || p.Alpha > 1 {
		return fmt.Errorf("%w: alpha = %v: want 0 ≤ alpha ≤ 1, or alpha < 0 to turn weighting off", ErrParams, p.Alpha)
	}
	if math.IsNaN(p.Gamma) || math.IsInf(p.Gamma, 0) || p.Gamma < 0 {
		return fmt.Errorf("%w: gamma = %v: want a finite gamma ≥ 0", ErrParams, p.Gamma)
	}
	for c, a := range p.ClassAlpha {
		if !(a >= 0 && a <= 1) {
			return fmt.Errorf("%w: class_alpha[%d] = %v: want 0 ≤ α ≤ 1", ErrParams, c, a)
		}
	}
	if !(p.Smoothing >= 0 && p.Smoothing < 1) {
		return fmt.Errorf("%w: smoothing = %v: want 0 ≤ smoothing < 1", ErrParams, p.Smoothing)
	}
	return nil
}

// validateFlat is Validate for the flat functions, which take their targets
// as given: ClassAlpha and Smoothing, which need class labels, are errors.
func (p Params) validateFlat() error {
	if err := p.Validate(); err != nil {
		return err
	}
	if p.ClassAlpha != nil {
		return fmt.Errorf("%w: class_alpha is set: it applies to the rows forms (LossRows, SumRows, LossGradRows, SoftmaxLoss, …), where targets come from labels", ErrParams)
	}
	if p.Smoothing != 0 {
		return fmt.Errorf("%w: smoothing = %v: it applies to the sigmoid rows form (LossRows, SumRows, LossGradRows); smooth flat targets by passing them", ErrParams, p.Smoothing)
	}
	return nil
}

// checkLen reports a slice whose length differs from len(x).
func checkLen(name string, n, nx int) error {
	if n != nx {
		return fmt.Errorf("%w: len(%s) = %d, len(x) = %d", ErrLength, name, n, nx)
	}
	return nil
}

// checkTargets reports the first target that is NaN or outside [0, 1].
func checkTargets[F Float](t []F) error {
	if i := firstBadTarget(t); i >= 0 {
		return fmt.Errorf("%w: t[%d] = %v: want 0 ≤ t ≤ 1", ErrTarget, i, t[i])
	}
	return nil
}

// check validates everything a checked function reads before it writes.
func check[F Float](x, t []F, p Params, outs ...output[F]) error {
	if err := p.validateFlat(); err != nil {
		return err
	}
	if err := checkLen("t", len(t), len(x)); err != nil {
		return err
	}
	for _, o := range outs {
		if o.optional && o.s == nil {
			continue
		}
		if err := checkLen(o.name, len(o.s), len(x)); err != nil {
			return err
		}
	}
	return checkTargets(t)
}

type output[F Float] struct {
	name     string
	s        []F
	optional bool
}
