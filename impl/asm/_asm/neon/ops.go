package neon

// The vector operations the bodies are written in, one instruction each
// (but a constant's load): each returns a new value. The floating-point
// ones round as IEEE 754 does in round-to-nearest-even, which is how
// Linux, Darwin and Windows run arm64 code (FPCR.RMode = 0, no flush to
// zero); fma is FMLA, fused. Names follow the model's operations
// (impl/internal/model): fma(a, b, c) = a·b + c rounded once.

import "fmt"

// three emits an untied instruction with sources n, m (WORD encoded by enc).
func (b *stream) three(enc func(d, n, m Reg) word, n, m V) V {
	return b.add(&ins{dst: b.f.newV(), src: []V{n, m},
		emit: func(d Reg, s []Reg) string { return enc(d, s[0], s[1]).line() }})
}

func (b *stream) two(enc func(d, n Reg) word, n V) V {
	return b.add(&ins{dst: b.f.newV(), src: []V{n},
		emit: func(d Reg, s []Reg) string { return enc(d, s[0]).line() }})
}

func (b *stream) fp3(op string, n, m V) V {
	sh := b.s
	return b.three(func(d, n, m Reg) word { return fp3(op, sh, d, n, m) }, n, m)
}

func (b *stream) fp2(op string, n V) V {
	sh := b.s
	return b.two(func(d, n Reg) word { return fp2(op, sh, d, n) }, n)
}

func (b *stream) add2(x, y V) V   { return b.fp3("fadd", x, y) }
func (b *stream) sub(x, y V) V    { return b.fp3("fsub", x, y) }
func (b *stream) mul(x, y V) V    { return b.fp3("fmul", x, y) }
func (b *stream) div(x, y V) V    { return b.fp3("fdiv", x, y) }
func (b *stream) fmax(x, y V) V   { return b.fp3("fmax", x, y) }   // NaN if either is NaN
func (b *stream) fmin(x, y V) V   { return b.fp3("fmin", x, y) }   // NaN if either is NaN
func (b *stream) fmaxnm(x, y V) V { return b.fp3("fmaxnm", x, y) } // the number if one is a quiet NaN
func (b *stream) fminnm(x, y V) V { return b.fp3("fminnm", x, y) } // the number if one is a quiet NaN
func (b *stream) cmeq(x, y V) V   { return b.fp3("fcmeq", x, y) }  // x == y: all ones, or zero
func (b *stream) cmgt(x, y V) V   { return b.fp3("fcmgt", x, y) }  // x > y (false on NaN)
func (b *stream) abs(x V) V       { return b.fp2("fabs", x) }      // the sign bit cleared
func (b *stream) neg(x V) V       { return b.fp2("fneg", x) }      // the sign bit flipped
func (b *stream) frintn(x V) V    { return b.fp2("frintn", x) }    // to an integer, ties to even
func (b *stream) fcvtns(x V) V    { return b.fp2("fcvtns", x) }    // to a signed integer, ties to even
func (b *stream) scvtf(x V) V     { return b.fp2("scvtf", x) }     // a signed integer to float
func (b *stream) cmeq0(x V) V     { return b.fp2("fcmeq0", x) }    // x == 0
func (b *stream) cmgt0(x V) V     { return b.fp2("fcmgt0", x) }    // x > 0
func (b *stream) cmlt0(x V) V     { return b.fp2("fcmlt0", x) }    // x < 0

// tied emits an instruction that accumulates into src[0] (FMLA, FMLS, lane inserts).
func (b *stream) tied(emit func(d Reg, s []Reg) string, src ...V) V {
	return b.add(&ins{dst: b.f.newV(), src: src, alts: []alt{{0, emit}}})
}

// fma returns x·y + acc rounded once (FMLA).
func (b *stream) fma(x, y, acc V) V {
	a := b.s.goArr()
	return b.tied(func(d Reg, s []Reg) string {
		return fmt.Sprintf("VFMLA\tV%d.%s, V%d.%s, V%d.%s", s[2], a, s[1], a, d, a)
	}, acc, x, y)
}

// fms returns acc - x·y rounded once (FMLS): fma(-x, y, acc).
func (b *stream) fms(x, y, acc V) V {
	a := b.s.goArr()
	return b.tied(func(d Reg, s []Reg) string {
		return fmt.Sprintf("VFMLS\tV%d.%s, V%d.%s, V%d.%s", s[2], a, s[1], a, d, a)
	}, acc, x, y)
}

// elem is one lane of a register: a constant or parameter for the
// by-element forms.
type elem struct {
	v    V
	lane int
}

// fmaE returns x·k + acc (FMLA by element).
func (b *stream) fmaE(x V, k elem, acc V) V {
	sh, lane := b.s, k.lane
	return b.tied(func(d Reg, s []Reg) string { return fpElem("fmla", sh, d, s[1], s[2], lane).line() }, acc, x, k.v)
}

// fmsE returns acc - x·k (FMLS by element).
func (b *stream) fmsE(x V, k elem, acc V) V {
	sh, lane := b.s, k.lane
	return b.tied(func(d Reg, s []Reg) string { return fpElem("fmls", sh, d, s[1], s[2], lane).line() }, acc, x, k.v)
}

// mulE returns x·k (FMUL by element).
func (b *stream) mulE(x V, k elem) V {
	sh, lane := b.s, k.lane
	return b.add(&ins{dst: b.f.newV(), src: []V{x, k.v},
		emit: func(d Reg, s []Reg) string { return fpElem("fmul", sh, d, s[0], s[1], lane).line() }})
}

// The bitwise and integer operations (Go's assembler has most of them).
func (b *stream) native(op string, arr string, x, y V) V {
	return b.add(&ins{dst: b.f.newV(), src: []V{x, y},
		emit: func(d Reg, s []Reg) string {
			return fmt.Sprintf("%s\tV%d.%s, V%d.%s, V%d.%s", op, s[1], arr, s[0], arr, d, arr)
		}})
}

func (b *stream) and(x, y V) V  { return b.native("VAND", "B16", x, y) }
func (b *stream) orr(x, y V) V  { return b.native("VORR", "B16", x, y) }
func (b *stream) eor(x, y V) V  { return b.native("VEOR", "B16", x, y) }
func (b *stream) iadd(x, y V) V { return b.native("VADD", b.s.goArr(), x, y) }
func (b *stream) isub(x, y V) V { return b.native("VSUB", b.s.goArr(), x, y) } // x - y

// bic returns x AND NOT y.
func (b *stream) bic(x, y V) V { return b.three(bic, x, y) }

func (b *stream) shift(op string, x V, n int) V {
	a := b.s.goArr()
	return b.add(&ins{dst: b.f.newV(), src: []V{x},
		emit: func(d Reg, s []Reg) string { return fmt.Sprintf("%s\t$%d, V%d.%s, V%d.%s", op, n, s[0], a, d, a) }})
}

func (b *stream) shl(x V, n int) V  { return b.shift("VSHL", x, n) }
func (b *stream) ushr(x V, n int) V { return b.shift("VUSHR", x, n) }

func (b *stream) sshr(x V, n int) V {
	sh := b.s
	return b.two(func(d, m Reg) word { return sshr(sh, d, m, n) }, x)
}

// signs returns the lanes whose sign bit is set, as a mask (all ones or zero).
func (b *stream) signs(x V) V { return b.sshr(x, 8*b.s.bytes()-1) }

// sel returns m ? x : y lane by lane, for a mask m: BSL, BIT or BIF,
// whichever overwrites an operand that dies here.
func (b *stream) sel(m, x, y V) V {
	f := func(op string, d, n, mm int) func(Reg, []Reg) string {
		return func(r Reg, s []Reg) string {
			return fmt.Sprintf("%s\tV%d.B16, V%d.B16, V%d.B16", op, s[mm], s[n], r)
		}
	}
	// BSL d=m: d = m&x | ~m&y; BIT d=y: d = y&~m | x&m; BIF d=x: d = x&m | y&~m.
	return b.add(&ins{dst: b.f.newV(), src: []V{m, x, y}, alts: []alt{
		{0, f("VBSL", 0, 1, 2)},
		{2, f("VBIT", 2, 1, 0)},
		{1, f("VBIF", 1, 2, 0)},
	}})
}

// k returns the full-vector constant called name (resident, or loaded).
func (b *stream) k(name string) V {
	if v, ok := b.f.res[name]; ok {
		return v
	}
	off := b.f.consts.row(b.s, name)
	return b.add(&ins{dst: b.f.newV(),
		emit: func(d Reg, s []Reg) string { return fmt.Sprintf("FMOVQ\t%d(%s), F%d", off, regConsts, d) }})
}

// ke returns the constant called name for a by-element operand.
func (b *stream) ke(name string) elem {
	if e, ok := b.f.packed[name]; ok {
		return e
	}
	return elem{b.k(name), 0}
}

// zero returns a vector of zeros.
func (b *stream) zero() V {
	return b.add(&ins{dst: b.f.newV(),
		emit: func(d Reg, s []Reg) string { return fmt.Sprintf("VEOR\tV%d.B16, V%d.B16, V%d.B16", d, d, d) }})
}

// load returns the vector at off(base); store writes v there.
func (b *stream) load(base string, off int) V {
	return b.add(&ins{dst: b.f.newV(),
		emit: func(d Reg, s []Reg) string { return fmt.Sprintf("FMOVQ\t%d(%s), F%d", off, base, d) }})
}

func (b *stream) store(v V, base string, off int) {
	b.add(&ins{src: []V{v},
		emit: func(d Reg, s []Reg) string { return fmt.Sprintf("FMOVQ\tF%d, %d(%s)", s[0], off, base) }})
}
