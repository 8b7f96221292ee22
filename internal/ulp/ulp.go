// Package ulp measures floating-point error: the distance between two floats in
// units in the last place, and the cancellation-aware error of a gradient.
package ulp

import "math"

// Dist32 returns the number of float32 values from a to b, counting -0 and +0
// as one value. It is 0 when both are NaN, and math.MaxUint64 when exactly one is.
// ±Inf are one step beyond ±MaxFloat32.
func Dist32(a, b float32) uint64 {
	if a != a || b != b {
		if a != a && b != b {
			return 0
		}
		return math.MaxUint64
	}
	d := order32(a) - order32(b)
	if d < 0 {
		d = -d
	}
	return uint64(d)
}

// Dist64 is Dist32 for float64. A distance that does not fit is math.MaxUint64.
func Dist64(a, b float64) uint64 {
	if a != a || b != b {
		if a != a && b != b {
			return 0
		}
		return math.MaxUint64
	}
	oa, ob := order64(a), order64(b)
	if (oa < 0) != (ob < 0) { // opposite signs: the sum of magnitudes may overflow int64
		ma, mb := uint64(abs64(oa)), uint64(abs64(ob))
		if ma > math.MaxUint64-mb {
			return math.MaxUint64
		}
		return ma + mb
	}
	d := oa - ob
	if d < 0 {
		d = -d
	}
	return uint64(d)
}

// order32 and order64 map a float to an integer so that adjacent floats are
// adjacent integers.
func order32(f float32) int64 { return order(uint64(math.Float32bits(f)), 31) }

func order64(f float64) int64 { return order(math.Float64bits(f), 63) }

// order reads the sign-magnitude bits b, sign at bit sign, as an integer.
func order(b uint64, sign uint) int64 {
	m := int64(b &^ (1 << sign))
	if b>>sign != 0 {
		return -m
	}
	return m
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// Eps32 and Eps64 are the unit roundoffs ×2 (machine epsilon) used to scale
// gradient errors: 2^-23 and 2^-52.
const (
	Eps32 = 0x1p-23
	Eps64 = 0x1p-52
)

// GradErr returns |g-ref| / (scale·eps): the error of a gradient measured against
// the size of the terms whose sum it is, so that cancellation between the terms
// of a soft-target gradient is not charged to the kernel. When scale is 0 it is
// 0 if g equals ref and +Inf otherwise. A NaN g gives +Inf; when g and ref are
// the same infinity it is 0.
func GradErr(g, ref, scale, eps float64) float64 {
	if g == ref {
		return 0
	}
	if g != g || scale == 0 {
		return math.Inf(1)
	}
	// float64(…) rounds a product the caller passed (an inlined at·s, say)
	// before the difference, where Go could otherwise fuse it (arm64 does).
	return math.Abs(float64(g)-float64(ref)) / (scale * eps)
}

// GradScale is |α_t|(|γ-term| + |(1-p_t)^γ(σ(x)-t)|) in float64: the size of
// the gradient's two terms, which can cancel, the scale of GradErr (as the
// golden rows' ref_grad_scale) where no row gives it.
func GradScale(x, t, alpha, gamma float64) float64 {
	s, sn := 1/(1+math.Exp(-x)), 1/(1+math.Exp(x))
	at := 1.0
	if alpha >= 0 {
		at = float64(alpha*t) + float64((1-alpha)*(1-t))
	}
	sp := func(v float64) float64 { return math.Max(v, 0) + math.Log1p(math.Exp(-math.Abs(v))) }
	ce := float64(t*sp(-x)) + float64((1-t)*sp(x))
	q := float64(t*sn) + float64((1-t)*s)
	mod, dmod := 1.0, 0.0
	if gamma != 0 {
		mod, dmod = math.Pow(q, gamma), gamma*math.Pow(q, gamma-1)
	}
	return math.Abs(at) * (math.Abs(float64(dmod*(1-2*t)*s*sn*ce)) + math.Abs(float64(mod*(s-t))))
}
