package model

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/csum"
	"github.com/focalkernels/focal/impl/internal/rows"
)

// The glue between a vector kernel and the model: the lanes a kernel leaves
// to the scalar paths, redone here, so that every kernel family shares one
// copy of it. A kernel reports a lane it could not hold to the bars as NaN
// (its flag); FixSoft32 and FixSoft64 recompute those, FixZeroWeight32 and
// FixZeroWeight64 the lanes where α_t = 0 meets CE = +Inf.

// ZeroWeight reports whether α_t can be 0 (α = 0 or 1).
func (p *Params32) ZeroWeight() bool { return p.A1 == 0 || p.A0 == 0 }

// FixZeroWeight32 redoes with the generic code the hard-target elements at
// x = ±Inf when α_t can be 0: there the assembly computes α_t·CE = 0·(+Inf) =
// NaN where the loss is 0. Only calls with α = 0 or 1 pay for this scan.
func FixZeroWeight32(loss, grad, x, t []float32, p *Params32) {
	fixZeroWeight(loss, grad, x, t, func(x, t float32) (float32, float32) { return ElemHard32(x, t, p) })
}

// FixSoft32 recomputes in float64 (ElemSoft32) the lanes a kernel left to it:
// the soft-target elements whose gradient (or, with grad nil, loss) is NaN,
// and their loss where it is NaN. A flagged lane's inputs are never NaN (the
// flags are comparisons, false on NaN); an element whose input is NaN keeps
// the kernel's NaN, so that Loss32 and LossGrad32 give it the same bits.
func FixSoft32(loss, grad, x, t []float32, p *Params32) {
	fixSoft(loss, grad, x, t, func(x, t float32) (float32, float32) { return ElemSoft32(x, t, p) })
}

// FixZeroWeight64 is FixZeroWeight32 for float64.
func FixZeroWeight64(loss, grad, x, t []float64, p *Params64) {
	fixZeroWeight(loss, grad, x, t, func(x, t float64) (float64, float64) { return ElemHard64(x, t, p) })
}

// FixSoft64 is FixSoft32 for float64: the lanes left to the scalar path.
func FixSoft64(loss, grad, x, t []float64, p *Params64) {
	fixSoft(loss, grad, x, t, func(x, t float64) (float64, float64) { return ElemRef64(x, t, p) })
}

// fixZeroWeight is FixZeroWeight32 and 64 with their element: the scan is
// inline, the element called only for the elements it redoes.
func fixZeroWeight[F float32 | float64](loss, grad, x, t []F, elem func(x, t F) (F, F)) {
	t = t[:len(x)]
	for i, xv := range x {
		if !math.IsInf(float64(xv), 0) || !(t[i] == 0 || t[i] == 1) {
			continue
		}
		lv, gv := elem(xv, t[i])
		if loss != nil {
			loss[i] = lv
		}
		if grad != nil {
			grad[i] = gv
		}
	}
}

// fixSoft is FixSoft32 and 64 with their element (see fixZeroWeight).
func fixSoft[F float32 | float64](loss, grad, x, t []F, elem func(x, t F) (F, F)) {
	t = t[:len(x)]
	out := loss
	if grad != nil {
		out = grad[:len(x)]
	}
	for i, v := range out[:len(x)] {
		if v == v || t[i] == 0 || t[i] == 1 || t[i] != t[i] || x[i] != x[i] {
			continue
		}
		l, g := elem(x[i], t[i])
		if grad != nil {
			grad[i] = g
		}
		if loss != nil && loss[i] != loss[i] {
			loss[i] = l
		}
	}
}

func Elem64(x, t float64, p *Params64) (loss, grad float64) {
	if p.Mode == Mode2 && !p.Wide && t != 0 && t != 1 {
		if min(t, 1-t) < rows.TwoMin[float64]() {
			return ElemRef64(x, t, p)
		}
		return ElemTwoFlat64(x, t, p)
	}
	return ElemGeneral64(x, t, p)
}

// ElemGeneral64 is ElemGeneral32 in float64.
func ElemGeneral64(x, t float64, p *Params64) (loss, grad float64) {
	if t == 0 || t == 1 {
		if p.Wide {
			return ElemRef64(x, t, p)
		}
		return ElemHard64(x, t, p)
	}
	if p.Wide {
		return ElemRef64(x, t, p)
	}
	loss, grad, okLoss, okGrad := ElemGen64(x, t, p, true)
	if !okGrad {
		l64, g64 := ElemRef64(x, t, p)
		grad = g64
		if !okLoss {
			loss = l64
		}
	}
	return loss, grad
}

func ElemLoss64(x, t float64, p *Params64) float64 {
	if p.Mode == Mode2 && !p.Wide && t != 0 && t != 1 {
		l, _ := Elem64(x, t, p)
		return l
	}
	return ElemGeneralLoss64(x, t, p)
}

// ElemGeneralLoss64 is ElemGeneralLoss32 in float64.
func ElemGeneralLoss64(x, t float64, p *Params64) float64 {
	if t == 0 || t == 1 || p.Wide {
		l, _ := ElemGeneral64(x, t, p)
		return l
	}
	loss, _, ok, _ := ElemGen64(x, t, p, false)
	if !ok {
		loss, _ = ElemRef64(x, t, p)
	}
	return loss
}

func Loss64(dst, x, t []float64, p *Params64) {
	t = t[:len(x)]
	dst = dst[:len(x)]
	for i := range x {
		dst[i] = ElemLoss64(x[i], t[i], p)
	}
}

func Sum64(x, t []float64, p *Params64) float64 {
	t = t[:len(x)]
	var s csum.Sum
	for i := range x {
		s.Add(ElemLoss64(x[i], t[i], p))
	}
	return s.Value()
}

func LossGrad64(loss, grad, x, t []float64, p *Params64) {
	t = t[:len(x)]
	grad = grad[:len(x)]
	if loss == nil {
		for i := range x {
			_, grad[i] = Elem64(x[i], t[i], p)
		}
		return
	}
	loss = loss[:len(x)]
	for i := range x {
		loss[i], grad[i] = Elem64(x[i], t[i], p)
	}
}
