package focal

// Rows is a detector's classification output: N rows (anchors, points,
// queries) of C logits, row-major, with one class label per row. It is the
// input of the sigmoid rows form (LossRows, SumRows, LossGradRows: one
// binary problem per class, as RetinaNet, FCOS, mmdet and detectron2 train)
// and of the softmax form (SoftmaxLoss, SoftmaxSum, SoftmaxLossGrad: one
// categorical problem per row). Neither builds an N×C target matrix.
type Rows[F Float] struct {
	X      []F     // N·C logits, row-major
	Labels []int32 // N labels: 0 ≤ l < C the row's class; l == C background (all C targets 0; sigmoid only); l < 0 ignored
	C      int     // classes, ≥ 1
	Weight []F     // nil, N (one per row) or N·C (one per element; sigmoid only); finite, ≥ 0; multiplies loss and gradient
}

// RowsKernel is a kernel's sigmoid rows form. Every kernel that Kernels
// returns implements it. Like Kernel's, its methods do not validate: r and
// the outputs must be as the checked functions (LossRows, SumRows,
// LossGradRows) require, and p must pass Validate with len(p.ClassAlpha) 0
// or r.C.
type RowsKernel[F Float] interface {
	Name() string
	LossRows(dst []F, r Rows[F], p Params)
	SumRows(r Rows[F], p Params) (sum float64, positives int)
	LossGradRows(loss, grad []F, r Rows[F], p Params)
}

// SoftmaxKernel is a kernel's softmax form. Every kernel that Kernels
// returns implements it; its methods do not validate (see RowsKernel).
type SoftmaxKernel[F Float] interface {
	Name() string
	SoftmaxLoss(dst []F, r Rows[F], p Params)
	SoftmaxSum(r Rows[F], p Params) (sum float64, rows int)
	SoftmaxLossGrad(loss, grad []F, r Rows[F], p Params)
}
