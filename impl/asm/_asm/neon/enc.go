package neon

// The encoder of the Advanced SIMD (NEON) instructions that Go's arm64
// assembler has no mnemonic for: each returns the instruction word and its
// disassembly in GNU syntax (as golang.org/x/arch/arm64/arm64asm prints it),
// which the generated file carries as WORD $0x… // disassembly, and which
// TestWords decodes and compares. The field layouts are the Arm Architecture
// Reference Manual's (A64, "Advanced SIMD three same", "two-register
// miscellaneous", "vector x indexed element", "shift by immediate", "across
// lanes", "scalar pairwise"); every encoding here is of a 128-bit vector
// (Q = 1) but FCVTL's lower half and FADDP's scalar result.

import "fmt"

// Reg is a vector register, V0 to V31.
type Reg uint8

// word is one encoded instruction.
type word struct {
	bits uint32
	asm  string // GNU syntax
}

// shape is a vector's arrangement: four float32 (or int32) lanes or two
// float64 (or int64) lanes.
type shape struct{ f64 bool }

var (
	s4 = shape{false}
	d2 = shape{true}
)

// pick returns f32 for a float32 shape, f64 for a float64 one.
func pick[T any](s shape, f32, f64 T) T {
	if s.f64 {
		return f64
	}
	return f32
}

// sz is the floating-point size bit (22): 0 single, 1 double.
func (s shape) sz() uint32 { return pick[uint32](s, 0, 1) }

// arr is the GNU arrangement suffix.
func (s shape) arr() string { return pick(s, "4s", "2d") }

// elem is the GNU element suffix of an indexed element.
func (s shape) elem() string { return pick(s, "s", "d") }

// goArr is the arrangement in Go's assembler syntax.
func (s shape) goArr() string { return pick(s, "S4", "D2") }

// goElem is the element suffix in Go's assembler syntax.
func (s shape) goElem() string { return pick(s, "S", "D") }

// lanes is the number of lanes.
func (s shape) lanes() int { return pick(s, 4, 2) }

// bytes is a lane's size.
func (s shape) bytes() int { return 16 / s.lanes() }

func rd(d Reg) uint32          { return uint32(d) & 31 }
func rn(n Reg) uint32          { return (uint32(n) & 31) << 5 }
func rm(m Reg) uint32          { return (uint32(m) & 31) << 16 }
func (s shape) v(r Reg) string { return fmt.Sprintf("v%d.%s", r, s.arr()) }

// The "three same" floating-point operations: opcode bits with Q = 1, sz = 0.
var threeSame = map[string]uint32{
	"fadd":   0x4e20d400,
	"fsub":   0x4ea0d400,
	"fmul":   0x6e20dc00,
	"fdiv":   0x6e20fc00,
	"fmax":   0x4e20f400,
	"fmin":   0x4ea0f400,
	"fmaxnm": 0x4e20c400,
	"fminnm": 0x4ea0c400,
	"fmla":   0x4e20cc00,
	"fmls":   0x4ea0cc00,
	"fcmeq":  0x4e20e400,
	"fcmge":  0x6e20e400,
	"fcmgt":  0x6ea0e400,
}

// fp3 encodes op d, n, m of threeSame.
func fp3(op string, s shape, d, n, m Reg) word {
	base, ok := threeSame[op]
	if !ok {
		panic("no three-same op " + op)
	}
	return word{base | s.sz()<<22 | rm(m) | rn(n) | rd(d),
		fmt.Sprintf("%s %s, %s, %s", op, s.v(d), s.v(n), s.v(m))}
}

// The two-register floating-point operations; the compares with zero print
// their immediate.
var twoReg = map[string]uint32{
	"fabs":   0x4ea0f800,
	"fneg":   0x6ea0f800,
	"frintn": 0x4e218800,
	"fcvtns": 0x4e21a800,
	"scvtf":  0x4e21d800,
	"fcmgt0": 0x4ea0c800,
	"fcmeq0": 0x4ea0d800,
	"fcmlt0": 0x4ea0e800,
	"fcmge0": 0x6ea0c800,
	"fcmle0": 0x6ea0d800,
}

// fp2 encodes op d, n of twoReg.
func fp2(op string, s shape, d, n Reg) word {
	base, ok := twoReg[op]
	if !ok {
		panic("no two-register op " + op)
	}
	w := word{bits: base | s.sz()<<22 | rn(n) | rd(d)}
	if op[len(op)-1] == '0' {
		w.asm = fmt.Sprintf("%s %s, %s, #0", op[:len(op)-1], s.v(d), s.v(n))
	} else {
		w.asm = fmt.Sprintf("%s %s, %s", op, s.v(d), s.v(n))
	}
	return w
}

// The by-element operations: op d, n, m[i].
var byElem = map[string]uint32{
	"fmla": 0x4f801000,
	"fmls": 0x4f805000,
	"fmul": 0x4f809000,
}

// fpElem encodes op d, n, m[i]: index i is H:L for 32-bit lanes, H for 64-bit.
func fpElem(op string, s shape, d, n, m Reg, i int) word {
	base, ok := byElem[op]
	if !ok {
		panic("no by-element op " + op)
	}
	if i < 0 || i >= s.lanes() {
		panic("lane out of range")
	}
	var hl uint32
	if s.f64 {
		hl = uint32(i) << 11
	} else {
		hl = uint32(i>>1)<<11 | uint32(i&1)<<21
	}
	return word{base | s.sz()<<22 | hl | rm(m) | rn(n) | rd(d),
		fmt.Sprintf("%s %s, %s, v%d.%s[%d]", op, s.v(d), s.v(n), m, s.elem(), i)}
}

// sshr encodes the arithmetic shift right by sh (1 to the lane's bits).
func sshr(s shape, d, n Reg, sh int) word {
	bits := 8 * s.bytes()
	if sh < 1 || sh > bits {
		panic("shift out of range")
	}
	imm := uint32(2*bits - sh) // immh:immb
	return word{0x4f000400 | imm<<16 | rn(n) | rd(d),
		fmt.Sprintf("sshr %s, %s, #%d", s.v(d), s.v(n), sh)}
}

// bic encodes d = n AND NOT m (bitwise, the whole register).
func bic(d, n, m Reg) word {
	return word{0x4e601c00 | rm(m) | rn(n) | rd(d),
		fmt.Sprintf("bic v%d.16b, v%d.16b, v%d.16b", d, n, m)}
}

// umaxv encodes the unsigned maximum of n's four 32-bit lanes into s<d>.
func umaxv(d, n Reg) word {
	return word{0x6eb0a800 | rn(n) | rd(d), fmt.Sprintf("umaxv s%d, v%d.4s", d, n)}
}

// uminv encodes the unsigned minimum of n's four 32-bit lanes into s<d>.
func uminv(d, n Reg) word {
	return word{0x6eb1a800 | rn(n) | rd(d), fmt.Sprintf("uminv s%d, v%d.4s", d, n)}
}

// fcvtl encodes the widening of n's float32 lanes 0-1 (hi: 2-3) to float64.
func fcvtl(d, n Reg, hi bool) word {
	if hi {
		return word{0x4e617800 | rn(n) | rd(d), fmt.Sprintf("fcvtl2 v%d.2d, v%d.4s", d, n)}
	}
	return word{0x0e617800 | rn(n) | rd(d), fmt.Sprintf("fcvtl v%d.2d, v%d.2s", d, n)}
}

// faddp encodes d<d> = n[0] + n[1] of two float64 lanes.
func faddp(d, n Reg) word {
	return word{0x7e70d800 | rn(n) | rd(d), fmt.Sprintf("faddp d%d, v%d.2d", d, n)}
}

// line is the word as a line of the assembly file.
func (w word) line() string { return fmt.Sprintf("WORD\t$0x%08x\t// %s", w.bits, w.asm) }

// The integer operations of the rows kernels' label gather (rows.go).

// tbl encodes the byte lookup d = n[m] (a byte of m past 15 gives 0).
func tbl(d, n, m Reg) word {
	return word{0x4e000000 | rm(m) | rn(n) | rd(d),
		fmt.Sprintf("tbl v%d.16b, {v%d.16b}, v%d.16b", d, n, m)}
}

// mla32 encodes d += n·m on 32-bit integer lanes.
func mla32(d, n, m Reg) word {
	return word{0x4ea09400 | rm(m) | rn(n) | rd(d), fmt.Sprintf("mla v%d.4s, v%d.4s, v%d.4s", d, n, m)}
}

// cmeq32 encodes d = (n == m) on 32-bit integer lanes: all ones, or zero.
func cmeq32(d, n, m Reg) word {
	return word{0x6ea08c00 | rm(m) | rn(n) | rd(d), fmt.Sprintf("cmeq v%d.4s, v%d.4s, v%d.4s", d, n, m)}
}

// sxtl encodes the sign extension of n's 32-bit lanes 0-1 to 64 bits.
func sxtl(d, n Reg) word {
	return word{0x0f20a400 | rn(n) | rd(d), fmt.Sprintf("sxtl v%d.2d, v%d.2s", d, n)}
}

// fcvtn encodes the narrowing of n's two float64 lanes to float32 lanes 0-1
// of d (rounded as FPCR says: to nearest, ties to even), lanes 2-3 cleared.
func fcvtn(d, n Reg) word {
	return word{0x0e616800 | rn(n) | rd(d), fmt.Sprintf("fcvtn v%d.2s, v%d.2d", d, n)}
}
