//go:build purego || !(amd64 || arm64)

package asm

import "github.com/focalkernels/focal/impl/internal/model"

// Without the assembly (-tags purego, or an architecture it has no kernels
// for) only the scalar levels exist: Generic and PureGo.
var levelNames = []string{"generic", "purego"}

// Needs returns the CPU features level l needs: none, for a scalar level.
func (l Level) Needs() []string { return nil }

func cpuLevel() Level { return PureGo }

func simdLoss(l Level, dst, x, t []float32, p *model.Params32) bool { panic("unreachable") }

func simdSum(l Level, x, t []float32, p *model.Params32) (float64, bool) { panic("unreachable") }

func simdLossGrad(l Level, loss, grad, x, t []float32, p *model.Params32) bool {
	panic("unreachable")
}

func simdFirstBad32(l Level, t []float32) int { panic("unreachable") }

func simdFirstBad64(l Level, t []float64) int { panic("unreachable") }

func simdLoss64(l Level, dst, x, t []float64, p *model.Params64) bool { panic("unreachable") }

func simdSum64(l Level, x, t []float64, p *model.Params64) float64 { panic("unreachable") }

func simdLossGrad64(l Level, loss, grad, x, t []float64, p *model.Params64) bool {
	panic("unreachable")
}
