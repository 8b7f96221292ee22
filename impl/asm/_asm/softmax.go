package main

// The softmax form's lanes (impl/internal/model's softmax_lanes.go is the
// scalar model and the contract, operation for operation): a row's
// reduction, softmaxReduce32<ISA> and softmaxReduce64<ISA>, and the scaling
// of its stored exps into its gradient, softmaxScale32<ISA> and
// softmaxScale64<ISA>. One row per call: the Go side's row loop
// (model.SoftmaxLoss32, …) calls them around the epilogue (float32 rows'
// in lanes, eight rows a call: softmax_epi.go). The
// exp pass runs in float64 lanes for either width (a float32 row is
// converted as it is loaded); the max pass in the row's own lanes (and a
// float64 row's minimum beside). The last vector of a row is masked (K
// registers on AVX-512, VMASKMOV and blends on AVX2), and so is the label's
// lane, whose exp is accumulated apart; in a row whose maximum is finite
// the other whole vectors take plain steps without those masks, narrow
// ones in a float64 row that spans at most 1000 (reduce's body).

import (
	"fmt"
	"math"
	"path/filepath"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The softmax lanes' own constants, in their own data section (smconsts),
// which zsoftmaxconsts_test.go lists for the model's test to compare.
var smNames []string
var smVals []uint64

func sm(name string, v uint64) { smNames, smVals = append(smNames, name), append(smVals, v) }

func init() {
	ln2 := 0.6931471805599453
	sm("minf32", uint64(math.Float32bits(float32(math.Inf(-1))))|uint64(math.Float32bits(float32(math.Inf(-1))))<<32)
	sm("minf64", math.Float64bits(math.Inf(-1)))
	sm("lo32", math.Float64bits(-(1022+64)*ln2))
	sm("lo64", math.Float64bits(-(1076+512)*ln2))
	sm("bias32", math.Float64bits(64))
	sm("bias64", math.Float64bits(512))
	sm("ibias64", 512)
	// 2^(k+64)'s biased exponent less k, less dmagic's bits: added to the
	// bits of k + dmagic it gives the exponent field's value (mod 2^64)
	sm("ebiasm32", 64+1023-math.Float64bits(0x1.8p52))
	sm("ln2", math.Float64bits(ln2)) // a float32 row's reduction, in one FMA
	sm("pinf64", math.Float64bits(math.Inf(1)))
	// a float64 row is narrow where its maximum less its minimum is at most
	// narrow64: every k of its exps is then at least -1444 (above the clamp,
	// and 2^(k+512) normal), so one product scales them, as the two halves do
	sm("narrow64", math.Float64bits(1000))
	sm("nbias64", 512+1023-math.Float64bits(0x1.8p52)) // 2^(k+512)'s biased exponent less k, less dmagic's bits
	sm("epilimit", math.Float64bits(0x1p38))           // the epilogue's limit on weight·α·(1+γ)
	sm("two64", math.Float64bits(2))
	sm("onehalf64", math.Float64bits(1.5))
	sm("unscale32", math.Float64bits(0x1p-64))
	sm("unscale64", math.Float64bits(0x1p-512))
}

var smConsts Mem

// smc returns the 64-byte row (8 copies of 64 bits) of the softmax constant called name.
func smc(name string) Mem {
	return rowOf(smConsts, smNames, name, "softmax constant")
}

func emitSoftmaxConsts() {
	smConsts = GLOBL("smconsts", RODATA|NOPTR)
	for i, v := range smVals {
		for j := 0; j < 8; j++ {
			DATA(64*i+8*j, U64(v))
		}
	}
}

// writeSoftmaxConsts writes zsoftmaxconsts_test.go beside the kernels'
// constants file (package model): the softmax constants' bits.
func writeSoftmaxConsts(constsPath string) error {
	var rows []string
	for i, n := range smNames {
		rows = append(rows, fmt.Sprintf("{%q, %#016x},", n, smVals[i]))
	}
	return writeBitsTable(filepath.Join(filepath.Dir(constsPath), "zsoftmaxconsts_test.go"), "softmaxKernelConsts",
		"// softmaxKernelConsts are the constants of the softmax lanes' data section (_asm/softmax.go).\n", rows)
}

// softmaxFuncs emits the four softmax functions of isa s.
func softmaxFuncs(s isa) {
	for _, double := range []bool{false, true} {
		useWidth(true) // the exp pass is in float64 lanes either way
		(&smGen{gen: gen{isa: s, u: 1}, row64: double}).reduce()
		(&smGen{gen: gen{isa: s, u: 1}, row64: double}).scaleFunc()
	}
	useWidth(true)
	(&smGen{gen: gen{isa: s, u: 1}}).epiFunc()
}

// smGen emits one softmax function.
type smGen struct {
	gen
	row64 bool // the row is float64 (else float32)
	// AVX-512 (32 registers): loop invariants held in registers rather than
	// reloaded from memory in every step; nil on AVX2.
	loR reg.VecVirtual // the exp's clamp
}

func (g *smGen) bits() string {
	if g.row64 {
		return "64"
	}
	return "32"
}

// w64 is the number of float64 lanes of a vector.
func (g *smGen) w64() int { return g.w / 2 }

// rowSize is the row's element size in bytes.
func (g *smGen) rowSize() int {
	if g.row64 {
		return 8
	}
	return 4
}

// lanesMask returns the mask of the first rem lanes (rem < lanes, a GP
// register) of a vector of lanes of size bytes: a K register on AVX-512, a
// vector on AVX2 (of size-byte lanes).
func (g *smGen) lanesMask(rem reg.GPVirtual, lanes, size int) masks {
	if g.avx512() {
		k := K()
		ones, bits := GP32(), GP32()
		MOVL(U32(1<<lanes-1), ones)
		BZHIL(rem.As32(), ones, bits)
		KMOVW(bits, k)
		return masks{k: KS{k}}
	}
	nv, m := YMM(), YMM()
	vmovq(rem, nv)
	if size == 8 {
		VPBROADCASTQ(nv.AsX(), nv)
		VPCMPGTQ(c("iota"), nv, m) // c("iota") is "diota" (float64 width): lane j holds j
	} else {
		VPBROADCASTD(nv.AsX(), nv)
		useWidth(false)
		VPCMPGTD(c("iota"), nv, m)
		useWidth(true)
	}
	return masks{v: V{m}}
}
