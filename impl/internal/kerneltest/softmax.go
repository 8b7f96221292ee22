package kerneltest

import (
	"math"
	"math/rand/v2"
)

// SoftmaxCs are the class counts the softmax form's tests draw from: the
// ones heads have (a binary head, three classes, VOC's 21, COCO's 80, ImageNet's
// 1000), one, and counts that leave every remainder of a vector's lanes.
var SoftmaxCs = []int{1, 2, 3, 21, 80, 1000, 5, 7, 9, 15, 16, 17, 31, 33}

// SoftmaxKinds name the rows SoftmaxRow draws.
var SoftmaxKinds = []string{"random", "right", "wrong", "shifted", "large", "uniform", "extreme", "ties"}

// SoftmaxRow returns a row of c logits and its label, of kind SoftmaxKinds[kind]:
//
//	random   N(0, σ²), σ ∈ {1, 4, 20}
//	right    the label's logit above the others by a margin that puts
//	         1-p_c anywhere from 1 down to past the float type's smallest
//	         number (1e-30 and far below)
//	wrong    another class above the label's by such a margin
//	shifted  a random or right row plus ±1e4, ±1e6 or ±3e7
//	large    logits uniform in ±1e4
//	uniform  every logit a constant plus a relative perturbation of 1e-6
//	         or a few units of the last place
//	extreme  logits from the whole finite range: ±MaxFloat, subnormals, ±0
//	ties     several classes at the maximum, the label among them or not
func SoftmaxRow[F Float](rng *rand.Rand, c, kind int) (x []F, label int) {
	x = make([]F, c)
	label = rng.IntN(c)
	span := 110.0 // where e^-margin underflows float32, and beyond
	if !Is32[F]() {
		span = 760
	}
	margin := func() float64 {
		if rng.IntN(8) == 0 {
			return float64(span * (1 + float64(4*rng.Float64())))
		}
		return span * rng.Float64()
	}
	normal := func(s float64) {
		for j := range x {
			x[j] = F(rng.NormFloat64() * s)
		}
	}
	top := func() F {
		m := F(math.Inf(-1))
		for j, v := range x {
			if j != label {
				m = max(m, v)
			}
		}
		return m
	}
	switch SoftmaxKinds[kind] {
	case "random":
		normal([]float64{1, 4, 20}[rng.IntN(3)])
	case "right":
		normal(1)
		if c > 1 {
			x[label] = F(float64(top()) + margin())
		}
	case "wrong":
		normal(1)
		if c > 1 {
			j := (label + 1 + rng.IntN(c-1)) % c
			x[j] = F(float64(x[label]) + margin())
		}
	case "shifted":
		normal(2)
		if c > 1 && rng.IntN(2) == 0 {
			x[label] = F(float64(top()) + float64(margin()/4))
		}
		shift := float64([]float64{1e4, 1e6, 3e7}[rng.IntN(3)] * float64(1-2*rng.IntN(2)))
		for j := range x {
			x[j] = F(float64(x[j]) + shift)
		}
	case "large":
		for j := range x {
			x[j] = F(float64((float64(rng.Float64()) - 0.5) * 2e4))
		}
	case "uniform":
		base := F(rng.NormFloat64() * 10)
		for j := range x {
			if rng.IntN(2) == 0 {
				x[j] = base * F(1+float64(1e-6*rng.NormFloat64()))
			} else {
				x[j] = base
				for range rng.IntN(4) {
					x[j] = nextAfter(x[j], rng.IntN(2) == 0)
				}
			}
		}
	case "extreme":
		maxF := math.MaxFloat64
		tiny := 0x1p-1074
		if Is32[F]() {
			maxF, tiny = math.MaxFloat32, 0x1p-149
		}
		for j := range x {
			s := float64(1 - 2*rng.IntN(2))
			switch rng.IntN(5) {
			case 0:
				x[j] = F(float64(s*maxF) * (1 - float64(rng.Float64()*1e-3)))
			case 1:
				x[j] = F(s * tiny * float64(1+rng.IntN(1000)))
			case 2:
				x[j] = F(math.Copysign(0, s))
			case 3:
				x[j] = F(s * math.Exp2(float64(rng.Float64()*200)-100))
			default:
				x[j] = F(s * maxF)
			}
		}
	case "ties":
		normal(3)
		m := x[rng.IntN(c)]
		for j := range x {
			if rng.IntN(3) == 0 {
				x[j] = m
			}
			x[j] = min(x[j], m)
		}
	}
	return x, label
}

// nextAfter steps v one float of its type up or down.
func nextAfter[F Float](v F, up bool) F {
	dir := math.Inf(1)
	if !up {
		dir = math.Inf(-1)
	}
	if Is32[F]() {
		return F(math.Nextafter32(float32(v), float32(dir)))
	}
	return F(math.Nextafter(float64(v), dir))
}
