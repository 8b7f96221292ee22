package main

import (
	"fmt"
	"io"
	"runtime"
	"text/tabwriter"
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
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "kernel\tfloat32 ns/elem\tfloat64 ns/elem\t")
	t32 := timeSoftmax[float32](n, c, p, dur)
	t64 := timeSoftmax[float64](n, c, p, dur)
	for _, name := range kernelNames() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t\n", name, t32[name], t64[name])
	}
	return tw.Flush()
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
		sums = append(sums, accuracy.SoftmaxSummarize(k.Name(), accuracy.SoftmaxErrors(accuracy.SoftmaxRun(sk)), nil))
		bar, _ := focal.SoftmaxBarOf[F](k.Name())
		verdict := "meets it"
		if fails := kit.SoftmaxGolden(sk, bar); len(fails) > 0 {
			verdict = fmt.Sprintf("MISSES it on %d rows", len(fails))
		}
		bars = append(bars, fmt.Sprintf("%s: %s; %s", k.Name(), describeSoftmaxBar(bar), verdict))
	}
	sums = append(sums, accuracy.SoftmaxSummarize("torch", accuracy.SoftmaxErrors(accuracy.SoftmaxTorch(bitsOf[F]())), nil))
	fmt.Fprintf(w, "Softmax focal loss, accuracy over its golden rows (mpmath references; gradient: the largest component's error relative to its value, in eps):\n")
	if err := accuracy.WriteTable(w, title, sums); err != nil {
		return err
	}
	fmt.Fprintf(w, "Declared softmax bars (focal.SoftmaxBarOf), held on every golden row they cover:\n")
	for _, b := range bars {
		fmt.Fprintf(w, "  %s\n", b)
	}
	return nil
}

// describeSoftmaxBar says what a softmax bar promises.
func describeSoftmaxBar(b focal.Bar) string {
	var s string
	if b.Rel > 0 {
		s = fmt.Sprintf("relative error ≤ %g", b.Rel)
	} else {
		s = fmt.Sprintf("loss ≤ %d ULP, each gradient component ≤ %g·eps of its value", b.LossULP, b.Grad)
	}
	if b.MaxAbsX > 0 {
		s += fmt.Sprintf(" for logits within ±%g", b.MaxAbsX)
	}
	if b.MaxGamma > 0 {
		s += fmt.Sprintf(", γ ≤ %g", b.MaxGamma)
	}
	if b.MinClasses > 0 {
		s += fmt.Sprintf(", C ≥ %d", b.MinClasses)
	}
	return s
}

// timeSoftmax times SoftmaxSum of every kernel on bench.SoftmaxData, best of
// repeated runs, as timeAll does Sum.
func timeSoftmax[F focal.Float](n, c int, p focal.Params, dur time.Duration) map[string]string {
	r := bench.SoftmaxData[F](n, c, bench.Random)
	out := map[string]string{}
	best := focal.Best[F]().Name()
	var sink float64
	for _, k := range focal.Kernels[F]() {
		sk, ok := k.(focal.SoftmaxKernel[F])
		if !ok {
			continue
		}
		least := time.Duration(1 << 62)
		for start, runs := time.Now(), 0; runs < 5 || time.Since(start) < dur; runs++ {
			t0 := time.Now()
			s, _ := sk.SoftmaxSum(r, p)
			sink += s
			least = minDur(least, time.Since(t0))
		}
		mark := ""
		if k.Name() == best {
			mark = "*"
		}
		out[k.Name()] = fmt.Sprintf("%.3f%s", float64(least.Nanoseconds())/float64(n*c), mark)
	}
	for _, k := range kernelNames() {
		if _, ok := out[k]; !ok {
			out[k] = "-"
		}
	}
	runtime.KeepAlive(sink)
	return out
}

func bitsOf[F focal.Float]() int {
	if float64(F(1)+F(0x1p-30)) == 1 {
		return 32
	}
	return 64
}
