// Package softmax embeds the softmax focal loss's golden rows: exact values
// from mpmath and what torch's autograd returns on the same rows (see
// README.md; gen.py writes softmax_golden.csv).
package softmax

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"

	"github.com/focalkernels/focal/internal/golden"
)

//go:embed softmax_golden.csv
var csvText string

// Row is one golden row: its inputs, the truth rounded to float32 and to
// float64 (each from the decimal mpmath wrote, so rounded once), and torch's
// outputs.
type Row struct {
	C, Label   int
	Alpha      float64   // Params.Alpha (< 0: weighting off)
	Gamma      float64   // γ
	Weight     float64   // the row's weight
	ClassAlpha []float64 // nil, or Params.ClassAlpha (C values)
	X          []float32 // C logits

	Loss32 float32   // the truth rounded to float32
	Grad32 []float32 // likewise, per logit
	Loss64 float64   // the truth rounded to float64
	Grad64 []float64

	Torch32Loss float32 // torch's autograd in float32
	Torch32Grad []float32
	Torch64Loss float64 // and in float64
	Torch64Grad []float64
}

// AlphaC is the row's α_c: ClassAlpha[Label], or Alpha, or 1 if Alpha < 0.
func (r Row) AlphaC() float64 {
	switch {
	case r.ClassAlpha != nil:
		return r.ClassAlpha[r.Label]
	case r.Alpha < 0:
		return 1
	}
	return r.Alpha
}

var columns = "c,label,alpha,gamma,weight,class_alpha,x,ref_loss,ref_grad,t32_loss,t32_grad,t64_loss,t64_grad"

var load = golden.Lazy("golden/softmax: ", func() ([]Row, error) {
	return golden.ParseCSV(csvText, columns, func(line int, f []string) (Row, error) {
		r, err := parseRow(f)
		if err != nil {
			return r, fmt.Errorf("line %d: %v", line, err)
		}
		return r, nil
	})
})

// Rows returns the golden rows in file order. The slice is shared: do not
// modify it. It panics if the embedded file is malformed, which a test
// rules out.
func Rows() []Row { return load() }

func parseRow(f []string) (Row, error) {
	var r Row
	if len(f) != 13 {
		return r, fmt.Errorf("%d fields, want 13", len(f))
	}
	var err error
	num := func(s string, bits int) float64 {
		v, e := strconv.ParseFloat(s, bits)
		if e != nil && !isRange(e) && err == nil {
			err = e
		}
		return v
	}
	vec64 := func(s string) []float64 {
		var v []float64
		for _, w := range strings.Fields(s) {
			v = append(v, num(w, 64))
		}
		return v
	}
	vec32 := func(s string) []float32 {
		var v []float32
		for _, w := range strings.Fields(s) {
			v = append(v, float32(num(w, 32)))
		}
		return v
	}
	c, e1 := strconv.Atoi(f[0])
	l, e2 := strconv.Atoi(f[1])
	if e1 != nil || e2 != nil {
		return r, fmt.Errorf("c %q, label %q", f[0], f[1])
	}
	r.C, r.Label = c, l
	r.Alpha, r.Gamma, r.Weight = num(f[2], 64), num(f[3], 64), num(f[4], 64)
	if f[5] != "" {
		r.ClassAlpha = vec64(f[5])
	}
	r.X = vec32(f[6])
	r.Loss32, r.Loss64 = float32(num(f[7], 32)), num(f[7], 64)
	r.Grad32, r.Grad64 = vec32(f[8]), vec64(f[8])
	r.Torch32Loss, r.Torch32Grad = float32(num(f[9], 32)), vec32(f[10])
	r.Torch64Loss, r.Torch64Grad = num(f[11], 64), vec64(f[12])
	if err != nil {
		return r, err
	}
	for _, n := range []int{len(r.X), len(r.Grad64), len(r.Torch32Grad), len(r.Torch64Grad)} {
		if n != c {
			return r, fmt.Errorf("a vector of %d values, want C = %d", n, c)
		}
	}
	if r.ClassAlpha != nil && len(r.ClassAlpha) != c || l < 0 || l >= c {
		return r, fmt.Errorf("label %d or class_alpha of %d for C = %d", l, len(r.ClassAlpha), c)
	}
	return r, nil
}

// isRange reports a value past the type's range, which ParseFloat rounds
// to ±Inf as the truth does (the loss of a row can overflow float32).
func isRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// X64 returns the row's logits as float64.
func (r Row) X64() []float64 {
	x := make([]float64, len(r.X))
	for j, v := range r.X {
		x[j] = float64(v)
	}
	return x
}
