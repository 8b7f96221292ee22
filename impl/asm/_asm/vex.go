package main

// Moves between a vector register and a general register or a Go argument,
// always in their VEX forms. avo's Load and Store, and MOVQ, pick the legacy
// SSE encodings (MOVSS, MOVSD, MOVQ), and a legacy SSE instruction that
// writes an XMM register while the upper halves of the YMM/ZMM registers
// are dirty pays a state transition or a merge on many x86 cores: the MOVQs
// in softmaxReduce32AVX2's prologue, run once per row, made the float32
// softmax Sum 1.8× slower on a Zen 3 (asm-avx2, 8192 × 80;
// results/amd-epyc-family-25-model-1/sse/). The generator never emits them:
// TestVEXOnly (../vex_test.go) reads the generated file.

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/gotypes"
	"github.com/mmcloughlin/avo/reg"
)

// vmovq moves the general register r into the low lane of x (VMOVQ).
func vmovq(r reg.GPVirtual, x reg.VecVirtual) { VMOVQ(r, x.AsX()) }

// storeX stores the low float of x into the result ret, by its size.
func storeX(x reg.VecVirtual, ret gotypes.Component) {
	b, err := ret.Resolve()
	if err != nil {
		panic(err)
	}
	switch n := gotypes.Sizes.Sizeof(b.Type); n {
	case 4:
		VMOVSS(x.AsX(), b.Addr)
	case 8:
		VMOVSD(x.AsX(), b.Addr)
	default:
		panic(fmt.Sprintf("storeX: a %d-byte result", n))
	}
}

// loadX loads the float64 argument p into the low lane of x (VMOVSD).
func loadX(p gotypes.Component, x reg.VecVirtual) {
	b, err := p.Resolve()
	if err != nil {
		panic(err)
	}
	if n := gotypes.Sizes.Sizeof(b.Type); n != 8 {
		panic(fmt.Sprintf("loadX: a %d-byte argument", n))
	}
	VMOVSD(b.Addr, x.AsX())
}
