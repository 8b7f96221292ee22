package kit

// The rows form's cases as bytes: the fuzz targets' decoding and encoding
// of a RowsCase, and their seed corpus.

import (
	"encoding/binary"
	"math"
	"slices"
)

// DecodeRowsCase turns bytes into a RowsCase of float32-representable
// values with valid parameters, labels and weights (the kernels'
// preconditions): N, C, off, α, γ, smoothing, class α and weight modes,
// then per row a label byte, and per element 4 bytes of float32 bits for x
// (every class: zeros, subnormals, normals, ±Inf, NaN) and a weight byte
// where weights are per element.
func DecodeRowsCase(data []byte) RowsCase {
	r := NewBytes(data)
	n := int(r.U8()) % 17
	C := 1 + int(r.U8())%33
	c := RowsCase{C: C, Off: int(r.U8()) % 20}
	c.Alpha, c.Gamma = decodeParams(r)
	switch s := r.U8(); {
	case s >= 128:
		c.Smoothing = float64(s-128) / 128
	case s >= 128-byte(len(edgeSmoothing)):
		c.Smoothing = edgeSmoothing[s-(128-byte(len(edgeSmoothing)))]
	}
	modes := r.U8()
	if modes&1 != 0 {
		c.ClassAlpha = make([]float64, C)
		for i := range c.ClassAlpha {
			c.ClassAlpha[i] = float64(r.U8()) / 255
		}
	}
	weight := func() float64 {
		b := r.U8()
		if b >= 240 {
			return []float64{1e-30, 1e10, 3e37, 0x1p-140, 0, 1e3, 1, 2, 0.5, 1e-3, 4, 8, 16, 100, 0.25, 0.125}[b-240]
		}
		return float64(float32(float64(b) / 64))
	}
	for i := 0; i < n && len(r.b) > 0; i++ {
		b := r.U8()
		switch {
		case b < 100:
			c.Labels = append(c.Labels, int32(C))
		case b < 200:
			c.Labels = append(c.Labels, int32(int(b)%C))
		default:
			c.Labels = append(c.Labels, -1-int32(b-200))
		}
	}
	n = len(c.Labels)
	wmode := modes >> 1 & 3
	switch wmode {
	case 1:
		c.W = make([]float64, n)
		for i := range c.W {
			c.W[i] = weight()
		}
	case 2:
		c.W = make([]float64, n*C)
	}
	c.X = make([]float64, n*C)
	for i := range c.X {
		c.X[i] = float64(math.Float32frombits(r.U32()))
		if wmode == 2 {
			c.W[i] = weight()
		}
	}
	c.Split = int(r.U8()) % (n + 1)
	return c
}

// edgeSmoothing are the smoothings a byte below 128 can give besides the
// multiples of 1/128 above it: the edges of the rows form's bodies, where
// T0 or 1-T1 is tiny, subnormal, at the two-valued body's least target
// (2^-42 in float32, 2^-340 in float64) or just below, and where both
// targets round to 1/2 or to 1-2^-24 and 2^-24.
var edgeSmoothing = []float64{1e-44, 1e-30, 2e-20, 0x1p-43, 0x1p-41, 0x1p-339, 0x1p-341, 1e-300,
	1e-6, 0x1p-23, 1 - 0x1p-26, 1 - 0x1p-20, 1 - 1e-9, 0.999, 0.5 + 0x1p-20, 0.2}

// EncodeRowsCase is DecodeRowsCase's inverse for the seed corpus (α, γ,
// smoothing, class α and weights are quantized as DecodeRowsCase reads
// them; a label is background, a class, or ignored as -1).
func EncodeRowsCase(c RowsCase) []byte {
	b := []byte{byte(c.N()), byte(c.C - 1), byte(c.Off)}
	b = encodeParams(b, c.Alpha, c.Gamma)
	b = append(b, 0)
	if i := slices.Index(edgeSmoothing, c.Smoothing); i >= 0 {
		b[len(b)-1] = byte(128 - len(edgeSmoothing) + i)
	} else if c.Smoothing != 0 {
		b[len(b)-1] = byte(128 + math.Round(c.Smoothing*128))
	}
	modes := byte(0)
	if c.ClassAlpha != nil {
		modes |= 1
	}
	switch {
	case c.W == nil:
	case len(c.W) == c.N():
		modes |= 1 << 1
	default:
		modes |= 2 << 1
	}
	b = append(b, modes)
	for _, a := range c.ClassAlpha {
		b = append(b, byte(math.Round(a*255)))
	}
	weight := func(w float64) byte { return byte(min(math.Round(w*64), 239)) }
	for _, l := range c.Labels {
		switch {
		case l < 0:
			b = append(b, 200)
		case int(l) == c.C:
			b = append(b, 0)
		default:
			b = append(b, byte(100+(int(l)-100%c.C+c.C)%c.C))
		}
	}
	if len(c.W) == c.N() {
		for _, w := range c.W {
			b = append(b, weight(w))
		}
	}
	for i, x := range c.X {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(x)))
		if len(c.W) == len(c.X) && len(c.W) != c.N() {
			b = append(b, weight(c.W[i]))
		}
	}
	return append(b, byte(c.Split))
}

// RowsSeeds returns the seed corpus of the rows fuzz targets: RetinaNet-like
// heads with background, ignored and positive rows at the vector widths'
// edges, special logits, weights, class α and smoothing.
func RowsSeeds() [][]byte {
	xs := func(n int, vs ...float64) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = vs[i%len(vs)]
		}
		return out
	}
	return [][]byte{
		{},
		EncodeRowsCase(RowsCase{X: xs(3*17, 0, -3, 17, -88.72283, 103.97208, math.Inf(1), math.NaN(), 2.5), Labels: []int32{4, 17, -1}, C: 17, Alpha: 0.25, Gamma: 2}),
		EncodeRowsCase(RowsCase{X: xs(5*3, 3e38, -3e38, 1e-30, 0x1p-149, -1, 2, 0.5), Labels: []int32{0, 3, 2, -1, 1}, C: 3, Alpha: -1, Gamma: 1.5,
			W: []float64{1, 0, 2, 0.5, 3}, Smoothing: 0.1, Off: 3, Split: 2}),
		EncodeRowsCase(RowsCase{X: xs(9*1, 1, -1, 40, -40, 0), Labels: []int32{0, 1, 1, 0, -1, 1, 0, 1, 1}, C: 1, Alpha: 0.5, Gamma: 0,
			ClassAlpha: []float64{0.75}, Smoothing: 0.5}),
		EncodeRowsCase(RowsCase{X: xs(2*16, -4, 4, 1e-3, -100, 90), Labels: []int32{15, 16}, C: 16, Alpha: 1, Gamma: 5,
			W: xs(2*16, 1, 0.25, 0, 3), ClassAlpha: xs(16, 0, 1, 0.25, 0.5)}),
		// tiny smoothing against huge logits and ±Inf, and both targets 1/2
		EncodeRowsCase(RowsCase{X: xs(3*17, math.Inf(-1), -1e38, 1e38, -3, math.Inf(1), -3e38, 2), Labels: []int32{4, 17, 0}, C: 17, Alpha: 0.25, Gamma: 2,
			Smoothing: 1e-30}),
		EncodeRowsCase(RowsCase{X: xs(2*19, -1e38, math.Inf(-1), 5, -1e20, 1e38), Labels: []int32{18, 3}, C: 19, Alpha: 0.75, Gamma: 2,
			Smoothing: 2e-20, W: []float64{1, 2}}),
		EncodeRowsCase(RowsCase{X: xs(2*9, -1e38, math.Inf(-1), 5, 1e38, -0.5), Labels: []int32{2, 9}, C: 9, Alpha: 0.25, Gamma: 2,
			Smoothing: 1 - 0x1p-26}),
	}
}
