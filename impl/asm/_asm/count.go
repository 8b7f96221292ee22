package main

// The instruction count of the kernels' loop bodies (-count): for each
// function, the main loop's hard step and soft step (from the step's label to
// its jump back to the loop), per vector, by the execution resource each
// instruction takes on AMD Zen 5, as measured there with loops of
// independent instructions (zmm and ymm alike; see
// results/amd-epyc-family-26-model-2/hardpath.md):
//
//	fma   multiply, fused multiply-add, VSCALEF        two pipes
//	add   add, subtract, min, max, round, convert,     two other pipes
//	      integer add and shift, compare into a vector
//	any   logic, VBLENDM, masked moves                 any of the four
//	k     writes of a mask register (compares into K, VPMOVD2M, K ops): 1.7 a cycle
//	div   VDIVPS (a zmm one holds the fma pipes 2.6 cycles), VDIVPD (4.1)
//	load  loads: vectors read, and each memory operand (constants): 1.9 a cycle
//	      (half that for a 64-byte load that crosses a cache line)
//
// so that a step needs at least max((fma + div·d)/2, add/2, (fma + add +
// any + div·d)/4, k/1.7, load/1.9) cycles per vector, d the division's
// cycles. Register moves (mov) are eliminated at rename, a store takes its
// own port; gp is the loop's integer work.

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/mmcloughlin/avo/ir"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// countOut is where -count writes its table ("" for none).
var countOut string

// counts holds one row per function and step.
var counts []string

// instrClass returns the class of an instruction and whether it reads
// memory besides (a memory operand that is not its destination).
func instrClass(in *ir.Instruction) (class string, load bool) {
	op := in.Opcode
	n := len(in.Operands)
	for i, o := range in.Operands {
		if operand.IsMem(o) && i < n-1 {
			load = true
		}
	}
	has := func(ps ...string) bool {
		for _, p := range ps {
			if strings.HasPrefix(op, p) {
				return true
			}
		}
		return false
	}
	kDest := false
	if n > 0 {
		if r, ok := in.Operands[n-1].(reg.Register); ok && r.Kind() == reg.KindOpmask {
			kDest = true
		}
	}
	switch {
	case has("VDIV"):
		return "div", load
	case kDest || has("K"):
		return "k", load
	case has("VMOVUP", "VMOVAP", "VMASKMOV", "VBROADCAST"):
		switch {
		case n == 3 && !has("VMASKMOV"): // masked: a blend
			return "any", load
		case load:
			return "load", false
		case operand.IsMem(in.Operands[n-1]):
			return "store", false
		}
		return "mov", false
	case has("VMUL", "VFMADD", "VFMSUB", "VFNMADD", "VFNMSUB", "VSCALEF"):
		return "fma", load
	case has("VAND", "VOR", "VXOR", "VPAND", "VPOR", "VPXOR", "VPTERNLOG", "VBLENDM", "VPMOVM2"):
		return "any", load
	case has("V"):
		return "add", load
	}
	return "gp", load
}

var countClasses = []string{"fma", "add", "any", "k", "div", "load", "store", "mov", "gp"}

// countBodies is a pass that records the loop steps' instructions by class.
func countBodies(fn *ir.Function) error {
	if countOut == "" {
		return nil
	}
	avx512 := strings.Contains(fn.Name, "AVX512")
	double := strings.Contains(fn.Name, "64")
	lanes := 8
	if avx512 {
		lanes = 16
	}
	divCycles := 2.6
	if double {
		lanes /= 2
		divCycles = 4.1
	}
	step := func(label string) (map[string]int, int) {
		var c map[string]int
		instrs := 0
		for _, n := range fn.Nodes {
			switch n := n.(type) {
			case ir.Label:
				if string(n) == label {
					c = map[string]int{}
				}
			case *ir.Instruction:
				if c == nil {
					continue
				}
				if n.IsUnconditionalBranch() {
					return c, instrs
				}
				if n.IsBranch {
					continue
				}
				k, load := instrClass(n)
				c[k]++
				instrs++
				if load {
					c["load"]++
				}
			}
		}
		return c, instrs
	}
	// hard: the main loop's step; soft: the step a soft lane sends it to
	// (at γ = 2 the uniform step, uniform.go, as a call of them takes it:
	// from its body through the next step's loads and test, uniStick);
	// lanes: that step's two-valued body of every lane, where its test
	// fails (Sum and Loss, LossGrad)
	for _, s := range []struct{ label, what string }{{"_loopU", "hard"}, {"_loopU_soft", "soft"},
		{"_loopU_soft_lanes_body", "lanes"}, {"_loopU_soft2_lanes_body", "lanes"}} {
		c, instrs := step(fn.Name + s.label)
		if s.what == "soft" {
			for _, body := range []string{"_loopU_soft3_body", "_loopU_soft2_body"} {
				if cs, is := step(fn.Name + body); cs != nil {
					c, instrs = cs, is
					break
				}
			}
		}
		if c == nil {
			continue
		}
		mode := mode2
		for m, s := range modeNames {
			if strings.Contains(fn.Name, s) {
				mode = m
			}
		}
		vecs := unrollOf(avx512, double, mode)
		// a rows kernel's step takes rowsUnrollOf's vectors; a flat soft
		// step the soft body's (softUnroll), AVX-512's uniform step at
		// γ = 2 uniUnroll
		if strings.HasPrefix(fn.Name, "rows") {
			vecs = rowsUnrollOf(avx512, double, mode, strings.HasSuffix(fn.Name, "Smooth"))
		} else if s.what != "hard" {
			soft := softUnroll2
			if avx512 {
				soft = softUnroll512
			}
			if s.what == "soft" && avx512 && mode == mode2 {
				soft = uniUnroll
			}
			vecs = min(vecs, soft)
		}
		per := func(k string) float64 { return float64(c[k]) / float64(vecs) }
		row := fmt.Sprintf("%-20s %-4s %6.1f", fn.Name, s.what, float64(instrs)/float64(vecs))
		for _, k := range countClasses {
			row += fmt.Sprintf(" %5.1f", per(k))
		}
		div := per("div") * divCycles
		bound := max((per("fma")+div)/2, per("add")/2, (per("fma")+per("add")+per("any")+div)/4,
			per("k")/1.7, per("load")/1.9)
		row += fmt.Sprintf(" %6.1f %6.2f", bound, bound/float64(lanes))
		counts = append(counts, row)
	}
	return nil
}

// writeCounts writes the table of countBodies to countOut.
func writeCounts() error {
	if countOut == "" {
		return nil
	}
	sort.Strings(counts)
	var b strings.Builder
	b.WriteString("# Instructions per vector in the main loop's hard and soft steps (impl/asm/_asm -count),\n")
	b.WriteString("# by execution resource on AMD Zen 5 (see _asm/count.go); bound: the cycles per vector and\n")
	b.WriteString("# per element those resources need at least.\n")
	fmt.Fprintf(&b, "%-20s %-4s %6s", "function", "step", "instrs")
	for _, k := range countClasses {
		fmt.Fprintf(&b, " %5s", k)
	}
	b.WriteString("  bound  /elem\n")
	for _, r := range counts {
		b.WriteString(r + "\n")
	}
	return os.WriteFile(countOut, []byte(b.String()), 0o644)
}
