package fast

import (
	"math"

	"github.com/focalkernels/focal/impl/internal/dd"
)

// Weight is a class weight: α_t = Pos for a positive (t = 1), Neg for a
// negative (t = 0) and Pos·t + Neg·(1-t) between, each held as a float64
// and the rounding error of forming it, so that the float64 loss does not
// carry the rounding of 1-α or of a scaling. It is a few float64s, cheap to
// make per element (NewWeight is one TwoSum, Scale two TwoProds).
type Weight struct {
	pos, posLo float64
	neg, negLo float64
	tiny       bool // a positive weight below wideWeight: Elem64 takes ref's path
}

// wideWeight bounds the weights the float64 kernel takes itself: α_t·q^γ
// formed below 2^-1022 loses the exact error of its product (the subnormal
// range), yet the loss α_t·q^γ·CE can be a normal float64 for CE up to
// MaxFloat64. Below it an element takes impl/internal/ref's algorithm.
const wideWeight = 0x1p-900

// NewWeight returns the weight of α: α for positives and 1-α for negatives,
// or 1 for both when α < 0 (weighting off). α ≤ 1.
func NewWeight(alpha float64) Weight {
	if alpha < 0 {
		return Weight{pos: 1, neg: 1}
	}
	s := dd.TwoSum(1, -alpha)
	return mark(Weight{pos: alpha, neg: s.Hi, negLo: s.Lo})
}

// Scale returns the weight times v (a per-row or per-element weight, finite
// and ≥ 0), the products' rounding errors kept.
func (w Weight) Scale(v float64) Weight {
	p := float64(w.pos * v)
	n := float64(w.neg * v)
	return mark(Weight{
		pos: p, posLo: math.FMA(w.pos, v, -p) + float64(w.posLo*v),
		neg: n, negLo: math.FMA(w.neg, v, -n) + float64(w.negLo*v),
	})
}

func mark(w Weight) Weight {
	w.tiny = w.pos > 0 && w.pos < wideWeight || w.neg > 0 && w.neg < wideWeight
	return w
}

// At returns α_t for target t in float64, rounded (the float32 kernel's
// weight, and the one impl/internal/ref is given): as ref.AlphaT computes
// it from α, and exactly the weight where both are one (weighting off).
func (w *Weight) At(t float64) float64 {
	switch {
	case t == 1 || w.pos == w.neg:
		return w.pos
	case t == 0:
		return w.neg
	}
	return float64(w.pos*t) + float64(w.neg*(1-t))
}

// Modes of the modulating factor q^γ.
const (
	mode0   = iota // γ = 0: q^γ = 1
	mode1          // γ = 1: q
	mode2          // γ = 2: q·q
	modeGen        // any other γ: exp(γ·log q)
)

// Gamma is γ as the kernels use it: its mode and which paths it takes.
type Gamma struct {
	g      float64
	mode   uint8
	wide32 bool // the float32 kernel takes ref's path (γ > Wide32)
	wide64 bool // the float64 kernel takes ref's path (γ > Wide64)
}

// Wide32 and Wide64 bound the γ the kernels compute themselves; a larger γ
// takes impl/internal/ref's float64 algorithm for every element (scalar
// speed, within 1 ULP in float32 and 4 in float64 at any γ). The float32
// kernel's error does not grow with γ up to Wide32 (its log is float64);
// above it q^(γ-1)·γ·CE can overflow where the product does not. The float64
// kernel keeps γ ≤ 5, the golden vectors' range and the range its bars are
// tested over against a math/big reference.
const (
	Wide32 = 1024
	Wide64 = 5
)

// NewGamma returns the description of γ (finite, ≥ 0).
func NewGamma(gamma float64) Gamma {
	g := Gamma{g: gamma, mode: modeGen, wide32: !(gamma <= Wide32), wide64: !(gamma <= Wide64)}
	switch gamma {
	case 0:
		g.mode = mode0
	case 1:
		g.mode = mode1
	case 2:
		g.mode = mode2
	}
	return g
}

// bandHook, if set, is called for each element whose σ(x) - t is formed
// again by dd.SigmaMinus (the band where the kernels' own is not exact
// enough): a test counts them.
var bandHook func()
