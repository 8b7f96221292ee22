package neon

// The kernels' constants: one 16-byte row per constant of the generator's
// table (the float32 ones as four copies, the float64 ones, named with a
// leading "d", as two), loaded whole (FMOVQ) where an operation needs the
// constant in every lane, or used by element; the tails' lane masks; and the
// rows kernels' gather indices.

import (
	"fmt"
	"strings"
)

// Const is one constant of the generator's table (_asm/consts.go): a
// float32 (or 32-bit integer) row, or a float64 (or 64-bit integer) one if
// Wide, whose name starts with "d".
type Const struct {
	Name string
	Bits uint64
	Wide bool
}

// regConsts holds the table's address in every function.
const regConsts = "R5"

// symConsts is the table's symbol.
const symConsts = "focalneonconsts<>"

type table struct {
	names []string
	lo    []uint64 // each row's bytes 0-7 and 8-15, little-endian
	hi    []uint64
	index map[string]int
	alias map[string]string
	poly  map[bool]Poly // by float64-ness
}

// newTable lays out the rows of cs, then the tail masks ("tail32_n": the
// first n float32 lanes set, "tail64_n" likewise).
func newTable(cs []Const, alias map[string]string, poly map[bool]Poly) *table {
	t := &table{index: map[string]int{}, alias: alias, poly: poly}
	for _, c := range cs {
		var w uint64
		switch {
		case c.Wide && c.Name == "diota":
			t.put(c.Name, 0, 1)
			continue
		case c.Name == "iota":
			t.put(c.Name, 1<<32, 3<<32|2)
			continue
		case c.Wide:
			w = c.Bits
		default:
			w = c.Bits&0xffffffff | c.Bits<<32
		}
		t.put(c.Name, w, w)
	}
	for n := range 4 {
		var m [2]uint64
		for j := range n {
			m[j/2] |= 0xffffffff << (32 * (j % 2))
		}
		t.put(fmt.Sprintf("tail32_%d", n), m[0], m[1])
	}
	t.put("tail64_0", 0, 0)
	t.put("tail64_1", 1<<64-1, 0)
	// the rows kernels' gather indices (rows.go)
	t.put(rowsIdx, rowsIdxV, rowsIdxV)
	t.put(rowsMul4, rowsMul4V, rowsMul4V)
	return t
}

func (t *table) put(name string, lo, hi uint64) {
	t.index[name] = len(t.names)
	t.names = append(t.names, name)
	t.lo = append(t.lo, lo)
	t.hi = append(t.hi, hi)
}

// row returns the byte offset of the row of the constant called name at
// width s (the float64 row is "d" + name, or "d" + its alias).
func (t *table) row(s shape, name string) int {
	if s.f64 {
		if a, ok := t.alias[name]; ok {
			name = a
		}
		name = "d" + name
	}
	return t.offset(name)
}

// offset returns the byte offset of the row called name, as it is.
func (t *table) offset(name string) int {
	i, ok := t.index[name]
	if !ok {
		panic("no constant " + name)
	}
	return 16 * i
}

// data returns the table's DATA and GLOBL lines.
func (t *table) data() string {
	var b strings.Builder
	for i := range t.names {
		fmt.Fprintf(&b, "DATA %s+%d(SB)/8, $%#016x\n", symConsts, 16*i, t.lo[i])
		fmt.Fprintf(&b, "DATA %s+%d(SB)/8, $%#016x\n", symConsts, 16*i+8, t.hi[i])
	}
	fmt.Fprintf(&b, "GLOBL %s(SB), RODATA|NOPTR, $%d\n", symConsts, 16*len(t.names))
	return b.String()
}
