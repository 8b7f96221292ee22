package asm

import "github.com/focalkernels/focal/impl/internal/model"

// The softmax focal loss over N rows of C logits (Rows), with the
// preconditions and results of impl/stable's softmax functions (the
// accuracy: see the package's tests), by impl/internal/model's row loop:
// per row the level's lanes reduce the row (its maximum in the row's own
// lanes, then the exps in float64 lanes, scaled by 2^64 or 2^512, summed
// with the label's lane apart; the last vector masked), the epilogue
// computes the loss and the gradient's factors (float32 rows eight at a
// time in the level's lanes, softmaxEpi32<ISA>, as model.SoftmaxEpiLanes32
// and bit for bit with it; float64 rows in scalar Go every level shares), and
// for LossGrad the lanes scale the exps they stored into the gradient in a
// second pass over the row while it is in L1. Generic is the lanes'
// scalar model (model.SoftmaxReduce32, …, with 8 lanes); the vector levels
// agree with it bit for bit at their own width (2, 4 or 8 float64 lanes:
// TestSoftmaxAgree). The rows the epilogue does not take (weights far from
// 1, float64 rows with γ above 5) are computed by impl/internal/softmax's
// scalar algorithm. Calling a level that is not usable panics, as for the
// flat functions.

// SoftmaxLoss32 writes each row's loss into dst, at the best level.
func SoftmaxLoss32(dst []float32, r Rows[float32], p Params) { usable.SoftmaxLoss32(dst, r, p) }

// SoftmaxLoss64 is SoftmaxLoss32 for float64.
func SoftmaxLoss64(dst []float64, r Rows[float64], p Params) { usable.SoftmaxLoss64(dst, r, p) }

// SoftmaxSum32 returns the sum of the rows' losses and the number of rows
// not ignored, at the best level.
func SoftmaxSum32(r Rows[float32], p Params) (sum float64, rows int) {
	return usable.SoftmaxSum32(r, p)
}

// SoftmaxSum64 is SoftmaxSum32 for float64.
func SoftmaxSum64(r Rows[float64], p Params) (sum float64, rows int) {
	return usable.SoftmaxSum64(r, p)
}

// SoftmaxLossGrad32 writes each row's loss (unless loss is nil) and its
// gradient, at the best level.
func SoftmaxLossGrad32(loss, grad []float32, r Rows[float32], p Params) {
	usable.SoftmaxLossGrad32(loss, grad, r, p)
}

// SoftmaxLossGrad64 is SoftmaxLossGrad32 for float64.
func SoftmaxLossGrad64(loss, grad []float64, r Rows[float64], p Params) {
	usable.SoftmaxLossGrad64(loss, grad, r, p)
}

// SoftmaxLoss32 is the package's SoftmaxLoss32 at level l.
func (l Level) SoftmaxLoss32(dst []float32, r Rows[float32], p Params) {
	l.check()
	model.SoftmaxLoss32(dst, r, p, softmaxLanes32(l))
}

// SoftmaxLoss64 is the package's SoftmaxLoss64 at level l.
func (l Level) SoftmaxLoss64(dst []float64, r Rows[float64], p Params) {
	l.check()
	model.SoftmaxLoss64(dst, r, p, softmaxLanes64(l))
}

// SoftmaxSum32 is the package's SoftmaxSum32 at level l.
func (l Level) SoftmaxSum32(r Rows[float32], p Params) (sum float64, rows int) {
	l.check()
	return model.SoftmaxSum32(r, p, softmaxLanes32(l))
}

// SoftmaxSum64 is the package's SoftmaxSum64 at level l.
func (l Level) SoftmaxSum64(r Rows[float64], p Params) (sum float64, rows int) {
	l.check()
	return model.SoftmaxSum64(r, p, softmaxLanes64(l))
}

// SoftmaxLossGrad32 is the package's SoftmaxLossGrad32 at level l.
func (l Level) SoftmaxLossGrad32(loss, grad []float32, r Rows[float32], p Params) {
	l.check()
	model.SoftmaxLossGrad32(loss, grad, r, p, softmaxLanes32(l))
}

// SoftmaxLossGrad64 is the package's SoftmaxLossGrad64 at level l.
func (l Level) SoftmaxLossGrad64(loss, grad []float64, r Rows[float64], p Params) {
	l.check()
	model.SoftmaxLossGrad64(loss, grad, r, p, softmaxLanes64(l))
}
