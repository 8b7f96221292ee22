package ulp

import "math"

// RelErr returns |g - ref| / (eps·max(|ref|, floor)): the relative error of
// g in units of eps, with ref's magnitude taken as at least floor (the
// smallest normal number of the element type), so that a ref that is 0 or
// subnormal is held to an absolute error of eps·floor, the spacing of the
// subnormals. It is 0 where g equals ref (NaN equal to NaN, an infinity to
// itself), +Inf where exactly one is NaN or where they differ otherwise and
// one is infinite. The softmax form's gradient is held to this (a product of
// terms of one sign: there is no cancellation to measure against).
func RelErr(g, ref, eps, floor float64) float64 {
	if g == ref || (g != g && ref != ref) {
		return 0
	}
	if g != g || ref != ref || math.IsInf(g, 0) || math.IsInf(ref, 0) {
		return math.Inf(1)
	}
	return math.Abs(float64(g)-float64(ref)) / (eps * math.Max(math.Abs(ref), floor))
}

// MinNormal32 and MinNormal64 are the smallest normal numbers, RelErr's floors.
const (
	MinNormal32 = 0x1p-126
	MinNormal64 = 0x1p-1022
)
