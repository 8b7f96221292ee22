package softmax

import "math"

// Round returns v rounded once to E: v.V·2^-v.K to nearest, ties to even,
// with v.V.Lo deciding where v.V.Hi lies exactly halfway between two
// neighbours of E (a subnormal float64 or any float32), as it would where
// the rounding of Hi alone differs from the rounding of Hi+Lo.
func Round[E float](v Scaled) E {
	h := math.Ldexp(v.V.Hi, -v.K) // exact unless below 2^-1022
	l := math.Ldexp(v.V.Lo, -v.K)
	if is32[E]() {
		f := float32(h)
		r := h - float64(f) // exact: f is h's nearest float32
		if r == 0 || l == 0 || math.IsInf(h, 0) {
			return E(f)
		}
		g := math.Nextafter32(f, float32(math.Copysign(math.Inf(1), r)))
		if float64(g)-h == r && (l > 0) == (r > 0) {
			f = g // h is halfway, and h+l is on g's side
		}
		return E(f)
	}
	if v.K == 0 || math.Abs(h) >= 0x1p-1022 || v.V.Lo == 0 {
		return E(h)
	}
	// Ldexp rounded Hi to the subnormal grid: the same test on Hi's scale
	r := v.V.Hi - math.Ldexp(h, v.K)
	if r == 0 {
		return E(h)
	}
	g := math.Nextafter(h, math.Copysign(math.Inf(1), r))
	if math.Ldexp(g, v.K)-v.V.Hi == r && (v.V.Lo > 0) == (r > 0) {
		h = g
	}
	return E(h)
}

func is32[E float]() bool { return E(1)+E(0x1p-30) == 1 }
