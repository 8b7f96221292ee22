package main

import (
	"fmt"
	"io"
	"time"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/bench"
	"github.com/focalkernels/focal/internal/accuracy"
	"github.com/focalkernels/focal/internal/kit"
)

// compareSoftmax prints the softmax form's accuracy over its golden rows
// (internal/golden/softmax: mpmath's truth, torch's autograd as a peer),
// every kernel's verdict on the softmax bar it declares, and, unless dur is
// 0, a quick time per logit of SoftmaxSum at n rows of c classes.
func compareSoftmax(w io.Writer, n, c int, p focal.Params, dur time.Duration) error {
	for _, f := range []func(io.Writer) error{compareSoftmaxAccuracy[float32], compareSoftmaxAccuracy[float64]} {
		fmt.Fprintln(w)
		if err := f(w); err != nil {
			return err
		}
	}
	if dur <= 0 {
		return nil
	}
	fmt.Fprintf(w, "\nSoftmaxSum, %s rows, N = %d, C = %d, α = %g, γ = %g (best of %v of runs, at least 5, per kernel; Best is marked *):\n",
		bench.Random, n, c, p.Alpha, p.Gamma, dur)
	return writeTimes(w, timeSoftmax[float32](n, c, p, dur), timeSoftmax[float64](n, c, p, dur))
}

func compareSoftmaxAccuracy[F focal.Float](w io.Writer) error {
	title := "float" + fmt.Sprint(bitsOf[F]())
	var sums []accuracy.Summary
	var bars []string
	for _, k := range focal.Kernels[F]() {
		sk, ok := k.(focal.SoftmaxKernel[F])
		if !ok {
			continue
		}
		sums = append(sums, accuracy.SoftmaxSummarize(k.Name(), accuracy.SoftmaxErrors(accuracy.SoftmaxRun(sk))))
		bar, _ := focal.SoftmaxBarOf[F](k.Name())
		bars = append(bars, barVerdict(k.Name(), describeSoftmaxBar(bar), len(kit.SoftmaxGolden(sk, bar))))
	}
	sums = append(sums, accuracy.SoftmaxSummarize("torch", accuracy.SoftmaxErrors(accuracy.SoftmaxTorch(bitsOf[F]()))))
	return writeAccuracy(w, "Softmax focal loss, accuracy over its golden rows (mpmath references; gradient: the largest component's error relative to its value, in eps)",
		title, sums, "Declared softmax bars (focal.SoftmaxBarOf)", bars)
}

// describeSoftmaxBar says what a softmax bar promises.
func describeSoftmaxBar(b focal.Bar) string {
	s := describeBarIn(b, "each gradient component ≤ %g·eps of its value", " for logits within ±%g")
	if b.MinClasses > 0 {
		s += fmt.Sprintf(", C ≥ %d", b.MinClasses)
	}
	return s
}

// timeSoftmax times SoftmaxSum of every kernel on bench.SoftmaxData, as
// timeAll does Sum, per logit.
func timeSoftmax[F focal.Float](n, c int, p focal.Params, dur time.Duration) map[string]string {
	r := bench.SoftmaxData[F](n, c, bench.Random)
	return timeEach(n*c, dur, func(k focal.Kernel[F]) (func() float64, bool) {
		sk, ok := k.(focal.SoftmaxKernel[F])
		return func() float64 { s, _ := sk.SoftmaxSum(r, p); return s }, ok
	})
}

func bitsOf[F focal.Float]() int {
	if float64(F(1)+F(0x1p-30)) == 1 {
		return 32
	}
	return 64
}
