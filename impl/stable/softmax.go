package stable

import "github.com/focalkernels/focal/impl/internal/softmax"

// The softmax focal loss, FL = -α_c (1-p_c)^γ log p_c with p = softmax of a
// row, over N rows of C logits (Rows), by impl/internal/softmax's algorithm:
// 1-p_c as the sum of the other classes' terms, log p_c without a
// difference that cancels, the exps and sums in double-double, and q^γ with
// γ multiplying only log q's own error, about 1e-19. float32 computes in
// float64 and rounds once. Measured against a math/big reference on random
// rows of every kind (right and wrong by any margin, shifted, near-uniform,
// ties, logits of ±1e4 and the whole range; C from 1 to 1000; γ to 5;
// weights, α and ClassAlpha): float64 loss 0 ULP and gradient components
// within 1·eps of their values; float32 within 1 ULP and 0·eps (see
// impl/internal/softmax's tests); the module's tests assert the softmax
// bar (loss ≤ 4 ULP, gradient within 8·eps) on the golden rows.
//
// Preconditions, not checked: len(r.X) = N·C with N = len(r.Labels) and
// C ≥ 1; each label < C (a negative label ignores the row: loss and
// gradient 0); r.Weight nil or N finite weights ≥ 0; p.ClassAlpha nil or C
// values in [0, 1]; α ≤ 1; γ ≥ 0 and finite; dst and loss of length N (loss
// may be nil in SoftmaxLossGrad), grad of length N·C. The functions never
// allocate and are safe for concurrent use on distinct outputs.

// SoftmaxLoss32 writes each row's loss into dst.
func SoftmaxLoss32(dst []float32, r Rows[float32], p Params) { softmax.Loss(dst, r, p) }

// SoftmaxLoss64 is SoftmaxLoss32 for float64.
func SoftmaxLoss64(dst []float64, r Rows[float64], p Params) { softmax.Loss(dst, r, p) }

// SoftmaxSum32 returns the sum of the rows' losses, each unrounded, with
// compensated summation, and the number of rows not ignored.
func SoftmaxSum32(r Rows[float32], p Params) (sum float64, rows int) { return softmax.Sum(r, p) }

// SoftmaxSum64 is SoftmaxSum32 for float64.
func SoftmaxSum64(r Rows[float64], p Params) (sum float64, rows int) { return softmax.Sum(r, p) }

// SoftmaxLossGrad32 writes each row's loss (unless loss is nil) and its
// gradient with respect to the row's logits.
func SoftmaxLossGrad32(loss, grad []float32, r Rows[float32], p Params) {
	softmax.LossGrad(loss, grad, r, p)
}

// SoftmaxLossGrad64 is SoftmaxLossGrad32 for float64.
func SoftmaxLossGrad64(loss, grad []float64, r Rows[float64], p Params) {
	softmax.LossGrad(loss, grad, r, p)
}
