// Package csum is compensated summation in float64: each addition's rounding
// error (TwoSum, Knuth) is carried beside the sum, as the vector kernels'
// lanes carry it, so that the error does not grow with the number of terms.
// The sum of n terms is within about 2·2^-53·Σ|v| + 2^-53·|sum| of the exact
// sum, for any n.
package csum

// Sum is a running compensated sum; the zero value is the empty sum.
type Sum struct{ s, c float64 }

// Of returns a running sum that starts at s.
func Of(s float64) Sum { return Sum{s: s} }

// Add adds v.
func (a *Sum) Add(v float64) {
	s := a.s + v
	bb := s - a.s
	a.c += (a.s - (s - bb)) + (v - bb)
	a.s = s
}

// Value returns the sum: s + c, or s as it is where s is infinite or NaN
// (where c would be NaN).
func (a *Sum) Value() float64 {
	if a.s-a.s != 0 {
		return a.s
	}
	return a.s + a.c
}
