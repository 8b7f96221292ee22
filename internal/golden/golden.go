// Package golden embeds the reference values of the sigmoid focal loss and its
// gradient: mpmath's exact values and torchvision's own outputs (see README.md),
// and reads the embedded tables, its own and golden/softmax's (csv.go).
package golden

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
)

//go:embed focal_golden.csv
var csvText string

// Row is one golden vector. The Ref fields are exact values rounded to float64;
// the TV fields are what torchvision 0.14 and torch 1.13 returned.
type Row struct {
	X, T, Alpha, Gamma float64 // inputs; X and T are float32-representable
	RefLoss, RefGrad   float64 // the truth
	RefGradScale       float64 // size of the gradient's two terms, for a cancellation-aware error
	TV32Loss, TV32Grad float64 // torchvision in float32
	TV64Loss, TV64Grad float64 // torchvision in float64
}

var columns = []string{"x", "t", "alpha", "gamma", "ref_loss", "ref_grad", "ref_grad_scale",
	"tv32_loss", "tv32_grad", "tv64_loss", "tv64_grad"}

var load = Lazy("golden: ", func() ([]Row, error) { return parse(csvText) })

// Rows returns the golden rows in file order. The slice is shared: do not modify it.
// It panics if the embedded file is malformed, which a test rules out.
func Rows() []Row { return load() }

func parse(text string) ([]Row, error) {
	return ParseCSV(text, strings.Join(columns, ","), func(line int, f []string) (Row, error) {
		if len(f) != len(columns) {
			return Row{}, fmt.Errorf("line %d: %d fields, want %d", line, len(f), len(columns))
		}
		var v [11]float64
		for j, s := range f {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return Row{}, fmt.Errorf("line %d, column %s: %v", line, columns[j], err)
			}
			v[j] = x
		}
		return Row{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]}, nil
	})
}
