package focal_test

import (
	"fmt"

	"github.com/focalkernels/focal"
)

func Example() {
	// Logits from a detector head and their binary targets (1 = object).
	x := []float32{-4.2, 0.3, 2.5, -1.0}
	t := []float32{0, 1, 1, 0}
	p := focal.Params{Alpha: 0.25, Gamma: 2} // RetinaNet's defaults

	mean, err := focal.Mean(x, t, p)
	if err != nil {
		panic(err)
	}
	loss := make([]float32, len(x))
	grad := make([]float32, len(x))
	if err := focal.LossGrad(loss, grad, x, t, p); err != nil {
		panic(err)
	}
	fmt.Printf("mean %.6f\n", mean)
	for i := range x {
		fmt.Printf("x=%5.1f t=%g loss %.6f grad %+.6f\n", x[i], t[i], loss[i], grad[i])
	}

	// Bad input is an error that says what and where; nothing is written.
	err = focal.Loss(loss, x, []float32{0, 1, 2, 0}, p)
	fmt.Println(err)
	// Output:
	// mean 0.010552
	// x= -4.2 t=0 loss 0.000002 grad +0.000007
	// x=  0.3 t=1 loss 0.025098 grad -0.048102
	// x=  2.5 t=1 loss 0.000113 grad -0.000319
	// x= -1.0 t=0 loss 0.016994 grad +0.039436
	// focal: bad target: t[2] = 2: want 0 ≤ t ≤ 1
}
