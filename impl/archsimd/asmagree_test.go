//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/asm"
	"github.com/focalkernels/focal/impl/internal/kerneltest"
	"github.com/focalkernels/focal/impl/internal/model"
	"github.com/focalkernels/focal/impl/internal/rows"
)

func TestAgreeAsm32(t *testing.T) { testAgreeAsm[float32](t) }
func TestAgreeAsm64(t *testing.T) { testAgreeAsm[float64](t) }

// testAgreeAsm: every level here gives impl/asm's Generic results bit for
// bit on every element (loss from Loss and LossGrad, gradient with and
// without the loss), with every target pattern, γ mode and α (0 and 1
// included, where α_t can be 0), and Sum within kerneltest.SumRel of asm's: the lanes are impl/asm's algorithm (impl/internal/model),
// hard and general form and what they leave to the scalar paths alike.
func testAgreeAsm[F kerneltest.Float](t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	n := 997
	if testing.Short() {
		n = 203
	}
	ref := kerneltest.Generic[F](kerneltest.NewFamily("asm", asm.AllLevels(), asm.Levels()))
	for _, k := range kerneltest.Kernels[F](family, family.Levels()) {
		var diffs, flaggedLoss, flaggedGrad int
		for pattern := range kerneltest.NPatterns {
			for _, gamma := range append(kerneltest.Gammas, 7) { // 7: wide, every element in float64
				for _, alpha := range []float64{0.25, -1, 0, 1} {
					what := fmt.Sprintf("%s %s pattern=%d γ=%v α=%v", k.Name, kerneltest.TypeName[F](), pattern, gamma, alpha)
					x, tt := kerneltest.Inputs[F](rng, n, pattern)
					want, wantG, wantG2, wantL := make([]F, n), make([]F, n), make([]F, n), make([]F, n)
					ref.LossGrad(want, wantG, x, tt, alpha, gamma)
					ref.LossGrad(nil, wantG2, x, tt, alpha, gamma)
					ref.Loss(wantL, x, tt, alpha, gamma)
					loss, grad, grad2, lossL := make([]F, n), make([]F, n), make([]F, n), make([]F, n)
					k.LossGrad(loss, grad, x, tt, alpha, gamma)
					k.LossGrad(nil, grad2, x, tt, alpha, gamma)
					k.Loss(lossL, x, tt, alpha, gamma)
					for i := range n {
						if okL, okG := flagged(x[i], tt[i], alpha, gamma); !okL || !okG {
							flaggedLoss += map[bool]int{false: 1}[okL]
							flaggedGrad += map[bool]int{false: 1}[okG]
						}
						if !kerneltest.Same(loss[i], want[i]) || !kerneltest.Same(grad[i], wantG[i]) ||
							!kerneltest.Same(grad2[i], wantG2[i]) || !kerneltest.Same(lossL[i], wantL[i]) {
							if diffs++; diffs <= 10 {
								t.Errorf("%s x=%v t=%v: loss %v grad %v (nil loss %v) Loss %v; asm %v %v (%v) %v",
									what, x[i], tt[i], loss[i], grad[i], grad2[i], lossL[i], want[i], wantG[i], wantG2[i], wantL[i])
							}
						}
					}
					s, ws := k.Sum(x, tt, alpha, gamma), ref.Sum(x, tt, alpha, gamma)
					if !kerneltest.CloseSum(s, ws, kerneltest.SumRel[F]()) {
						t.Errorf("%s: Sum %v, asm's %v", what, s, ws)
					}
				}
			}
		}
		// the inputs reach what the lanes leave to the scalar paths (a
		// float64 loss is left to it only at degenerate inputs, rarer)
		t.Logf("%s: %d flagged losses, %d flagged gradients", k.Name, flaggedLoss, flaggedGrad)
		if flaggedGrad == 0 || kerneltest.Is32[F]() && flaggedLoss == 0 {
			t.Errorf("%s: no lane was left to the scalar paths (%d losses, %d gradients)", k.Name, flaggedLoss, flaggedGrad)
		}
		if diffs > 0 {
			t.Errorf("%s: %d elements differ from impl/asm's Generic", k.Name, diffs)
		}
	}
}

// flagged reports whether the soft body computes an element's loss and
// gradient itself (true) or leaves them to the scalar float64 path: at
// γ = 2 the two-valued body, which leaves the targets below rows.TwoMin,
// at other γ the general form.
func flagged[F kerneltest.Float](x, t F, alpha, gamma float64) (okLoss, okGrad bool) {
	if t == 0 || t == 1 {
		return true, true
	}
	if kerneltest.Is32[F]() {
		p := model.NewParams32(alpha, gamma)
		if p.Wide {
			return true, true
		}
		if p.Mode == model.Mode2 {
			ok := !(min(float32(t), 1-float32(t)) < rows.TwoMin[float32]())
			return ok, ok
		}
		_, _, okLoss, okGrad = model.ElemGen32(float32(x), float32(t), &p, true)
		return okLoss, okGrad
	}
	p := model.NewParams64(alpha, gamma)
	if p.Wide {
		return true, true
	}
	if p.Mode == model.Mode2 {
		ok := !(min(float64(t), 1-float64(t)) < rows.TwoMin[float64]())
		return ok, ok
	}
	_, _, okLoss, okGrad = model.ElemGen64(float64(x), float64(t), &p, true)
	return okLoss, okGrad
}
