package kit

// Differential fuzzing: cases decoded from the fuzzer's bytes, the seed
// corpus, and the checks a fuzzed kernel is held to.

import (
	"embed"
	"encoding/binary"
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/focalkernels/focal"
)

// NewBytes reads data.
func NewBytes(data []byte) *Bytes { return &Bytes{data} }

// Bytes hands out the fuzzer's bytes; past the end it reads zeros.
type Bytes struct{ b []byte }

func (r *Bytes) U8() byte {
	if len(r.b) == 0 {
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *Bytes) U16() uint16 { return uint16(r.U8()) | uint16(r.U8())<<8 }

func (r *Bytes) U32() uint32 { return uint32(r.U16()) | uint32(r.U16())<<16 }

func (r *Bytes) U64() uint64 { return uint64(r.U32()) | uint64(r.U32())<<32 }

// DecodeCase turns bytes into a Case of float32-representable values with
// valid parameters and targets (the kernels' preconditions): n, off, α, γ,
// then per element 4 bytes of float32 bits for x (every class: zeros,
// subnormals, normals, ±Inf, NaN) and a target byte (0, 1, or 2 more bytes
// for a soft target).
func DecodeCase(data []byte) Case {
	r := NewBytes(data)
	n := int(r.U8()) % 71
	c := Case{Off: int(r.U8()) % 20}
	c.Alpha, c.Gamma = decodeParams(r)
	c.Split = int(r.U8())
	for i := 0; i < n && len(r.b) > 0; i++ {
		c.X = append(c.X, float64(math.Float32frombits(r.U32())))
		var t float64
		switch b := r.U8(); {
		case b < 100:
			t = 0
		case b < 200:
			t = 1
		default:
			t = float64(float32(float64(r.U16()) / 65535))
		}
		c.T = append(c.T, t)
	}
	c.Split %= len(c.X) + 1
	return c
}

// decodeParams reads α (off, 0, 1, 0.25, 0.5 or 16 bits in [0, 1]) and γ
// (0, 1..5 or 16 bits in [0, 5]).
func decodeParams(r *Bytes) (alpha, gamma float64) {
	switch a := r.U8(); {
	case a < 32:
		alpha = -1
	case a < 64:
		alpha = []float64{0, 1, 0.25, 0.5}[a%4]
	default:
		alpha = float64(r.U16()) / 65535
	}
	switch g := r.U8(); {
	case g < 32:
		gamma = 0
	case g < 96:
		gamma = float64(1 + g%5)
	default:
		gamma = float64(r.U16()) / 65535 * 5
	}
	return alpha, gamma
}

// encodeParams appends α and γ as decodeParams reads them (quantized to 16
// bits).
func encodeParams(b []byte, alpha, gamma float64) []byte {
	if alpha < 0 {
		b = append(b, 0)
	} else {
		b = append(b, 255)
		b = binary.LittleEndian.AppendUint16(b, uint16(math.Round(alpha*65535)))
	}
	if gamma == 0 {
		return append(b, 0)
	}
	b = append(b, 255)
	return binary.LittleEndian.AppendUint16(b, uint16(math.Round(gamma/5*65535)))
}

// EncodeCase is DecodeCase's inverse for the seed corpus (α, γ and soft
// targets are quantized to 16 bits).
func EncodeCase(c Case) []byte {
	b := []byte{byte(len(c.X)), byte(c.Off)}
	b = encodeParams(b, c.Alpha, c.Gamma)
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

// Fuzz runs on one decoded case the checks of differential fuzzing:
// agree-stable, lossgrad-loss-exact, sum-vs-loss and sum-concat. It returns
// the first failure's message, or "".
func Fuzz[F focal.Float](k focal.Kernel[F], c Case, bar focal.Bar) string {
	for _, check := range []func(focal.Kernel[F], Case, focal.Bar) string{agreeStable[F], lossGradExact[F], sumVsLoss[F], sumConcat[F]} {
		if msg := check(k, c, bar); msg != "" {
			return fmt.Sprintf("float%d: %s\ncase %v", bitsOf[F](), msg, c)
		}
	}
	return ""
}

//go:embed seeds
var seedFiles embed.FS

// Seeds returns the seed corpus of the fuzz targets: cases that once failed
// (tails of every vector width, the float boundaries, soft targets near σ(x),
// large γ), in go test's corpus file format under seeds/, decoded, and a few
// written out here.
func Seeds() ([][]byte, error) {
	out := [][]byte{
		{},
		EncodeCase(Case{X: []float64{0, 17, -88.72283, 103.97208, math.Inf(1), math.NaN()}, T: []float64{1, 0, 1, 0, 0.5, 1}, Alpha: 0.25, Gamma: 2}),
		EncodeCase(Case{X: []float64{3e38, -3e38, 1e-30, 0x1p-149, -1, 2}, T: []float64{0, 1, 0.5, 0.25, 1, 0}, Alpha: -1, Gamma: 0.5, Off: 3}),
	}
	es, err := seedFiles.ReadDir("seeds")
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		b, err := seedFiles.ReadFile(path.Join("seeds", e.Name()))
		if err != nil {
			return nil, err
		}
		d, err := parseCorpusFile(string(b))
		if err != nil {
			return nil, fmt.Errorf("seeds/%s: %v", e.Name(), err)
		}
		out = append(out, d)
	}
	return out, nil
}

// parseCorpusFile reads go test's corpus format for one []byte argument:
// "go test fuzz v1" and a line []byte("...") with a Go string literal.
func parseCorpusFile(s string) ([]byte, error) {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) != 2 || lines[0] != "go test fuzz v1" {
		return nil, fmt.Errorf("not a go test fuzz v1 file of one value")
	}
	lit, okPrefix := strings.CutPrefix(lines[1], "[]byte(")
	lit, okSuffix := strings.CutSuffix(lit, ")")
	if !okPrefix || !okSuffix {
		return nil, fmt.Errorf("want []byte(\"...\"), got %q", lines[1])
	}
	v, err := strconv.Unquote(lit)
	if err != nil {
		return nil, err
	}
	return []byte(v), nil
}
