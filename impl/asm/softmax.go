package asm

import "github.com/focalkernels/focal/impl/internal/softmax"

// The softmax focal loss over N rows of C logits (Rows), with the
// preconditions and results of impl/stable's softmax functions, which every
// level here still computes by impl/internal/softmax's scalar algorithm:
// the softmax form has no vector lanes yet, so these functions are as
// accurate as stable's and as slow. Calling a level that is not usable
// panics, as for the flat functions.

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
	softmax.Loss(dst, r, p)
}

// SoftmaxLoss64 is the package's SoftmaxLoss64 at level l.
func (l Level) SoftmaxLoss64(dst []float64, r Rows[float64], p Params) {
	l.check()
	softmax.Loss(dst, r, p)
}

// SoftmaxSum32 is the package's SoftmaxSum32 at level l.
func (l Level) SoftmaxSum32(r Rows[float32], p Params) (sum float64, rows int) {
	l.check()
	return softmax.Sum(r, p)
}

// SoftmaxSum64 is the package's SoftmaxSum64 at level l.
func (l Level) SoftmaxSum64(r Rows[float64], p Params) (sum float64, rows int) {
	l.check()
	return softmax.Sum(r, p)
}

// SoftmaxLossGrad32 is the package's SoftmaxLossGrad32 at level l.
func (l Level) SoftmaxLossGrad32(loss, grad []float32, r Rows[float32], p Params) {
	l.check()
	softmax.LossGrad(loss, grad, r, p)
}

// SoftmaxLossGrad64 is the package's SoftmaxLossGrad64 at level l.
func (l Level) SoftmaxLossGrad64(loss, grad []float64, r Rows[float64], p Params) {
	l.check()
	softmax.LossGrad(loss, grad, r, p)
}
