package kit

// The module's checked rows API (focal.LossRows, SumRows, LossGradRows) as
// properties: it returns what Best computes, and on bad input an error that
// wraps the sentinel of a problem the input has, with nothing written.

import (
	"errors"
	"fmt"
	"math"

	"github.com/leanovate/gopter"

	"github.com/focalkernels/focal"
)

// CheckedRowsAPI: the checked rows functions write and return what Best's
// rows form does, bit for bit, on valid cases.
func CheckedRowsAPI[F focal.Float](c RowsCase) string {
	best := focal.Best[F]().(focal.RowsKernel[F])
	s := prepareRows[F](c)
	p := c.params()
	if err := focal.LossRows(s.dst, s.r, p); err != nil {
		return fmt.Sprintf("LossRows: %v", err)
	}
	if err := focal.LossGradRows(s.loss, s.grd, s.r, p); err != nil {
		return fmt.Sprintf("LossGradRows: %v", err)
	}
	sum, pos, err := focal.SumRows(s.r, p)
	if err != nil {
		return fmt.Sprintf("SumRows: %v", err)
	}
	if m := s.guard("checked", c); m != "" {
		return m
	}
	b := bitsOf[F]()
	if m := wroteAsBest("LossRows/LossGradRows", [3][]F{s.dst, s.loss, s.grd}, evalRows[F], best, c,
		func(i int) string { return c.elemStr(i, b) }); m != "" {
		return m
	}
	if ws, wp, _ := sumRowsOf(best, c); !same(sum, ws) || pos != wp {
		return fmt.Sprintf("checked SumRows %v, %d; %s %v, %d", sum, pos, best.Name(), ws, wp)
	}
	return ""
}

// CheckedRowsInput is what FuzzRowsChecked feeds the checked rows API:
// arbitrary lengths, C, labels, weights (NaN, ±Inf, negative), class α and
// smoothing (out of range, NaN) and parameters.
type CheckedRowsInput struct {
	x           []float64
	labels      []int32
	c           int
	w           []float64
	classAlpha  []float64
	alpha       float64
	gamma       float64
	smoothing   float64
	nDst, nGrad int
	nilLoss     bool
	nLoss       int
}

// DecodeRowsChecked turns the fuzzer's bytes into a CheckedRowsInput.
func DecodeRowsChecked(data []byte) CheckedRowsInput {
	r := NewBytes(data)
	var in CheckedRowsInput
	rows := int(r.U8() % 12)
	in.c = int(int8(r.U8())) % 12 // may be 0 or negative
	flags := r.U8()
	nc := rows * max(in.c, 0)
	lenOf := func(bit byte, n int) int {
		if flags&bit == 0 {
			return n
		}
		return int(r.U8() % 60)
	}
	nx := lenOf(1, nc)
	in.nDst, in.nGrad, in.nLoss = lenOf(2, nc), lenOf(4, nc), lenOf(8, nc)
	in.nilLoss = flags&16 != 0
	in.alpha = float64(int8(r.U8())) / 64
	in.gamma = float64(int8(r.U8())) / 16
	if s := r.U8(); s >= 128 {
		in.smoothing = float64(int8(s)) / 64 // -2 .. 0
		if s == 255 {
			in.smoothing = math.NaN()
		}
	} else {
		in.smoothing = float64(s) / 100 // 0 .. 1.27
	}
	for i := 0; i < rows; i++ {
		in.labels = append(in.labels, int32(int8(r.U8()))%20)
	}
	for i := 0; i < nx; i++ {
		in.x = append(in.x, float64(math.Float32frombits(r.U32())))
	}
	switch m := flags >> 5; m {
	case 1, 2, 3:
		n := []int{0, rows, nc, int(r.U8() % 60)}[m]
		for i := 0; i < n; i++ {
			v := float64(float64(r.U8()) / 32)
			switch b := r.U8(); {
			case b == 255:
				v = math.NaN()
			case b == 254:
				v = math.Inf(1)
			case b >= 250:
				v = -v - 1
			}
			in.w = append(in.w, v)
		}
	}
	if flags>>5 >= 4 {
		n := max(in.c, 0)
		if flags>>5 == 7 {
			n = int(r.U8() % 20)
		}
		for i := 0; i < n; i++ {
			v := float64(r.U8()) / 200 // 0 .. 1.275
			if r.U8() == 255 {
				v = math.NaN()
			}
			in.classAlpha = append(in.classAlpha, v)
		}
	}
	return in
}

// CheckRowsChecked feeds in to the checked rows API (LossRows, SumRows,
// LossGradRows) for element type F: each call must return an error that
// wraps the sentinel of a problem the input has, writing nothing, or Best's
// answer bit for bit; it must never panic. It returns the first violation,
// or "".
func CheckRowsChecked[F focal.Float](in CheckedRowsInput) string {
	p := focal.Params{Alpha: in.alpha, Gamma: in.gamma, ClassAlpha: in.classAlpha, Smoothing: in.smoothing}
	problems := map[error]bool{}
	if math.IsNaN(in.alpha) || in.alpha > 1 || math.IsNaN(in.gamma) || math.IsInf(in.gamma, 0) || in.gamma < 0 ||
		!(in.smoothing >= 0 && in.smoothing < 1) || (in.classAlpha != nil && in.c >= 1 && len(in.classAlpha) != in.c) {
		problems[focal.ErrParams] = true
	}
	for _, a := range in.classAlpha {
		if !(a >= 0 && a <= 1) {
			problems[focal.ErrParams] = true
		}
	}
	n := len(in.labels)
	if in.c < 1 || len(in.x) != n*in.c {
		problems[focal.ErrLength] = true
	}
	if w := len(in.w); w != 0 && w != n && w != len(in.x) {
		problems[focal.ErrLength] = true
	}
	for _, v := range in.w {
		if fv := float64(F(v)); !(fv >= 0 && fv-fv == 0) {
			problems[focal.ErrParams] = true
		}
	}
	for _, l := range in.labels {
		if in.c >= 1 && int(l) > in.c {
			problems[focal.ErrTarget] = true
		}
	}
	r := focal.Rows[F]{C: in.c, Labels: in.labels}
	r.X, _ = buf[F](in.x, 1, true)
	if in.w != nil {
		r.Weight, _ = buf[F](in.w, 2, true)
	}
	var outBufs [][]F
	out := func(k int) []F {
		s, b := buf[F](make([]float64, k), 3, false)
		outBufs = append(outBufs, b)
		return s
	}
	untouched := func() bool {
		for _, b := range outBufs {
			for _, v := range b {
				if math.Float64bits(float64(v)) != math.Float64bits(canary) {
					return false
				}
			}
		}
		return true
	}
	bits := bitsOf[F]()
	// verdict checks one call's error against the input's problems, those
	// of its outputs' lengths included.
	verdict := func(what string, err error, badOut bool) (ok bool, msg string) {
		if err == nil {
			if len(problems) > 0 || badOut {
				return false, fmt.Sprintf("float%d %s: no error for input with problems %v (bad output length: %v)", bits, what, problems, badOut)
			}
			return true, ""
		}
		if !untouched() {
			return false, fmt.Sprintf("float%d %s: wrote on error %v", bits, what, err)
		}
		for k := range problems {
			if errors.Is(err, k) {
				return false, ""
			}
		}
		if badOut && errors.Is(err, focal.ErrLength) {
			return false, ""
		}
		return false, fmt.Sprintf("float%d %s: error %v, but the input's problems are %v (bad output length: %v)", bits, what, err, problems, badOut)
	}
	best := focal.Best[F]().(focal.RowsKernel[F])
	nx := len(in.x)

	dst := out(in.nDst)
	if ok, msg := verdict("LossRows", focal.LossRows(dst, r, p), in.nDst != nx); msg != "" {
		return msg
	} else if ok {
		want := make([]F, nx)
		best.LossRows(want, r, p)
		for i := range want {
			if !same(float64(want[i]), float64(dst[i])) {
				return fmt.Sprintf("float%d LossRows: element %d: %v, %s gives %v", bits, i, dst[i], best.Name(), want[i])
			}
		}
	}
	outBufs = nil

	var loss []F
	badOut := in.nGrad != nx
	if !in.nilLoss {
		loss = out(in.nLoss)
		badOut = badOut || in.nLoss != nx
	}
	grad := out(in.nGrad)
	if ok, msg := verdict("LossGradRows", focal.LossGradRows(loss, grad, r, p), badOut); msg != "" {
		return msg
	} else if ok {
		wl, wg := make([]F, nx), make([]F, nx)
		best.LossGradRows(wl, wg, r, p)
		for i := range wg {
			if !same(float64(wg[i]), float64(grad[i])) || (loss != nil && !same(float64(wl[i]), float64(loss[i]))) {
				return fmt.Sprintf("float%d LossGradRows: element %d differs from %s", bits, i, best.Name())
			}
		}
	}
	outBufs = nil

	s, pos, err := focal.SumRows(r, p)
	if ok, msg := verdict("SumRows", err, false); msg != "" {
		return msg
	} else if ok {
		if ws, wp := best.SumRows(r, p); !same(s, ws) || pos != wp {
			return fmt.Sprintf("float%d SumRows %v, %d; %s gives %v, %d", bits, s, pos, best.Name(), ws, wp)
		}
	} else if s != 0 || pos != 0 {
		return fmt.Sprintf("float%d SumRows returned %v, %d with an error", bits, s, pos)
	}
	return ""
}

// CheckRows runs check on cfg.N rows cases of gen and reports the first
// failure shrunk.
func CheckRows(label string, cfg Config, check func(RowsCase) string, gen gopter.Gen) string {
	return Check(label, cfg, check, gen)
}

// AllRowsCases generates rows cases of every kind (±Inf and NaN logits
// included) for element type F.
func AllRowsCases[F focal.Float](wide bool) gopter.Gen {
	return rowsOpts{genOpts: genOpts{bits: bitsOf[F](), specials: true, nan: true, wideGamma: wide}}.gen()
}
