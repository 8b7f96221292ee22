package model

import "github.com/focalkernels/focal/impl/internal/rows"

// The float32 element by its target and parameters (hard, general or
// float64), and the Generic level's loops over it.

// Elem32 returns the loss and gradient of one element: a hard target by
// ElemHard32, a soft one at γ = 2 by the two-valued body (ElemTwoFlat32;
// in float64 below its least target),
// at other γ by ElemGen32 with the lanes it leaves redone by ElemSoft32,
// and either in float64 where p is Wide.
func Elem32(x, t float32, p *Params32) (loss, grad float32) {
	if p.Mode == Mode2 && !p.Wide && t != 0 && t != 1 {
		if twoTiny32(t) {
			return ElemSoft32(x, t, p)
		}
		return ElemTwoFlat32(x, t, p)
	}
	return ElemGeneral32(x, t, p)
}

// twoTiny32 reports whether soft target t is below the two-valued body's
// least (rows.TwoMin): the lanes flag it, and it is computed in float64.
func twoTiny32(t float32) bool { return min(t, 1-t) < rows.TwoMin[float32]() }

// ElemGeneral32 is Elem32 with the general body for a soft target at every
// γ: the rows form's smoothed elements where they do not take the
// two-valued body of their own (rows.TwoValue).
func ElemGeneral32(x, t float32, p *Params32) (loss, grad float32) {
	if t == 0 || t == 1 {
		if p.Wide {
			return ElemWide32(x, t, p)
		}
		return ElemHard32(x, t, p)
	}
	if p.Wide {
		return ElemSoft32(x, t, p)
	}
	loss, grad, okLoss, okGrad := ElemGen32(x, t, p, true)
	if !okGrad {
		l64, g64 := ElemSoft32(x, t, p)
		grad = g64
		if !okLoss {
			loss = l64
		}
	}
	return loss, grad
}

// ElemLoss32 is Elem32's loss alone.
func ElemLoss32(x, t float32, p *Params32) float32 {
	if p.Mode == Mode2 && !p.Wide && t != 0 && t != 1 {
		l, _ := Elem32(x, t, p)
		return l
	}
	return ElemGeneralLoss32(x, t, p)
}

// ElemGeneralLoss32 is ElemGeneral32's loss alone.
func ElemGeneralLoss32(x, t float32, p *Params32) float32 {
	if t == 0 || t == 1 || p.Wide {
		l, _ := ElemGeneral32(x, t, p)
		return l
	}
	loss, _, ok, _ := ElemGen32(x, t, p, false)
	if !ok {
		loss, _ = ElemSoft32(x, t, p)
	}
	return loss
}

func Loss32(dst, x, t []float32, p *Params32) {
	t = t[:len(x)]
	dst = dst[:len(x)]
	for i := range x {
		dst[i] = ElemLoss32(x[i], t[i], p)
	}
}

func Sum32(x, t []float32, p *Params32) float64 {
	t = t[:len(x)]
	var s float64
	for i := range x {
		s += float64(ElemLoss32(x[i], t[i], p))
	}
	return s
}

func LossGrad32(loss, grad, x, t []float32, p *Params32) {
	t = t[:len(x)]
	grad = grad[:len(x)]
	if loss == nil {
		for i := range x {
			_, grad[i] = Elem32(x[i], t[i], p)
		}
		return
	}
	loss = loss[:len(x)]
	for i := range x {
		loss[i], grad[i] = Elem32(x[i], t[i], p)
	}
}
