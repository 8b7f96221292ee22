package props

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/focalkernels/focal"
)

// byteReader hands out the fuzzer's bytes; past the end it reads zeros.
type byteReader struct{ b []byte }

func (r *byteReader) u8() byte {
	if len(r.b) == 0 {
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *byteReader) u16() uint16 { return uint16(r.u8()) | uint16(r.u8())<<8 }

func (r *byteReader) u32() uint32 { return uint32(r.u16()) | uint32(r.u16())<<16 }

func (r *byteReader) u64() uint64 { return uint64(r.u32()) | uint64(r.u32())<<32 }

// decodeCase turns bytes into a Case of float32-representable values with
// valid parameters and targets (the kernels' preconditions): n, off, α, γ,
// then per element 4 bytes of float32 bits for x (every class: zeros,
// subnormals, normals, ±Inf, NaN) and a target byte (0, 1, or 2 more bytes
// for a soft target).
func decodeCase(data []byte) Case {
	r := &byteReader{data}
	n := int(r.u8()) % 71
	c := Case{Off: int(r.u8()) % 20}
	switch a := r.u8(); {
	case a < 32:
		c.Alpha = -1
	case a < 64:
		c.Alpha = []float64{0, 1, 0.25, 0.5}[a%4]
	default:
		c.Alpha = float64(r.u16()) / 65535
	}
	switch g := r.u8(); {
	case g < 32:
		c.Gamma = 0
	case g < 96:
		c.Gamma = float64(1 + g%5)
	default:
		c.Gamma = float64(r.u16()) / 65535 * 5
	}
	c.Split = int(r.u8())
	for i := 0; i < n && len(r.b) > 0; i++ {
		c.X = append(c.X, float64(math.Float32frombits(r.u32())))
		var t float64
		switch b := r.u8(); {
		case b < 100:
			t = 0
		case b < 200:
			t = 1
		default:
			t = float64(float32(float64(r.u16()) / 65535))
		}
		c.T = append(c.T, t)
	}
	c.Split %= len(c.X) + 1
	return c
}

// FuzzKernelsAgree checks every kernel of both element types against stable
// (agree-stable), LossGrad's loss against Loss (lossgrad-loss-exact) and Sum
// against the losses (sum-vs-loss, sum-concat) on decoded cases.
func FuzzKernelsAgree(f *testing.F) {
	f.Add([]byte{})
	f.Add(encodeCase(Case{X: []float64{0, 17, -88.72283, 103.97208, math.Inf(1), math.NaN()}, T: []float64{1, 0, 1, 0, 0.5, 1}, Alpha: 0.25, Gamma: 2}))
	f.Add(encodeCase(Case{X: []float64{3e38, -3e38, 1e-30, 0x1p-149, -1, 2}, T: []float64{0, 1, 0.5, 0.25, 1, 0}, Alpha: -1, Gamma: 0.5, Off: 3}))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := decodeCase(data)
		fuzzAgree[float32](t, c)
		fuzzAgree[float64](t, c)
	})
}

func fuzzAgree[F focal.Float](t *testing.T, c Case) {
	for _, k := range focal.Kernels[F]() {
		for _, check := range []func(focal.Kernel[F], Case) string{agreeStable[F], lossGradExact[F], sumVsLoss[F], sumConcat[F]} {
			if msg := check(k, c); msg != "" {
				t.Fatalf("float%d: %s\ncase %v", bitsOf[F](), msg, c)
			}
		}
	}
}

// encodeCase is decodeCase's inverse for the seed corpus (α, γ and soft
// targets are quantized to 16 bits).
func encodeCase(c Case) []byte {
	b := []byte{byte(len(c.X)), byte(c.Off)}
	switch {
	case c.Alpha < 0:
		b = append(b, 0)
	default:
		b = append(b, 255)
		b = binary.LittleEndian.AppendUint16(b, uint16(math.Round(c.Alpha*65535)))
	}
	if c.Gamma == 0 {
		b = append(b, 0)
	} else {
		b = append(b, 255)
		b = binary.LittleEndian.AppendUint16(b, uint16(math.Round(c.Gamma/5*65535)))
	}
	b = append(b, byte(c.Split))
	for i, x := range c.X {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(x)))
		switch c.T[i] {
		case 0:
			b = append(b, 0)
		case 1:
			b = append(b, 100)
		default:
			b = append(b, 255)
			b = binary.LittleEndian.AppendUint16(b, uint16(math.Round(c.T[i]*65535)))
		}
	}
	return b
}

// checkedInput is what FuzzChecked feeds the checked API: arbitrary lengths,
// parameters (NaN, ±Inf, out of range) and targets (NaN, negative, > 1).
type checkedInput struct {
	x, t           []float64
	nDst, nGrad    int
	nilLoss        bool
	nLoss          int
	alpha, gamma   float64
	rawX, rawParam bool
}

func decodeChecked(data []byte) checkedInput {
	r := &byteReader{data}
	var in checkedInput
	n := int(r.u8() % 40)
	flags := r.u8()
	lenOf := func(bit byte) int {
		if flags&bit == 0 {
			return n
		}
		return int(r.u8() % 40)
	}
	nt := lenOf(1)
	in.nDst, in.nGrad, in.nLoss = lenOf(2), lenOf(4), lenOf(8)
	in.nilLoss = flags&16 != 0
	if flags&32 != 0 { // arbitrary float64 parameters
		in.alpha = math.Float64frombits(r.u64())
		in.gamma = math.Float64frombits(r.u64())
	} else {
		in.alpha = float64(int8(r.u8())) / 64 // -2 .. 2
		in.gamma = float64(int8(r.u8())) / 16 // -8 .. 8
	}
	for i := 0; i < n; i++ {
		in.x = append(in.x, float64(math.Float32frombits(r.u32())))
	}
	for i := 0; i < nt; i++ {
		var t float64
		switch b := r.u8(); {
		case b < 80:
			t = 0
		case b < 160:
			t = 1
		case b < 240:
			t = float64(b-160) / 80
		default:
			t = float64(math.Float32frombits(r.u32())) // NaN, negative, > 1, …
		}
		in.t = append(in.t, t)
	}
	return in
}

// FuzzChecked feeds the checked API (Loss, Sum, Mean, LossGrad) arbitrary
// input for both element types: it must return an error wrapping the sentinel
// of a problem the input has, writing nothing, or the answer Best gives, and
// never panic.
func FuzzChecked(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{3, 0, 16, 32, 0, 0, 0x80, 0x3f, 0, 0, 0x80, 0xbf, 0, 0, 0, 0, 0, 100, 200})
	f.Add([]byte{2, 1, 3, 16, 32, 0, 0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0xc0, 0x7f})
	f.Add([]byte{2, 32, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0x40})
	f.Fuzz(func(t *testing.T, data []byte) {
		in := decodeChecked(data)
		fuzzChecked[float32](t, in)
		fuzzChecked[float64](t, in)
	})
}

func fuzzChecked[F focal.Float](t *testing.T, in checkedInput) {
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
					t.Fatalf("float%d %s: wrote %v at %d on error", bitsOf[F](), what, v, i)
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
				t.Fatalf("float%d %s: no error for input with problems %v (α=%v γ=%v len(x)=%d len(t)=%d)",
					bitsOf[F](), what, problems, in.alpha, in.gamma, len(in.x), len(in.t))
			}
			return true
		}
		for k := range problems {
			if errors.Is(err, k) {
				for _, s := range problems[k] {
					if k == focal.ErrTarget && !strings.Contains(err.Error(), s) {
						t.Fatalf("float%d %s: error %q does not name %s", bitsOf[F](), what, err, s)
					}
				}
				untouched(what)
				return false
			}
		}
		t.Fatalf("float%d %s: error %v, but the input's problems are %v", bitsOf[F](), what, err, problems)
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
				t.Fatalf("float%d Loss: element %d: %v, %s gives %v", bitsOf[F](), i, dst[i], best.Name(), w[i])
			}
		}
		if msg := agreeStable(best, c); msg != "" {
			t.Fatalf("float%d Loss: %s", bitsOf[F](), msg)
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
				t.Fatalf("float%d LossGrad: element %d differs from %s", bitsOf[F](), i, best.Name())
			}
		}
	}
	outBufs = nil

	// Sum and Mean
	s, err := focal.Sum(x, tt, p)
	if expect("Sum", err, nil) {
		if w := best.Sum(x, tt, p); !same(s, w) {
			t.Fatalf("float%d Sum %v, %s gives %v", bitsOf[F](), s, best.Name(), w)
		}
	}
	m, err := focal.Mean(x, tt, p)
	if expect("Mean", err, nil) {
		w := s / float64(len(x))
		if len(x) == 0 {
			w = math.NaN()
		}
		if !same(m, w) && !(m != m && w != w) {
			t.Fatalf("float%d Mean %v, want Sum/N = %v", bitsOf[F](), m, w)
		}
	}
}
