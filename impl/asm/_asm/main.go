// Command _asm generates focal_amd64.s and focal_amd64.go, the AVX2+FMA and
// AVX-512 sigmoid focal loss kernels of package asm. Run it with go generate
// in impl/asm (or make generate). It is its own module so that avo never
// enters the project's go.mod.
//
// Every kernel computes, lane by lane, exactly the operations of elemHard in
// ../generic.go (the hard body) or of elemGen in ../soft.go (the soft body),
// in the same order (see the comments there); a change to one is a change to
// both, and the tests compare them for every length. The kernels' constants
// are also written as a Go test file (-consts) that TestConsts compares with
// the Go side's.
package main

import (
	"flag"
	"strings"

	"github.com/focalkernels/focal/impl/asm/_asm/neon"
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/pass"
)

func main() {
	flag.IntVar(&unroll2, "unroll2", unroll2, "vectors per step, AVX2")
	flag.IntVar(&unroll512, "unroll512", unroll512, "vectors per step, AVX-512 float32")
	flag.IntVar(&unroll512Double, "unroll512d", unroll512Double, "vectors per step, AVX-512 float64, γ = 0, 1, 2")
	flag.IntVar(&unroll512DoubleGen, "unroll512dgen", unroll512DoubleGen, "vectors per step, AVX-512 float64, general γ")
	flag.IntVar(&lag2, "lag2", lag2, "stagger of the vectors, AVX2")
	flag.IntVar(&budget2, "budget2", 0, "greedy interleave budget, AVX2 (0: stagger)")
	flag.IntVar(&lag512, "lag512", lag512, "stagger of the vectors, AVX-512")
	flag.IntVar(&softLag2, "softlag2", 0, "stagger of the vectors in the soft body, AVX2 (0: lagOf)")
	flag.IntVar(&softBudget2, "softbudget2", 0, "greedy interleave budget of the soft body, AVX2 (0: budgetOf)")
	flag.IntVar(&softUnroll2, "softunroll2", softUnroll2, "vectors per step of the soft body, AVX2")
	flag.IntVar(&softLag512, "softlag512", 0, "stagger of the vectors in the soft body, AVX-512 (0: lagOf)")
	flag.IntVar(&twoLag2, "twolag2", twoLag2, "stagger of the vectors in the two-valued body, AVX2")
	flag.IntVar(&twoLag512, "twolag512", twoLag512, "stagger of the vectors in the two-valued body, AVX-512")
	only := flag.String("only", "", "generate only functions whose name contains this (debugging)")
	nospill := flag.Bool("nospill", false, "AVX2 soft bodies keep everything in registers (searchlags.sh)")
	constsOut := flag.String("consts", "", "also write the constants as a Go test file here (for TestConsts)")
	dispatchOut := flag.String("dispatch", "", "also write the Go side's dispatch to the kernels here")
	flag.StringVar(&countOut, "count", "", "also write the loop steps' instruction counts here (count.go)")
	neonOut := flag.String("neon-out", "", "also write the arm64 (NEON) kernels here")
	neonStubs := flag.String("neon-stubs", "", "and their Go declarations here")
	neonDispatch := flag.String("neon-dispatch", "", "and the Go side's dispatch to them here")
	flag.IntVar(&neon.Unroll, "neon-unroll", neon.Unroll, "vectors per hard step, NEON")
	rowsOut := flag.String("rows", "", "also write the rows kernels' Go side (tables, dispatch) here")
	flag.Parse()
	flag.Visit(func(f *flag.Flag) {
		if f.Name == "lag2" {
			lagForced = true // for searchlags.sh
		}
	})
	ConstraintExpr("!purego")
	emitConsts()
	if *dispatchOut != "" {
		if err := writeDispatch(*dispatchOut, []string{"AVX512", "AVX2"}); err != nil {
			panic(err)
		}
	}
	if *neonOut != "" {
		if err := writeNEON(*neonOut, *neonStubs, *neonDispatch); err != nil {
			panic(err)
		}
	}
	if *rowsOut != "" {
		if err := writeRowsGo(*rowsOut); err != nil {
			panic(err)
		}
	}
	if *constsOut != "" {
		if err := writeConsts(*constsOut); err != nil {
			panic(err)
		}
	}
	for _, double := range []bool{false, true} {
		useWidth(double)
		width := ""
		if double {
			width = "64"
		}
		for _, s := range []isa{{"AVX2", 8}, {"AVX512", 16}} {
			for mode := range modeNames {
				for _, o := range []op{opLoss, opSum, opLossGrad} {
					fn := o.name() + width + s.name + modeNames[mode]
					if *only != "" && !strings.Contains(fn, *only) {
						continue
					}
					g := &gen{isa: s, mode: mode}
					if *nospill {
						noSpill[fn] = true
					}
					g.function(o)
				}
			}
		}
	}
	for _, double := range []bool{false, true} {
		useWidth(double)
		rowsFunctions(*only)
	}
	emitSoftmaxConsts()
	for _, s := range []isa{{"AVX2", 8}, {"AVX512", 16}} {
		if *only == "" || strings.Contains("softmax", *only) {
			softmaxFuncs(s)
		}
	}
	if *constsOut != "" {
		if err := writeSoftmaxConsts(*constsOut); err != nil {
			panic(err)
		}
	}
	for _, s := range []isa{{"AVX2", 8}, {"AVX512", 16}} {
		for _, f64 := range []bool{false, true} {
			useWidth(f64)
			if *only == "" || strings.Contains("firstBad", *only) {
				firstBad(s)
			}
		}
	}
	pass.Compile = compile // the interval allocator (alloc.go)
	Generate()
	if err := writeCounts(); err != nil {
		panic(err)
	}
}

func paramAddr(name string) Mem {
	b, err := Param(name).Resolve()
	if err != nil {
		panic(err)
	}
	return b.Addr
}
