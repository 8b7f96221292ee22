package kit

import (
	"fmt"
	"strings"
)

// Case is one generated input: logits X and targets T (float64 values that are
// exactly representable in the element type under test), the parameters, the
// offset of the slices inside larger backing arrays, and a split point in
// [0, len(X)] for the concatenation property.
type Case struct {
	X, T         []float64
	Alpha, Gamma float64
	Off          int
	Split        int
}

func (c Case) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "{α=%v γ=%v n=%d off=%d split=%d", c.Alpha, c.Gamma, len(c.X), c.Off, c.Split)
	for i := range c.X {
		fmt.Fprintf(&b, " (x=%v t=%v)", c.X[i], c.T[i])
	}
	b.WriteString("}")
	return b.String()
}

func (c Case) clone() Case {
	c.X = append([]float64(nil), c.X...)
	c.T = append([]float64(nil), c.T...)
	return c
}
