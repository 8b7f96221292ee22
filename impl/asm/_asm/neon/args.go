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

func (k kernel) layout() layout {
	l := layout{off: map[string]int{}}
	ft, fs := "float32", 4
	if k.s.f64 {
		ft, fs = "float64", 8
	}
	var args, res []string
	slices := map[op][]string{opLoss: {"dst", "x", "t"}, opSum: {"x", "t"}, opLossGrad: {"loss", "grad", "x", "t"}}[k.o]
	off := 0
	for _, s := range slices {
		l.off[s] = off
		off += 24
		args = append(args, s+" []"+ft)
	}
	ps := []string{"a1", "a0", "a1lo", "a0lo", "gm"}
	if !k.s.f64 {
		ps = append(ps, "gmlo")
	}
	for _, p := range ps {
		l.off[p] = off
		off += fs
		args = append(args, p+" "+ft)
	}
	off = (off + 7) &^ 7
	if k.o == opSum {
		l.off["sum"] = off
		off += 8
		res = append(res, "sum float64")
	}
	if k.o != opSum || !k.s.f64 {
		l.off["ok"] = off
		off++
		res = append(res, "ok bool")
	}
	l.size = off
	l.sig = "(" + strings.Join(args, ", ") + ") (" + strings.Join(res, ", ") + ")"
	return l
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
