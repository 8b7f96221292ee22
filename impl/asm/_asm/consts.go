package main

// The constants the kernels load, shared with generic.go and soft.go, their
// data section, and the Go file that lists them for the package's tests to
// compare with the Go side's (writeConsts).

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
)

// Constants of generic.go, one 64-byte row each: 16 copies of a float32 (or
// 32-bit integer), or 8 copies of a float64 (or 64-bit integer) for the
// float64 kernels, whose rows are named with a leading "d".
var constNames = []string{}
var constVals = []uint64{}
var constWide = []bool{}

func cf(name string, v float32) { ci(name, math.Float32bits(v)) }
func ci(name string, v uint32) {
	constNames = append(constNames, name)
	constVals = append(constVals, uint64(v))
	constWide = append(constWide, false)
}
func cd(name string, v float64) { cq(name, math.Float64bits(v)) }
func cq(name string, v uint64) {
	constNames = append(constNames, name)
	constVals = append(constVals, v)
	constWide = append(constWide, true)
}

func init() {
	cf("zero", 0)
	cf("one", 1)
	cf("mone", -1)
	cf("mtwo", -2)
	cf("half", 0.5)
	cf("mhalf", -0.5)
	ci("sign", 0x80000000)
	cf("expLo", -104)
	cf("loMax", 1.0/64)
	cf("loMin", -1.0/64)
	cf("log2e", 1.44269504088896341)
	cf("ln2hi", 0.693359375)
	cf("ln2lo", -2.12194440e-4)
	cf("sqrt2", 1.41421356237)
	ci("oneHalf", 0x00800000) // 1.0 XOR 0.5: log1pY's scale by a mask
	cf("mzLo", -256)
	cf("maxf", math.MaxFloat32)
	cf("inf", float32(math.Inf(1)))
	cf("ep0", 1.9875691500e-4)
	cf("ep1", 1.3981999507e-3)
	cf("ep2", 8.3334519073e-3)
	cf("ep3", 4.1665795894e-2)
	cf("ep4", 1.6666665459e-1)
	cf("ep5", 5.0000001201e-1)
	cf("lp0", 7.0376836292e-2)
	cf("lp1", -1.1514610310e-1)
	cf("lp2", 1.1676998740e-1)
	cf("lp3", -1.2420140846e-1)
	cf("lp4", 1.4249322787e-1)
	cf("lp5", -1.6668057665e-1)
	cf("lp6", 2.0000714765e-1)
	cf("lp7", -2.4999993993e-1)
	cf("lp8", 3.3333331174e-1)
	// the soft body (../soft.go)
	ci("absmask", 0x7fffffff)
	ci("allones", 0xffffffff)
	ci("mantmask", 0x007fffff)
	cf("ln2hi16", 0.693145751953125)
	cf("ln2lo16", 1.428606820309417232121458176568e-6)
	cf("flagTiny", 0x1p-126)
	cf("twoMin", 0x1p-42) // rows.TwoMin: the flat two-valued body flags e below it
	cf("softNear", 1.0/16)
	cf("softFlag", 1.0/4)
	cf("softFloor", 0x1p-22)
	ci("i127", 127)
	ci("im126", 0xffffff82) // -126
	ci("i127sh", 127<<23)
	// iota for AVX2 tail masks: lane i holds i
	ci("iota", 0) // lane j holds j: see emitConsts
	// float64 rows (generic64.go, soft64.go)
	cd("dzero", 0)
	cd("done", 1)
	cq("diota", 0) // lane j holds j, as a 64-bit integer
	cd("dmone", -1)
	cd("dmtwo", -2)
	cd("dhalf", 0.5)
	cd("dmhalf", -0.5)
	cq("dsign", 1<<63)
	cq("dabsmask", 1<<63-1)
	cq("dallones", 1<<64-1)
	cq("dmantmask", 1<<52-1)
	cd("dexpLo", -746)
	cd("dloMax", 1.0/64)
	cd("dloMin", -1.0/64)
	cd("dlog2e", 1.4426950408889634)
	cd("dln2hi", 6.93147180369123816490e-01)
	cd("dln2lo", 1.90821492927058770002e-10)
	cd("dsqrt2", 1.4142135623730951)
	cq("doneHalf", 1<<52)
	cd("dmzLo", -2048)
	cd("dmaxf", math.MaxFloat64)
	cd("dflagTiny", 0x1p-1022)
	cd("dtwoMin", 0x1p-340)
	cd("dsoftNear", 1.0/16)
	cd("dsoftFlag", 1.0/4)
	cd("dsoftFloor", 0x1p-48)
	cd("dmagic", 0x1.8p52) // k + magic holds the integer k in its low bits
	cd("dtwo52", 0x1p52)
	cd("dtwo52bias", 0x1p52+1023)
	cq("di1023", 1023)
	cq("dim1022", 1<<64-1022) // -1022
	cq("di1023sh", 1023<<52)
	// exp's Q(r) = Σ r^i/(i+2)!, i = 11..0
	for i, d := range []float64{6227020800, 479001600, 39916800, 3628800, 362880, 40320, 5040, 720, 120, 24, 6, 2} {
		cd("dq"+itoa(i), 1/d)
	}
	// log's P(f), degree 19 down to 0 (generic64.go)
	for i, v := range []float64{
		-0.025061228095282464, 0.0566642324205218, -0.06129561980727906, 0.0537187789066478,
		-0.05368280388050548, 0.05837018351464999, -0.06265031869518063, 0.06671985555271291,
		-0.0714223204915847, 0.0769198812013375, -0.08333345056413204, 0.09090919875998202,
		-0.0999999999631727, 0.11111110909841072, -0.12499999997109267, 0.1428571428759174,
		-0.16666666666697305, 0.19999999999993223, -0.2499999999999993, 0.33333333333333337,
	} {
		cd("dlp"+itoa(i), v)
	}
}

var consts Mem

// c returns the row of the constant called name at the current width: the
// float32 row, or the float64 row "d"+name (through wideAlias where the
// float64 constant has another name).
func c(name string) Mem {
	if f64 {
		if a, ok := wideAlias[name]; ok {
			name = a
		}
		name = "d" + name
	}
	return rowOf(consts, constNames, name, "constant")
}

// rowOf returns the 64-byte row of data section sec that names lists name
// at; what says what name is, for the panic where it does not.
func rowOf(sec Mem, names []string, name, what string) Mem {
	i := slices.Index(names, name)
	if i < 0 {
		panic("no " + what + " " + name)
	}
	return sec.Offset(64 * i)
}

func emitConsts() {
	consts = GLOBL("focalconsts", RODATA|NOPTR)
	for i, v := range constVals {
		if constWide[i] {
			for j := 0; j < 8; j++ {
				w := v
				if constNames[i] == "diota" {
					w = uint64(j)
				}
				DATA(64*i+8*j, U64(w))
			}
			continue
		}
		for j := 0; j < 16; j++ {
			w := uint32(v)
			if constNames[i] == "iota" {
				w = uint32(j)
			}
			DATA(64*i+4*j, U32(w))
		}
	}
}

// writeConsts writes to path a Go test file of package model (impl/internal/model) that lists the
// constants as the kernels load them (bit patterns); TestConsts compares them
// with the Go side's, so that a value changed on one side only fails go test
// (and one changed here without regenerating fails make generate-check).
func writeConsts(path string) error {
	var rows []string
	for i, n := range constNames {
		if constWide[i] {
			rows = append(rows, fmt.Sprintf("{%q, %#016x},", n, constVals[i]))
		} else {
			rows = append(rows, fmt.Sprintf("{%q, %#08x},", n, constVals[i]))
		}
	}
	return writeBitsTable(path, "kernelConsts",
		"// kernelConsts are the constants of the kernels' data section (_asm/consts.go).\n"+
			"// A float64 row's name starts with \"d\"; its bits are the float64's.\n", rows)
}

// writeBitsTable writes to path a generated Go test file of package model
// that declares name, with the doc comment doc, as a table of named bit
// patterns, one row of its literal a line.
func writeBitsTable(path, name, doc string, rows []string) error {
	var b strings.Builder
	b.WriteString("// Code generated by command: go run . (impl/asm/_asm). DO NOT EDIT.\n\n")
	b.WriteString("package model\n\n")
	b.WriteString(doc)
	b.WriteString("var " + name + " = []struct {\n\tname string\n\tbits uint64\n}{\n")
	for _, r := range rows {
		b.WriteString("\t" + r + "\n")
	}
	b.WriteString("}\n")
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// wideAlias names the float64 rows of the float32 constants that float64
// splits differently: one ln2 = hi + lo (32 bits in hi) serves the exp's
// reduction and both logs.
var wideAlias = map[string]string{"ln2hi16": "ln2hi", "ln2lo16": "ln2lo", "im126": "im1022", "i127sh": "i1023sh"}
