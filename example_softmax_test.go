package focal_test

import (
	"fmt"

	"github.com/focalkernels/focal"
)

func ExampleSoftmaxLossGrad() {
	// Three rows of a 3-class head: right, wrong, and right by a margin that
	// puts 1-p_c near 1.4e-12, which 1 - p_c as a float32 difference
	// rounds to 0 (a textbook loss would be 0 there, its gradient too).
	r := focal.Rows[float32]{
		X:      []float32{2, 0.5, -1, 2, 0.5, -1, 28, 0, 0},
		Labels: []int32{0, 2, 0},
		C:      3,
	}
	p := focal.Params{Alpha: 0.25, Gamma: 2}
	loss := make([]float32, 3)
	grad := make([]float32, 9)
	if err := focal.SoftmaxLossGrad(loss, grad, r, p); err != nil {
		panic(err)
	}
	for n := range 3 {
		fmt.Printf("loss %.6g grad %.6g\n", loss[n], grad[3*n:3*n+3])
	}
	sum, rows, _ := focal.SoftmaxSum(r, p)
	fmt.Printf("mean %.6g over %d rows\n", sum/float64(rows), rows)

	// A label of C is an error (the background is one of the C classes).
	fmt.Println(focal.SoftmaxLoss(loss, focal.Rows[float32]{X: r.X, Labels: []int32{0, 3, 1}, C: 3}, p))
	// Output:
	// loss 0.00277319 grad [-0.00682117 0.00557681 0.00124436]
	// loss 0.748179 grad [0.229186 0.0511383 -0.280324]
	// loss 6.6114e-37 grad [-1.98342e-36 9.9171e-37 9.9171e-37]
	// mean 0.250318 over 3 rows
	// focal: bad target: labels[1] = 3: want a class 0 ≤ l < C = 3, or l < 0 to ignore the row
}
