package focal_test

import (
	"fmt"

	"github.com/focalkernels/focal"
)

// A RetinaNet-style classification loss: six anchors of three classes
// (person, car, dog). Each anchor's label is its class, 3 (C) for
// background, or -1 for an anchor ignored (its IoU between the thresholds).
// The loss is the sum over the anchors that are not ignored, normalized by
// the number of positive anchors, as RetinaNet does.
func ExampleSumRows() {
	const person, car, dog, background, ignored = 0, 1, 2, 3, -1
	r := focal.Rows[float32]{
		X: []float32{ // 6 anchors × 3 classes, row-major
			2.0, -1.5, -3.0, // a person
			-4.0, -2.5, -3.5, // background
			-0.5, -1.0, -2.0, // background, a hard negative
			1.0, 1.0, 1.0, // ignored: contributes nothing
			-3.0, -2.0, 0.5, // a dog
			-5.0, -4.5, -6.0, // background
		},
		Labels: []int32{person, background, background, ignored, dog, background},
		C:      3,
	}
	p := focal.Params{Alpha: 0.25, Gamma: 2} // RetinaNet's defaults

	sum, positives, err := focal.SumRows(r, p)
	if err != nil {
		panic(err)
	}
	loss := sum / float64(max(positives, 1))
	fmt.Printf("positives %d, loss %.6f\n", positives, loss)

	// The gradient with respect to the logits, for the backward pass,
	// normalized the same way; the ignored anchor's is 0.
	grad := make([]float32, len(r.X))
	if err := focal.LossGradRows(nil, grad, r, p); err != nil {
		panic(err)
	}
	for i := range grad {
		grad[i] /= float32(max(positives, 1))
	}
	for n := range r.Labels {
		fmt.Printf("anchor %d label %2d: grad %+.5f %+.5f %+.5f\n", n, r.Labels[n], grad[3*n], grad[3*n+1], grad[3*n+2])
	}

	// Per-anchor weights (mmdet's weight, detectron2's and torchvision's
	// valid mask), class α (kornia, MONAI) and label smoothing (Keras) are
	// inputs too; a label above C is an error that names it.
	r.Weight = []float32{1, 1, 0.5, 1, 2, 1}
	p.ClassAlpha = []float64{0.25, 0.5, 0.75}
	p.Smoothing = 0.1
	sum, _, err = focal.SumRows(r, p)
	fmt.Printf("weighted, class α, smoothed: %.6f %v\n", sum/float64(max(positives, 1)), err)
	r.Labels[1] = 4
	_, _, err = focal.SumRows(r, p)
	fmt.Println(err)
	// Output:
	// positives 2, loss 0.046640
	// anchor 0 label  0: grad -0.00061 +0.00639 +0.00012
	// anchor 1 label  3: grad +0.00001 +0.00048 +0.00003
	// anchor 2 label  3: grad +0.05173 +0.01972 +0.00183
	// anchor 3 label -1: grad +0.00000 +0.00000 +0.00000
	// anchor 4 label  2: grad +0.00012 +0.00183 -0.01724
	// anchor 5 label  3: grad +0.00000 +0.00000 +0.00000
	// weighted, class α, smoothed: 0.083038 <nil>
	// focal: bad target: labels[1] = 4: want a class 0 ≤ l < C = 3, C for background, or l < 0 to ignore the row
}
