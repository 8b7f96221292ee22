package kit

// The rows form's properties that vary one input against the same case:
// weights, class α, and the count of positive rows.

import (
	"fmt"
	"math"

	"github.com/focalkernels/focal"
)

// rowsWeights: doubling every weight doubles every result (exactly where
// the results are normal and finite); per-row weights give the bits of the
// same weights repeated per element; weights of 1 give the bits of none.
func rowsWeights[F focal.Float](k focal.RowsKernel[F], c RowsCase, bar focal.Bar) string {
	b := bitsOf[F]()
	loss, _, grad, msg := evalRows(k, c)
	if msg != "" {
		return msg
	}
	sum, _, msg := sumRowsOf(k, c)
	if msg != "" {
		return msg
	}
	d := c.clone()
	if d.W == nil {
		d.W = make([]float64, d.N())
		for i := range d.W {
			d.W[i] = 1
		}
		if m := sameBits(k, c, loss, grad, "without weights", d, "with weights of 1"); m != "" {
			return m
		}
	}
	for i := range d.W {
		d.W[i] *= 2
	}
	dl, _, dg, msg := evalRows(k, d)
	if msg != "" {
		return msg
	}
	exactSum := true
	for i := range loss {
		for _, v := range [][3]float64{{loss[i], dl[i], 1}, {grad[i], dg[i], 0}} {
			one, two := v[0], v[1]
			switch {
			case one != one:
				if two == two {
					return fmt.Sprintf("%s: %s: NaN with weight w, %v with 2w", k.Name(), c.elemStr(i, b), two)
				}
			case math.Abs(2*one) > maxFinite(b):
				if !math.IsInf(two, 0) && math.Abs(two) < maxFinite(b)*(1-4*eps(b)) {
					return fmt.Sprintf("%s: %s: %v with weight w, %v with 2w (want an overflow)", k.Name(), c.elemStr(i, b), one, two)
				}
				exactSum = false
			case math.Abs(one) < minNormal(b) || math.Abs(two) < minNormal(b):
				if math.Abs(two-2*one) > minNormal(b) {
					return fmt.Sprintf("%s: %s: %v with weight w, %v with 2w", k.Name(), c.elemStr(i, b), one, two)
				}
				exactSum = exactSum && one == 0 && two == 0
			case two != 2*one:
				return fmt.Sprintf("%s: %s: %v with weight w, %v with 2w: not exactly doubled", k.Name(), c.elemStr(i, b), one, two)
			}
		}
	}
	dsum, _, msg := sumRowsOf(k, d)
	if msg != "" {
		return msg
	}
	if exactSum && !same(dsum, 2*sum) && !(sum != sum && dsum != dsum) {
		return fmt.Sprintf("%s: SumRows %v with weights w, %v with 2w: not exactly doubled", k.Name(), sum, dsum)
	}
	if c.W != nil && len(c.W) == c.N() && c.C > 1 {
		e := c.clone()
		e.W = make([]float64, len(c.X))
		for i := range e.W {
			e.W[i] = c.W[i/c.C]
		}
		if m := sameBits(k, c, loss, grad, "with per-row weights", e, "with them per element"); m != "" {
			return m
		}
	}
	return ""
}

// rowsClassAlpha: ClassAlpha filled with α gives the results of α itself.
func rowsClassAlpha[F focal.Float](k focal.RowsKernel[F], c RowsCase, bar focal.Bar) string {
	if c.Alpha < 0 {
		c.Alpha = -c.Alpha / (1 - c.Alpha) // into [0, 1)
	}
	loss, _, grad, msg := evalRows(k, c)
	if msg != "" {
		return msg
	}
	d := c.clone()
	d.ClassAlpha = make([]float64, c.C)
	for i := range d.ClassAlpha {
		d.ClassAlpha[i] = c.Alpha
	}
	if m := sameBits(k, c, loss, grad, "with α", d, "with ClassAlpha all α"); m != "" {
		return m
	}
	s, _, _ := sumRowsOf(k, c)
	ds, _, _ := sumRowsOf(k, d)
	if !same(s, ds) {
		return fmt.Sprintf("%s: SumRows %v with α, %v with ClassAlpha all α", k.Name(), s, ds)
	}
	return ""
}

// rowsPositives: SumRows returns the number of rows with 0 ≤ label < C, the
// sum of LossRows's losses, and over a split of the rows the sums and counts
// of the parts.
func rowsPositives[F focal.Float](k focal.RowsKernel[F], c RowsCase, bar focal.Bar) string {
	b := bitsOf[F]()
	want := 0
	for _, l := range c.Labels {
		if l >= 0 && int(l) < c.C {
			want++
		}
	}
	sum, pos, msg := sumRowsOf(k, c)
	if msg != "" {
		return msg
	}
	if pos != want {
		return fmt.Sprintf("%s: SumRows counts %d positive rows, want %d", k.Name(), pos, want)
	}
	loss, _, _, msg := evalRows(k, c)
	if msg != "" {
		return msg
	}
	for i, x := range c.X {
		if _, _, _, ign := c.elem(i, b); !ign && !bar.InRange(x, c.Gamma) {
			return "" // the bar does not cover this case's sum
		}
	}
	total, abs := sumOfLosses(loss)
	bd := sumBound(bar, b, len(c.X), abs)
	if !sumClose(sum, total, bd) {
		return fmt.Sprintf("%s: SumRows %v, sum of LossRows %v: |diff| %.3g > bound %.3g", k.Name(), sum, total, math.Abs(sum-total), bd)
	}
	left := c.dropRows(func(n int) bool { return n >= c.Split })
	right := c.dropRows(func(n int) bool { return n < c.Split })
	right.Off = (c.Off + c.Split*c.C) % 16
	ls, lp, rs, rp, msg := sumRowsOfTwo(k, left, right)
	if msg != "" {
		return msg
	}
	if lp+rp != pos || !sumClose(sum, ls+rs, bd) {
		return fmt.Sprintf("%s: SumRows %v (%d positive), of rows [:%d] and [%d:] %v + %v (%d + %d positive)", k.Name(), sum, pos, c.Split, c.Split, ls, rs, lp, rp)
	}
	return ""
}
