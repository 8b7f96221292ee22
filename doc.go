// Package focal computes the sigmoid focal loss of Lin et al., "Focal Loss for
// Dense Object Detection" (RetinaNet, ICCV 2017), and its gradient, with several
// kernels side by side and a checked API on the highest-ranked kernel that
// runs on this CPU (Best).
//
// Per element, with logit x, target t ∈ [0,1] (hard targets are 0 or 1; soft
// targets follow torchvision's definition), α and γ:
//
//	p      = σ(x) = 1/(1+e^-x)
//	CE     = -(t·log p + (1-t)·log(1-p)) = softplus(x) - x·t
//	1-p_t  = t·σ(-x) + (1-t)·σ(x)
//	α_t    = α·t + (1-α)·(1-t) if α ≥ 0;  1 if α < 0
//	FL     = α_t · (1-p_t)^γ · CE,  with (1-p_t)^0 = 1
//	dFL/dx = α_t · [γ·(1-p_t)^(γ-1)·(1-2t)·σ(x)σ(-x)·CE + (1-p_t)^γ·(σ(x)-t)]
//
// α weights the positives (t = 1), as in the paper and in
// torchvision.ops.sigmoid_focal_loss; α < 0 turns class weighting off.
//
// The checked functions Loss, Sum, Mean and LossGrad validate their input and
// run Best. Kernels lists every kernel that runs on this CPU, for comparison;
// its kernels' methods do not validate.
//
// The rows form takes a detector's classification head as it is (Rows: N
// rows of C logits and a class label per row, background and ignored rows,
// weights) with class α and label smoothing (Params.ClassAlpha,
// Params.Smoothing): LossRows, SumRows (which also counts the positive rows,
// RetinaNet's normalizer) and LossGradRows, checked, on Best; every kernel
// implements RowsKernel. See rows_checked.go for the element each computes.
//
// The softmax (categorical) focal loss, FL = -α_c (1-p_c)^γ log p_c with p
// the softmax of a row of C logits and c its class label, takes N rows at
// once (Rows): SoftmaxLoss, SoftmaxSum and SoftmaxLossGrad, with the
// gradient K·(δ_jc - p_j); see SoftmaxLossGrad for the formulas and the
// special cases. Every kernel also implements SoftmaxKernel.
package focal
