package mykernel

import (
	"math"

	"github.com/focalkernels/focal"
)

// Snippet ports the focal loss that many projects copied from one PyTorch
// snippet: the class weights are built as torch.tensor([α, 1-α]) and gathered
// with the target, so α goes to the negatives (t = 0) and 1-α to the
// positives, the reverse of the paper and of torchvision. Everything else is
// computed in float64, with softplus for the logarithms, then rounded.
type Snippet struct{}

func (Snippet) Name() string { return "snippet" }

func softplus(v float64) float64 { return math.Max(v, 0) + math.Log1p(math.Exp(-math.Abs(v))) }

func (Snippet) elem(x32, t32 float32, p focal.Params) (loss, grad float32) {
	x, t := float64(x32), float64(t32)
	at := 1.0
	if p.Alpha >= 0 {
		at = p.Alpha*(1-t) + (1-p.Alpha)*t // alpha.gather(0, target)
	}
	sig, nsig := 1/(1+math.Exp(-x)), 1/(1+math.Exp(x))
	ce := t*softplus(-x) + (1-t)*softplus(x)
	q := t*nsig + (1-t)*sig // 1 - p_t
	mod, dmod := 1.0, 0.0
	if p.Gamma != 0 {
		mod = math.Pow(q, p.Gamma)
		dmod = p.Gamma * math.Pow(q, p.Gamma-1)
	}
	return float32(at * mod * ce), float32(at * (dmod*(1-2*t)*sig*nsig*ce + mod*(sig-t)))
}

func (k Snippet) Loss(dst, x, t []float32, p focal.Params) { lossOf(k.elem, dst, x, t, p) }

func (k Snippet) Sum(x, t []float32, p focal.Params) float64 { return sumOf(k.elem, x, t, p) }

func (k Snippet) LossGrad(loss, grad, x, t []float32, p focal.Params) {
	lossGradOf(k.elem, loss, grad, x, t, p)
}
