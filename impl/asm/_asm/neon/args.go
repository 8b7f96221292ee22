package neon

// A function's arguments: its Go signature, their frame offsets, and α and
// γ in pinned registers for the by-element forms.

import "strings"

// layout is the function's Go signature and its arguments' frame offsets
// (ABI0: in order, each aligned to its size; the results from the next
// multiple of 8).
type layout struct {
	sig  string
	off  map[string]int
	size int
}

// layoutBuilder lays the arguments out in the order they are added.
type layoutBuilder struct {
	layout
	f64  bool
	args []string
}

func newLayout(f64 bool) *layoutBuilder {
	return &layoutBuilder{layout: layout{off: map[string]int{}}, f64: f64}
}

// ft is the element's Go type.
func (b *layoutBuilder) ft() string {
	if b.f64 {
		return "float64"
	}
	return "float32"
}

// arg adds argument name of Go type typ and size bytes.
func (b *layoutBuilder) arg(name, typ string, size int) {
	b.off[name] = b.size
	b.size += size
	b.args = append(b.args, name+" "+typ)
}

// slices adds arguments of type []typ.
func (b *layoutBuilder) slices(typ string, names ...string) {
	for _, n := range names {
		b.arg(n, "[]"+typ, 24)
	}
}

// floats adds arguments of the element type.
func (b *layoutBuilder) floats(names ...string) {
	size := 4
	if b.f64 {
		size = 8
	}
	for _, n := range names {
		b.arg(n, b.ft(), size)
	}
}

// end adds operation o's results, from the next multiple of 8: Sum's sum,
// and ok but for float64's Sum.
func (b *layoutBuilder) end(o op) layout {
	b.size = (b.size + 7) &^ 7
	var res []string
	if o == opSum {
		b.off["sum"] = b.size
		b.size += 8
		res = append(res, "sum float64")
	}
	if o != opSum || !b.f64 {
		b.off["ok"] = b.size
		b.size++
		res = append(res, "ok bool")
	}
	b.sig = "(" + strings.Join(b.args, ", ") + ") (" + strings.Join(res, ", ") + ")"
	return b.layout
}

func (k kernel) layout() layout {
	b := newLayout(k.s.f64)
	b.slices(b.ft(), map[op][]string{opLoss: {"dst", "x", "t"}, opSum: {"x", "t"}, opLossGrad: {"loss", "grad", "x", "t"}}[k.o]...)
	b.floats("a1", "a0", "a1lo", "a0lo", "gm")
	if !k.s.f64 {
		b.floats("gmlo")
	}
	return b.end(k.o)
}

// params loads α and γ into pinned registers, for the by-element forms:
// float32 a1, a0, a1lo, a0lo in V31 (contiguous in the frame) and gm, gmlo in
// V30; float64 a1, a0 in V31, a1lo, a0lo in V30, gm in V29.
func (f *fn) params(lay layout) {
	f.packed = map[string]elem{}
	p31, p30 := f.pin(31), f.pin(30)
	pair := func(v V, r Reg, first string, names ...string) {
		f.raw("MOVD\t$%s+%d(FP), %s", first, lay.off[first], regTmp)
		if len(names) == 4 {
			f.raw("FMOVQ\t(%s), F%d", regTmp, r)
		} else {
			f.raw("FMOVD\t(%s), F%d", regTmp, r)
		}
		for i, n := range names {
			f.packed["p:"+n] = elem{v, i}
		}
	}
	if !f.s.f64 {
		pair(p31, 31, "a1", "a1", "a0", "a1lo", "a0lo")
		pair(p30, 30, "gm", "g", "glo")
		return
	}
	f.raw("MOVD\t$a1+%d(FP), %s", lay.off["a1"], regTmp)
	f.raw("FMOVQ\t(%s), F31", regTmp)
	f.raw("MOVD\t$a1lo+%d(FP), %s", lay.off["a1lo"], regTmp)
	f.raw("FMOVQ\t(%s), F30", regTmp)
	f.raw("FMOVD\tgm+%d(FP), F29", lay.off["gm"])
	p29 := f.pin(29)
	for i, n := range []string{"a1", "a0"} {
		f.packed["p:"+n] = elem{p31, i}
	}
	for i, n := range []string{"a1lo", "a0lo"} {
		f.packed["p:"+n] = elem{p30, i}
	}
	f.packed["p:g"] = elem{p29, 0}
}

// param returns the parameter called name (a1, a0, a1lo, a0lo, g, glo).
func (f *fn) param(name string) elem {
	e, ok := f.packed["p:"+name]
	if !ok {
		panic("no parameter " + name)
	}
	return e
}
