package neon

// The Go side of the rows kernels, written with their declarations: the
// tables' layout (which impl/internal/rows's Tab must match: a test
// compares), the lanes per vector, and the dispatch by γ mode and smoothing.

import (
	"fmt"
	"strings"
)

// doc is the rows function's doc comment.
func (k rowsKernel) doc() string {
	n := k.name()
	what := [...]string{"Loss", "Sum", "LossGrad"}[k.o]
	s := "// " + n + " is the rows form's " + what + " (see rows.go in impl/asm/_asm/neon): x holds whole rows,\n" +
		"// labels (and per-row weights) at least 16 more than x's rows reach into, tab the class tables,\n" +
		"// dims C, q, r, qu, ru and the weight mode."
	switch {
	case k.o == opSum && k.s.f64:
		s += "\n"
	case k.o == opSum:
		s += " ok = false if a float32 lane of the block sums overflowed.\n"
	case k.flagged():
		s += " ok = false if a lane was left to the scalar path (NaN).\n"
	default:
		s += " ok is true.\n"
	}
	return s
}

// rowsGo returns the Go side's rows declarations.
func rowsGo() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n// rowsStride is the kernels' table stride: %d classes and %d lanes past\n// them (impl/internal/rows's Stride, which a test compares).\nconst rowsStride = %d\n\n", rowsCap, rowsMaxW, rowsStride)
	b.WriteString("// rowsOff32 and rowsOff64 are the byte offsets of the tables (a1, a0, a1lo,\n// a0lo, cls, ro, ro2) that the kernels read.\nvar (\n")
	for _, s := range []shape{s4, d2} {
		var offs []string
		for k := range 7 {
			offs = append(offs, fmt.Sprint(tabOff(s, k)))
		}
		fmt.Fprintf(&b, "\trowsOff%d = [...]int{%s}\n", 8*s.bytes(), strings.Join(offs, ", "))
	}
	b.WriteString(")\n")
	fk := kernel{}
	fmt.Fprintf(&b, `
// rowsLanes returns the lanes of level l's rows kernels (float64 if double)
// and the vectors they take per step of their main loop (smooth: the
// general body's).
func rowsLanes(l Level, double, smooth bool, mode int) (w, u int) {
	u = %d
	if smooth {
		u = %d
	}
	if double {
		return 2, u
	}
	return 4, u
}

// The simdRows functions run the rows kernel for the γ mode (Mode2 or
// ModeGen, model.RowsMode) on whole rows; see rowsRun.
`, fk.unroll(), min(fk.unroll(), fk.softUnroll()))
	for _, s := range []shape{s4, d2} {
		w, ft, extra := "32", "float32", "p.G, p.Glo"
		if s.f64 {
			w, ft, extra = "64", "float64", "p.G"
		}
		for _, o := range []op{opLoss, opSum, opLossGrad} {
			var sig, args, ret string
			common := "x, labels, w, &a.Tab.A1[0], &a.Dims[0], a.T1, a.T0, " + extra
			opn := [...]string{"Loss", "Sum", "LossGrad"}[o]
			switch o {
			case opLoss:
				sig = fmt.Sprintf("(l Level, dst, x []%s, labels []int32, w []%s, a *rows.Args[%s], p *model.Params%s) (ok bool)", ft, ft, ft, w)
				args = "dst, " + common
			case opSum:
				sig = fmt.Sprintf("(l Level, x []%s, labels []int32, w []%s, a *rows.Args[%s], p *model.Params%s) (s float64, ok bool)", ft, ft, ft, w)
				args = common
				if s.f64 {
					ret = ", true"
				}
			case opLossGrad:
				sig = fmt.Sprintf("(l Level, loss, grad, x []%s, labels []int32, w []%s, a *rows.Args[%s], p *model.Params%s) (ok bool)", ft, ft, ft, w)
				args = "loss, grad, " + common
			}
			fmt.Fprintf(&b, "\nfunc simdRows%s%s%s {\n\tswitch {\n", opn, w, sig)
			for _, mode := range rowsModes {
				for _, smooth := range []bool{false, true} {
					k := rowsKernel{o: o, mode: mode, s: s, smooth: smooth}
					cond := "p.Mode == model.Mode2"
					if mode != mode2 {
						cond = "p.Mode != model.Mode2"
					}
					if smooth {
						cond += " && a.Smooth"
					} else {
						cond += " && !a.Smooth"
					}
					fmt.Fprintf(&b, "\tcase %s:\n\t\treturn %s(%s)%s\n", cond, k.name(), args, ret)
				}
			}
			b.WriteString("\t}\n\tpanic(\"focal/impl/asm: no rows kernel for this mode\")\n}\n")
		}
	}
	return b.String()
}
