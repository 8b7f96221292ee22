package kit

// Differential fuzzing of the softmax form: cases decoded from the fuzzer's
// bytes, and the checks a fuzzed kernel is held to.

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/focalkernels/focal"
)

// DecodeSoftmaxCase turns bytes into a SoftmaxCase of float32-representable
// values with valid parameters, labels and weights (the kernels'
// preconditions): C, N, off, α, γ, a flags byte (weights, ClassAlpha), then
// per row a label byte (0..C-1, or ignored) and C logits of 4 bytes of
// float32 bits each (every class: zeros, subnormals, normals, ±Inf, NaN),
// and per row a weight byte.
func DecodeSoftmaxCase(data []byte) SoftmaxCase {
	r := NewBytes(data)
	c := SoftmaxCase{C: 1 + int(r.U8())%40}
	n := int(r.U8()) % 9
	c.Off = int(r.U8()) % 20
	c.Alpha, c.Gamma = decodeParams(r)
	flags := r.U8()
	for range n {
		if len(r.b) == 0 {
			break
		}
		l := int(r.U8())
		if l >= 200 {
			l = -1
		}
		c.Labels = append(c.Labels, int32(min(l, c.C-1)))
		for range c.C {
			c.X = append(c.X, float64(math.Float32frombits(r.U32())))
		}
	}
	if flags&1 != 0 {
		for range c.N() {
			c.Weight = append(c.Weight, float64(r.U8())/32)
		}
	}
	if flags&2 != 0 {
		c.ClassAlpha = make([]float64, c.C)
		for j := range c.ClassAlpha {
			c.ClassAlpha[j] = float64(r.U8()) / 255
		}
	}
	return c
}

// EncodeSoftmaxCase is DecodeSoftmaxCase's inverse for seed corpora (α, γ,
// weights and ClassAlpha quantized; C from 1 to 40, N up to 8).
func EncodeSoftmaxCase(c SoftmaxCase) []byte {
	b := []byte{byte(c.C - 1), byte(c.N()), byte(c.Off)}
	b = encodeParams(b, c.Alpha, c.Gamma)
	var flags byte
	if c.Weight != nil {
		flags |= 1
	}
	if c.ClassAlpha != nil {
		flags |= 2
	}
	b = append(b, flags)
	for n := range c.N() {
		l := byte(c.Labels[n])
		if c.Labels[n] < 0 {
			l = 255
		}
		b = append(b, l)
		for _, x := range c.Row(n) {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(x)))
		}
	}
	for _, w := range c.Weight {
		b = append(b, byte(math.Round(w*32)))
	}
	for _, a := range c.ClassAlpha {
		b = append(b, byte(math.Round(a*255)))
	}
	return b
}

// SoftmaxSeeds are the softmax fuzz targets' seed corpus: rows of every
// kind that once mattered (confident right and wrong, ±Inf, NaN, ties, C =
// 1, lengths past a vector).
func SoftmaxSeeds() [][]byte {
	inf, nan := math.Inf(1), math.NaN()
	return [][]byte{
		{},
		EncodeSoftmaxCase(SoftmaxCase{C: 3, X: []float64{1, 0, -1, 0, 1, 2}, Labels: []int32{2, 1}, Alpha: 0.25, Gamma: 2}),
		EncodeSoftmaxCase(SoftmaxCase{C: 2, X: []float64{100, 0, 0, 100, inf, 1}, Labels: []int32{0, 0, 1}, Alpha: 0.25, Gamma: 0.5}),
		EncodeSoftmaxCase(SoftmaxCase{C: 4, X: []float64{-inf, -inf, -inf, -inf, 3, nan, 1, 2}, Labels: []int32{1, -1}, Alpha: -1, Gamma: 0}),
		EncodeSoftmaxCase(SoftmaxCase{C: 1, X: []float64{3e38, -inf}, Labels: []int32{0, 0}, Alpha: 1, Gamma: 5}),
		EncodeSoftmaxCase(SoftmaxCase{C: 17, X: make([]float64, 17*3), Labels: []int32{16, 0, 8}, Alpha: 0.5, Gamma: 1.5,
			Weight: []float64{0, 1, 7.96875}, Off: 3}),
	}
}

// FuzzSoftmax runs on one decoded case the checks of differential fuzzing:
// softmax-agree-stable, softmax-lossgrad-exact, softmax-sum,
// softmax-grad-sum-zero and softmax-ignored. It returns the first failure's
// message, or "".
func FuzzSoftmax[F focal.Float](k focal.SoftmaxKernel[F], c SoftmaxCase, bar focal.Bar) string {
	for _, check := range []func(focal.SoftmaxKernel[F], SoftmaxCase, focal.Bar) string{
		softmaxAgreeStable[F], softmaxLossGradExact[F], softmaxSum[F], softmaxGradSumZero[F], softmaxIgnored[F],
	} {
		if msg := check(k, c, bar); msg != "" {
			return fmt.Sprintf("float%d: %s\ncase %v", bitsOf[F](), msg, c)
		}
	}
	return ""
}
