package kit

// The module's checked API (focal.Loss, Sum, Mean, LossGrad) as properties:
// it returns what Best computes, and on bad input an error that says what
// and where, with nothing written.

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/focalkernels/focal"
)

// CheckedAPI: the checked Mean is the checked Sum over N (NaN for N = 0), the
// checked Sum is Best's Sum, and the checked Loss and LossGrad write what
// Best writes, bit for bit.
func CheckedAPI[F focal.Float](c Case) string {
	best := focal.Best[F]()
	s := prepare[F](c)
	p := params(c)
	if p.Alpha > 1 || p.Gamma < 0 {
		return ""
	}
	sum, err := focal.Sum(s.x, s.t, p)
	if err != nil {
		return fmt.Sprintf("Sum: %v", err)
	}
	mean, err := focal.Mean(s.x, s.t, p)
	if err != nil {
		return fmt.Sprintf("Mean: %v", err)
	}
	n := len(c.X)
	if want := best.Sum(s.x, s.t, p); !same(sum, want) {
		return fmt.Sprintf("n=%d: Sum %v, %s.Sum %v", n, sum, best.Name(), want)
	}
	if n == 0 {
		if mean == mean {
			return fmt.Sprintf("Mean of no elements %v, want NaN", mean)
		}
	} else if want := sum / float64(n); !same(mean, want) && !(mean != mean && want != want) {
		return fmt.Sprintf("n=%d: Mean %v, Sum/N = %v", n, mean, want)
	}
	if err := focal.Loss(s.dst, s.x, s.t, p); err != nil {
		return fmt.Sprintf("Loss: %v", err)
	}
	if err := focal.LossGrad(s.loss, s.grd, s.x, s.t, p); err != nil {
		return fmt.Sprintf("LossGrad: %v", err)
	}
	if m := s.guard("checked", c); m != "" {
		return m
	}
	return wroteAsBest("Loss/LossGrad", [3][]F{s.dst, s.loss, s.grd}, eval[F], best, c, func(i int) string { return elemStr(c, i) })
}

// wroteAsBest compares, element by element and bit for bit, what the
// checked functions (named by what) wrote — the loss, LossGrad's loss and
// the gradient — with what Best gives for the same case (by the form's
// eval); at names element i in the message. The flat and the rows forms'
// checked APIs are held to it alike.
func wroteAsBest[F focal.Float, K interface{ Name() string }, C any](what string, got [3][]F, eval func(K, C) (loss, lgLoss, grad []float64, msg string), best K, c C, at func(i int) string) string {
	loss, lgLoss, grad, msg := eval(best, c)
	if msg != "" {
		return msg
	}
	want := [3][]float64{loss, lgLoss, grad}
	for i := range loss {
		if !same(float64(got[0][i]), want[0][i]) || !same(float64(got[1][i]), want[1][i]) || !same(float64(got[2][i]), want[2][i]) {
			return fmt.Sprintf("%s: checked %s %v/%v/%v, %s %v/%v/%v", at(i), what,
				got[0][i], got[1][i], got[2][i], best.Name(), want[0][i], want[1][i], want[2][i])
		}
	}
	return ""
}

// bestBar is the declared bar of Best for F.
func bestBar[F focal.Float]() focal.Bar {
	b, _ := focal.BarOf[F](focal.Best[F]().Name())
	return b
}

// CheckedInput is what FuzzChecked feeds the checked API: arbitrary lengths,
// parameters (NaN, ±Inf, out of range) and targets (NaN, negative, > 1).
type CheckedInput struct {
	x, t         []float64
	nDst, nGrad  int
	nilLoss      bool
	nLoss        int
	alpha, gamma float64
}

// DecodeChecked turns the fuzzer's bytes into a CheckedInput.
func DecodeChecked(data []byte) CheckedInput {
	r := NewBytes(data)
	var in CheckedInput
	n := int(r.U8() % 40)
	flags := r.U8()
	lenOf := func(bit byte) int {
		if flags&bit == 0 {
			return n
		}
		return int(r.U8() % 40)
	}
	nt := lenOf(1)
	in.nDst, in.nGrad, in.nLoss = lenOf(2), lenOf(4), lenOf(8)
	in.nilLoss = flags&16 != 0
	if flags&32 != 0 { // arbitrary float64 parameters
		in.alpha = math.Float64frombits(r.U64())
		in.gamma = math.Float64frombits(r.U64())
	} else {
		in.alpha = float64(int8(r.U8())) / 64 // -2 .. 2
		in.gamma = float64(int8(r.U8())) / 16 // -8 .. 8
	}
	for i := 0; i < n; i++ {
		in.x = append(in.x, float64(math.Float32frombits(r.U32())))
	}
	for i := 0; i < nt; i++ {
		var t float64
		switch b := r.U8(); {
		case b < 80:
			t = 0
		case b < 160:
			t = 1
		case b < 240:
			t = float64(b-160) / 80
		default:
			t = float64(math.Float32frombits(r.U32())) // NaN, negative, > 1, …
		}
		in.t = append(in.t, t)
	}
	return in
}

// CheckChecked feeds in to the checked API (Loss, LossGrad, Sum, Mean) for
// element type F: each call must return an error that wraps the sentinel of a
// problem the input has (and, for a bad target, names it), writing nothing,
// or Best's answer, bit for bit; it must never panic. It returns the first
// violation, or "".
func CheckChecked[F focal.Float](in CheckedInput) (msg string) {
	// fail stops the check at its first violation: a panic recovered below,
	// within this function only, as encoding/json's decoder stops on an error.
	type abort struct{}
	fail := func(format string, args ...any) {
		msg = fmt.Sprintf(format, args...)
		panic(abort{})
	}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(abort); !ok {
				panic(r)
			}
		}
	}()
	p := focal.Params{Alpha: in.alpha, Gamma: in.gamma}
	// What is wrong with the input, by sentinel, and what a message should name.
	want := map[error][]string{}
	if math.IsNaN(in.alpha) || in.alpha > 1 || math.IsNaN(in.gamma) || math.IsInf(in.gamma, 0) || in.gamma < 0 {
		want[focal.ErrParams] = nil
	}
	lenErr := func(n int) {
		if n != len(in.x) {
			want[focal.ErrLength] = append(want[focal.ErrLength], fmt.Sprint(n), fmt.Sprint(len(in.x)))
		}
	}
	lenErr(len(in.t))
	for i, v := range in.t {
		if fv := float64(F(v)); !(fv >= 0 && fv <= 1) {
			want[focal.ErrTarget] = append(want[focal.ErrTarget], fmt.Sprintf("t[%d]", i))
			break
		}
	}
	x, _ := buf[F](in.x, 1, true)
	tt, _ := buf[F](in.t, 2, true)
	var outBufs [][]F
	out := func(n int) []F {
		s, b := buf[F](make([]float64, n), 3, false)
		outBufs = append(outBufs, b)
		return s
	}
	untouched := func(what string) {
		for _, b := range outBufs {
			for i, v := range b {
				if math.Float64bits(float64(v)) != math.Float64bits(canary) {
					fail("float%d %s: wrote %v at %d on error", bitsOf[F](), what, v, i)
				}
			}
		}
	}
	// expect checks err against the problems of the input (those of the
	// lengths named by extra included) and returns whether the call succeeded.
	expect := func(what string, err error, extra map[error][]string) bool {
		problems := map[error][]string{}
		for k, v := range want {
			problems[k] = v
		}
		for k, v := range extra {
			problems[k] = append(problems[k], v...)
		}
		if err == nil {
			if len(problems) > 0 {
				fail("float%d %s: no error for input with problems %v (α=%v γ=%v len(x)=%d len(t)=%d)",
					bitsOf[F](), what, problems, in.alpha, in.gamma, len(in.x), len(in.t))
			}
			return true
		}
		for k := range problems {
			if errors.Is(err, k) {
				for _, s := range problems[k] {
					if k == focal.ErrTarget && !strings.Contains(err.Error(), s) {
						fail("float%d %s: error %q does not name %s", bitsOf[F](), what, err, s)
					}
				}
				untouched(what)
				return false
			}
		}
		fail("float%d %s: error %v, but the input's problems are %v", bitsOf[F](), what, err, problems)
		return false
	}
	best := focal.Best[F]()
	c := Case{X: in.x, T: wide(tt), Alpha: in.alpha, Gamma: in.gamma}

	// Loss
	dst := out(in.nDst)
	extra := map[error][]string{}
	if in.nDst != len(in.x) {
		extra[focal.ErrLength] = []string{fmt.Sprint(in.nDst)}
	}
	if expect("Loss", focal.Loss(dst, x, tt, p), extra) {
		w := make([]F, len(x))
		best.Loss(w, x, tt, p)
		for i := range w {
			if !same(float64(w[i]), float64(dst[i])) {
				fail("float%d Loss: element %d: %v, %s gives %v", bitsOf[F](), i, dst[i], best.Name(), w[i])
			}
		}
		if m := agreeStable(best, c, bestBar[F]()); m != "" {
			fail("float%d Loss: %s", bitsOf[F](), m)
		}
	}
	outBufs = nil

	// LossGrad
	var loss []F
	extra = map[error][]string{}
	if !in.nilLoss {
		loss = out(in.nLoss)
		if in.nLoss != len(in.x) {
			extra[focal.ErrLength] = []string{fmt.Sprint(in.nLoss)}
		}
	}
	grad := out(in.nGrad)
	if in.nGrad != len(in.x) {
		extra[focal.ErrLength] = append(extra[focal.ErrLength], fmt.Sprint(in.nGrad))
	}
	if expect("LossGrad", focal.LossGrad(loss, grad, x, tt, p), extra) {
		wl, wg := make([]F, len(x)), make([]F, len(x))
		best.LossGrad(wl, wg, x, tt, p)
		for i := range wg {
			if !same(float64(wg[i]), float64(grad[i])) || (loss != nil && !same(float64(wl[i]), float64(loss[i]))) {
				fail("float%d LossGrad: element %d differs from %s", bitsOf[F](), i, best.Name())
			}
		}
	}
	outBufs = nil

	// Sum and Mean
	s, err := focal.Sum(x, tt, p)
	if expect("Sum", err, nil) {
		if w := best.Sum(x, tt, p); !same(s, w) {
			fail("float%d Sum %v, %s gives %v", bitsOf[F](), s, best.Name(), w)
		}
	}
	m, err := focal.Mean(x, tt, p)
	if expect("Mean", err, nil) {
		w := s / float64(len(x))
		if len(x) == 0 {
			w = math.NaN()
		}
		if !same(m, w) && !(m != m && w != w) {
			fail("float%d Mean %v, want Sum/N = %v", bitsOf[F](), m, w)
		}
	}
	return ""
}
