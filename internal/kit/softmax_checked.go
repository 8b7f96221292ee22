package kit

// The checked softmax functions (focal.SoftmaxLoss, SoftmaxSum,
// SoftmaxLossGrad) as properties: they return what Best computes, and on bad
// input an error that says what is wrong, with nothing written.

import (
	"errors"
	"fmt"
	"math"

	"github.com/leanovate/gopter"

	"github.com/focalkernels/focal"
)

// SoftmaxCheckedAPI: on a valid case the checked softmax functions write
// and return what Best's methods do, bit for bit.
func SoftmaxCheckedAPI[F focal.Float](c SoftmaxCase) string {
	best := focal.Best[F]().(focal.SoftmaxKernel[F])
	s := prepareSoftmax[F](c)
	p := c.params()
	if err := focal.SoftmaxLoss(s.dst, s.rows(), p); err != nil {
		return fmt.Sprintf("SoftmaxLoss: %v", err)
	}
	if err := focal.SoftmaxLossGrad(s.loss, s.g, s.rows(), p); err != nil {
		return fmt.Sprintf("SoftmaxLossGrad: %v", err)
	}
	sum, rows, err := focal.SoftmaxSum(s.rows(), p)
	if err != nil {
		return fmt.Sprintf("SoftmaxSum: %v", err)
	}
	if m := s.guard("checked"); m != "" {
		return m
	}
	if ws, wr := best.SoftmaxSum(s.rows(), p); !same(sum, ws) || rows != wr {
		return fmt.Sprintf("SoftmaxSum %v over %d rows, %s's %v over %d", sum, rows, best.Name(), ws, wr)
	}
	loss, lgLoss, grad, msg := evalSoftmax(best, c)
	if msg != "" {
		return msg
	}
	for n := range loss {
		if !same(float64(s.dst[n]), loss[n]) || !same(float64(s.loss[n]), lgLoss[n]) {
			return fmt.Sprintf("%s: checked loss %v/%v, %s %v/%v", rowStr(c, n), s.dst[n], s.loss[n], best.Name(), loss[n], lgLoss[n])
		}
	}
	for i := range grad {
		if !same(float64(s.g[i]), grad[i]) {
			return fmt.Sprintf("%s, class %d: checked grad %v, %s %v", rowStr(c, i/c.C), i%c.C, s.g[i], best.Name(), grad[i])
		}
	}
	return ""
}

// SoftmaxCases generates the softmax form's cases of every kind (±Inf and
// NaN logits, ignored rows, weights, ClassAlpha) for element type F.
func SoftmaxCases[F focal.Float](wide bool) gopter.Gen {
	return softmaxOpts{genOpts: genOpts{bits: bitsOf[F](), specials: true, nan: true, wideGamma: wide}}.gen()
}

// SoftmaxCheckedInput is what FuzzSoftmaxChecked feeds the checked softmax
// functions: any C, any lengths, labels, weights and parameters.
type SoftmaxCheckedInput struct {
	c                   int
	x, weight, classA   []float64
	labels              []int32
	hasWeight, hasClass bool
	nLoss, nGrad        int
	nilLoss             bool
	alpha, gamma, smoo  float64
}

// DecodeSoftmaxChecked turns the fuzzer's bytes into a SoftmaxCheckedInput.
func DecodeSoftmaxChecked(data []byte) SoftmaxCheckedInput {
	r := NewBytes(data)
	var in SoftmaxCheckedInput
	in.c = int(int8(r.U8())) % 12 // -11 … 11
	n := int(r.U8() % 6)
	flags := r.U8()
	nx := n * max(in.c, 0)
	if flags&1 != 0 {
		nx = int(r.U8() % 40)
	}
	in.nLoss, in.nGrad = n, nx
	if flags&2 != 0 {
		in.nLoss, in.nGrad = int(r.U8()%8), int(r.U8()%40)
	}
	in.nilLoss = flags&4 != 0
	in.hasWeight, in.hasClass = flags&8 != 0, flags&16 != 0
	if flags&32 != 0 {
		in.alpha = math.Float64frombits(r.U64())
		in.gamma = math.Float64frombits(r.U64())
		in.smoo = math.Float64frombits(r.U64())
	} else {
		in.alpha = float64(int8(r.U8())) / 64 // -2 … 2
		in.gamma = float64(int8(r.U8())) / 16 // -8 … 8
	}
	for range n {
		in.labels = append(in.labels, int32(int8(r.U8()))%16)
	}
	for range nx {
		in.x = append(in.x, float64(math.Float32frombits(r.U32())))
	}
	if in.hasWeight {
		nw := n
		if flags&64 != 0 {
			nw = int(r.U8() % 40)
		}
		for range nw {
			in.weight = append(in.weight, float64(math.Float32frombits(r.U32())))
		}
	}
	if in.hasClass {
		nc := max(in.c, 0)
		if flags&128 != 0 {
			nc = int(r.U8() % 12)
		}
		for range nc {
			in.classA = append(in.classA, float64(int8(r.U8()))/100) // -1.28 … 1.27
		}
	}
	return in
}

// CheckSoftmaxChecked feeds in to the checked softmax functions for element
// type F: each call must return an error that wraps the sentinel of a
// problem the input has, writing nothing, or Best's answer, bit for bit; it
// must never panic. It returns the first violation, or "".
func CheckSoftmaxChecked[F focal.Float](in SoftmaxCheckedInput) (msg string) {
	var weight []F
	if in.hasWeight {
		weight = make([]F, len(in.weight))
		for i, v := range in.weight {
			weight[i] = F(v)
		}
	}
	var classA []float64
	if in.hasClass {
		classA = append([]float64{}, in.classA...)
	}
	x, _ := buf[F](in.x, 1, true)
	r := focal.Rows[F]{X: x, Labels: in.labels, C: in.c, Weight: weight}
	p := focal.Params{Alpha: in.alpha, Gamma: in.gamma, ClassAlpha: classA, Smoothing: in.smoo}
	n := len(in.labels)
	// What is wrong with the input, by sentinel.
	want := map[error]bool{}
	if math.IsNaN(in.alpha) || in.alpha > 1 || math.IsNaN(in.gamma) || math.IsInf(in.gamma, 0) || in.gamma < 0 || in.smoo != 0 {
		want[focal.ErrParams] = true
	}
	for _, a := range classA {
		if !(a >= 0 && a <= 1) {
			want[focal.ErrParams] = true
		}
	}
	if in.hasClass && len(classA) != in.c {
		want[focal.ErrParams] = true
	}
	if in.c < 1 || len(in.x) != n*in.c || (len(weight) != 0 && len(weight) != n) {
		want[focal.ErrLength] = true
	}
	for _, w := range weight {
		if fw := float64(w); !(fw >= 0) || math.IsInf(fw, 1) {
			want[focal.ErrParams] = true
		}
	}
	for _, l := range in.labels {
		if int(l) >= in.c {
			want[focal.ErrTarget] = true
		}
	}
	var outBufs [][]F
	out := func(k int) []F {
		s, b := buf[F](make([]float64, k), 3, false)
		outBufs = append(outBufs, b)
		return s
	}
	// check holds err to the input's problems (and the extra one of an
	// output's length) and returns whether the call succeeded.
	check := func(what string, err error, badOut bool) bool {
		problems := len(want)
		if badOut {
			problems++
		}
		if err == nil {
			if problems > 0 && msg == "" {
				msg = fmt.Sprintf("float%d %s: no error for input with problems %v (C=%d N=%d len(x)=%d)", bitsOf[F](), what, want, in.c, n, len(in.x))
			}
			return problems == 0
		}
		ok := false
		for k := range want {
			ok = ok || errors.Is(err, k)
		}
		ok = ok || badOut && errors.Is(err, focal.ErrLength)
		if !ok && msg == "" {
			msg = fmt.Sprintf("float%d %s: error %v, but the input's problems are %v (output length bad: %v)", bitsOf[F](), what, err, want, badOut)
		}
		for _, b := range outBufs {
			for i, v := range b {
				if math.Float64bits(float64(v)) != math.Float64bits(canary) && msg == "" {
					msg = fmt.Sprintf("float%d %s: wrote %v at %d on error", bitsOf[F](), what, v, i)
				}
			}
		}
		return false
	}
	best := focal.Best[F]().(focal.SoftmaxKernel[F])
	dst := out(in.nLoss)
	if check("SoftmaxLoss", focal.SoftmaxLoss(dst, r, p), in.nLoss != n) {
		w := make([]F, n)
		best.SoftmaxLoss(w, r, p)
		for i := range w {
			if !same(float64(w[i]), float64(dst[i])) && msg == "" {
				msg = fmt.Sprintf("float%d SoftmaxLoss: row %d: %v, %s gives %v", bitsOf[F](), i, dst[i], best.Name(), w[i])
			}
		}
	}
	outBufs = nil
	var loss []F
	if !in.nilLoss {
		loss = out(in.nLoss)
	}
	grad := out(in.nGrad)
	badOut := (!in.nilLoss && in.nLoss != n) || in.nGrad != len(in.x)
	if check("SoftmaxLossGrad", focal.SoftmaxLossGrad(loss, grad, r, p), badOut) {
		wl, wg := make([]F, n), make([]F, len(in.x))
		best.SoftmaxLossGrad(wl, wg, r, p)
		for i := range wg {
			if !same(float64(wg[i]), float64(grad[i])) && msg == "" {
				msg = fmt.Sprintf("float%d SoftmaxLossGrad: element %d differs from %s", bitsOf[F](), i, best.Name())
			}
		}
		for i := range loss {
			if !same(float64(wl[i]), float64(loss[i])) && msg == "" {
				msg = fmt.Sprintf("float%d SoftmaxLossGrad: row %d's loss differs from %s", bitsOf[F](), i, best.Name())
			}
		}
	}
	outBufs = nil
	s, rows, err := focal.SoftmaxSum(r, p)
	if check("SoftmaxSum", err, false) {
		if ws, wr := best.SoftmaxSum(r, p); (!same(s, ws) || rows != wr) && msg == "" {
			msg = fmt.Sprintf("float%d SoftmaxSum %v, %d; %s gives %v, %d", bitsOf[F](), s, rows, best.Name(), ws, wr)
		}
	}
	return msg
}
