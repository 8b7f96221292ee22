package stable

import "math"

// neumaier is Neumaier's compensated sum: the rounding error of each addition
// is carried in c, so the error does not grow with the number of terms.
type neumaier struct{ s, c float64 }

func (n *neumaier) add(v float64) {
	t := n.s + v
	if math.Abs(n.s) >= math.Abs(v) {
		n.c += (n.s - t) + v
	} else {
		n.c += (v - t) + n.s
	}
	n.s = t
}

func (n *neumaier) sum() float64 {
	if math.IsInf(n.s, 0) || n.s != n.s {
		return n.s
	}
	return n.s + n.c
}
