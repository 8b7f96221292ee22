package fast

import "math"

// Branchless selects. Which of two values an element takes often depends
// on a sign that is random from one element to the next (of x, of z): as a
// branch it is mispredicted half the time, which costs more than the rest
// of a hard target's last step. These pick by a mask instead, in integer
// registers.

// sel returns a where mask is all ones and b where it is 0.
func sel(mask uint64, a, b float64) float64 {
	return math.Float64frombits(math.Float64bits(a)&mask | math.Float64bits(b)&^mask)
}

// swap returns a, b where mask is 0 and b, a where it is all ones: two
// selects by one mask, sharing their work.
func swap(mask uint64, a, b float64) (float64, float64) {
	ab, bb := math.Float64bits(a), math.Float64bits(b)
	d := (ab ^ bb) & mask
	return math.Float64frombits(ab ^ d), math.Float64frombits(bb ^ d)
}

// signMask returns all ones if v's sign bit is set (v < 0, or -0), else 0.
func signMask(v float64) uint64 { return uint64(int64(math.Float64bits(v)) >> 63) }

// above returns all ones if v > c, else 0.
func above(v, c float64) uint64 {
	var m uint64
	if v > c {
		m = ^uint64(0)
	}
	return m
}
