// Package golden embeds the reference values of the sigmoid focal loss and its
// gradient: mpmath's exact values and torchvision's own outputs (see README.md).
package golden

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
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

var (
	once sync.Once
	rows []Row
	err  error
)

// Rows returns the golden rows in file order. The slice is shared: do not modify it.
// It panics if the embedded file is malformed, which a test rules out.
func Rows() []Row {
	once.Do(func() { rows, err = parse(csvText) })
	if err != nil {
		panic("golden: " + err.Error())
	}
	return rows
}

func parse(text string) ([]Row, error) {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	var out []Row
	header := false
	for i, line := range lines {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ",")
		if !header {
			if strings.Join(f, ",") != strings.Join(columns, ",") {
				return nil, fmt.Errorf("line %d: header %q, want %q", i+1, line, strings.Join(columns, ","))
			}
			header = true
			continue
		}
		if len(f) != len(columns) {
			return nil, fmt.Errorf("line %d: %d fields, want %d", i+1, len(f), len(columns))
		}
		var v [11]float64
		for j, s := range f {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, fmt.Errorf("line %d, column %s: %v", i+1, columns[j], err)
			}
			v[j] = x
		}
		out = append(out, Row{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]})
	}
	if !header {
		return nil, fmt.Errorf("no header line")
	}
	return out, nil
}
