//go:build goexperiment.simd && amd64 && !purego

package archsimd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/focalkernels/focal/impl/asm"
)

// TestAgreeAsm32: every level here gives impl/asm's Generic results bit for
// bit on every element (loss from Loss32 and LossGrad32, gradient with and
// without the loss), with every target pattern, γ mode and α (0 and 1
// included, where α_t can be 0), and Sum32 within 1e-6 of asm's: the float32
// lanes are impl/asm's algorithm, hard and general form and what they leave
// to float64 alike. (The package copies that code rather than import it;
// only this test imports impl/asm.)
func TestAgreeAsm32(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	n := 997
	if testing.Short() {
		n = 203
	}
	for _, l := range testLevels() {
		name := "archsimd-" + l.String()
		var diffs, flaggedLoss, flaggedGrad int
		for pattern := range nPatterns {
			for _, gamma := range append(gammas, 7) { // 7: wide, every element in float64
				for _, alpha := range []float64{0.25, -1, 0, 1} {
					what := fmt.Sprintf("%s pattern=%d γ=%v α=%v", name, pattern, gamma, alpha)
					x, tt := inputs[float32](rng, n, pattern)
					want, wantG, wantG2, wantL := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
					asm.Generic.LossGrad32(want, wantG, x, tt, alpha, gamma)
					asm.Generic.LossGrad32(nil, wantG2, x, tt, alpha, gamma)
					asm.Generic.Loss32(wantL, x, tt, alpha, gamma)
					loss, grad, grad2, lossL := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
					l.LossGrad32(loss, grad, x, tt, alpha, gamma)
					l.LossGrad32(nil, grad2, x, tt, alpha, gamma)
					l.Loss32(lossL, x, tt, alpha, gamma)
					p := mkParams32(alpha, gamma)
					for i := range n {
						if tt[i] != 0 && tt[i] != 1 && !p.wide {
							_, _, okL, okG := elemGen32(x[i], tt[i], &p, true)
							flaggedLoss += map[bool]int{false: 1}[okL]
							flaggedGrad += map[bool]int{false: 1}[okG]
						}
						if !same(loss[i], want[i]) && !(loss[i] != loss[i] && want[i] != want[i]) ||
							!same(grad[i], wantG[i]) && !(grad[i] != grad[i] && wantG[i] != wantG[i]) ||
							!same(grad2[i], wantG2[i]) && !(grad2[i] != grad2[i] && wantG2[i] != wantG2[i]) ||
							!same(lossL[i], wantL[i]) && !(lossL[i] != lossL[i] && wantL[i] != wantL[i]) {
							if diffs++; diffs <= 10 {
								t.Errorf("%s x=%v t=%v: loss %v grad %v (nil loss %v) Loss %v; asm %v %v (%v) %v",
									what, x[i], tt[i], loss[i], grad[i], grad2[i], lossL[i], want[i], wantG[i], wantG2[i], wantL[i])
							}
						}
					}
					s, ws := l.Sum32(x, tt, alpha, gamma), asm.Generic.Sum32(x, tt, alpha, gamma)
					if !(math.Abs(s-ws) <= 1e-6*math.Abs(ws)) && !(s == ws) && !(s != s && ws != ws) {
						t.Errorf("%s: Sum %v, asm's %v", what, s, ws)
					}
				}
			}
		}
		// the inputs reach what the lanes leave to float64
		t.Logf("%s: %d flagged losses, %d flagged gradients", name, flaggedLoss, flaggedGrad)
		if flaggedLoss == 0 || flaggedGrad == 0 {
			t.Errorf("%s: no lane was left to float64 (%d losses, %d gradients)", name, flaggedLoss, flaggedGrad)
		}
		if diffs > 0 {
			t.Errorf("%s: %d elements differ from impl/asm's Generic", name, diffs)
		}
	}
}
