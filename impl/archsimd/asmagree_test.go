//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/asm"
	"github.com/focalkernels/focal/impl/internal/model"
)

func TestAgreeAsm32(t *testing.T) { testAgreeAsm[float32](t) }
func TestAgreeAsm64(t *testing.T) { testAgreeAsm[float64](t) }

// asmFns is impl/asm's Generic level for element type F.
func asmFns[F float]() fns[F] {
	var f any
	if is32[F]() {
		f = fns[float32]{"asm-generic", asm.Generic.Loss32, asm.Generic.Sum32, asm.Generic.LossGrad32}
	} else {
		f = fns[float64]{"asm-generic", asm.Generic.Loss64, asm.Generic.Sum64, asm.Generic.LossGrad64}
	}
	return f.(fns[F])
}

// testAgreeAsm: every level here gives impl/asm's Generic results bit for
// bit on every element (loss from Loss and LossGrad, gradient with and
// without the loss), with every target pattern, γ mode and α (0 and 1
// included, where α_t can be 0), and Sum within 1e-6 (float32) or 1e-12
// (float64) of asm's: the lanes are impl/asm's algorithm (impl/internal/model),
// hard and general form and what they leave to the scalar paths alike.
func testAgreeAsm[F float](t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	n := 997
	if testing.Short() {
		n = 203
	}
	sumRel := 1e-6
	if !is32[F]() {
		sumRel = 1e-12
	}
	ref := asmFns[F]()
	for _, l := range testLevels() {
		k := levelFns[F](l)
		var diffs, flaggedLoss, flaggedGrad int
		for pattern := range nPatterns {
			for _, gamma := range append(gammas, 7) { // 7: wide, every element in float64
				for _, alpha := range []float64{0.25, -1, 0, 1} {
					what := fmt.Sprintf("%s pattern=%d γ=%v α=%v", k.name, pattern, gamma, alpha)
					x, tt := inputs[F](rng, n, pattern)
					want, wantG, wantG2, wantL := make([]F, n), make([]F, n), make([]F, n), make([]F, n)
					ref.lossGrad(want, wantG, x, tt, alpha, gamma)
					ref.lossGrad(nil, wantG2, x, tt, alpha, gamma)
					ref.loss(wantL, x, tt, alpha, gamma)
					loss, grad, grad2, lossL := make([]F, n), make([]F, n), make([]F, n), make([]F, n)
					k.lossGrad(loss, grad, x, tt, alpha, gamma)
					k.lossGrad(nil, grad2, x, tt, alpha, gamma)
					k.loss(lossL, x, tt, alpha, gamma)
					for i := range n {
						if okL, okG := flagged(x[i], tt[i], alpha, gamma); !okL || !okG {
							flaggedLoss += map[bool]int{false: 1}[okL]
							flaggedGrad += map[bool]int{false: 1}[okG]
						}
						if dist(loss[i], want[i]) != 0 || dist(grad[i], wantG[i]) != 0 ||
							dist(grad2[i], wantG2[i]) != 0 || dist(lossL[i], wantL[i]) != 0 {
							if diffs++; diffs <= 10 {
								t.Errorf("%s x=%v t=%v: loss %v grad %v (nil loss %v) Loss %v; asm %v %v (%v) %v",
									what, x[i], tt[i], loss[i], grad[i], grad2[i], lossL[i], want[i], wantG[i], wantG2[i], wantL[i])
							}
						}
					}
					s, ws := k.sum(x, tt, alpha, gamma), ref.sum(x, tt, alpha, gamma)
					if !(math.Abs(s-ws) <= sumRel*math.Abs(ws)) && !(s == ws) && !(s != s && ws != ws) {
						t.Errorf("%s: Sum %v, asm's %v", what, s, ws)
					}
				}
			}
		}
		// the inputs reach what the lanes leave to the scalar paths (a
		// float64 loss is left to it only at degenerate inputs, rarer)
		t.Logf("%s: %d flagged losses, %d flagged gradients", k.name, flaggedLoss, flaggedGrad)
		if flaggedGrad == 0 || is32[F]() && flaggedLoss == 0 {
			t.Errorf("%s: no lane was left to the scalar paths (%d losses, %d gradients)", k.name, flaggedLoss, flaggedGrad)
		}
		if diffs > 0 {
			t.Errorf("%s: %d elements differ from impl/asm's Generic", k.name, diffs)
		}
	}
}

// flagged reports whether the general form computes an element's loss and
// gradient itself (true) or leaves them to the scalar float64 path.
func flagged[F float](x, t F, alpha, gamma float64) (okLoss, okGrad bool) {
	if t == 0 || t == 1 {
		return true, true
	}
	if is32[F]() {
		p := model.NewParams32(alpha, gamma)
		if p.Wide {
			return true, true
		}
		_, _, okLoss, okGrad = model.ElemGen32(float32(x), float32(t), &p, true)
		return okLoss, okGrad
	}
	p := model.NewParams64(alpha, gamma)
	if p.Wide {
		return true, true
	}
	_, _, okLoss, okGrad = model.ElemGen64(float64(x), float64(t), &p, true)
	return okLoss, okGrad
}
