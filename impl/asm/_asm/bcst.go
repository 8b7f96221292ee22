package main

// AVX-512 reads its constants by embedded broadcast: a 4-byte (float64: 8)
// memory operand broadcast to every lane ({1to16}, {1to8}) rather than the
// whole 64-byte row. The rows are only 32-byte aligned (the Go linker aligns
// data to 32 bytes at most), so a 64-byte load of one crosses a cache line,
// and Zen 5 serves such split loads at half the rate (one a cycle where it
// serves two aligned or broadcast ones): every AVX-512 kernel was bound by
// them. The values are the same, so are the results.

import (
	"reflect"
	"slices"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
)

// bcstOf maps an instruction to its embedded-broadcast form, by the entry
// point of the function that emits it.
var bcstOf = map[uintptr]any{}

func init() {
	for _, p := range [][2]any{
		{VADDPS, VADDPS_BCST}, {VADDPD, VADDPD_BCST},
		{VSUBPS, VSUBPS_BCST}, {VSUBPD, VSUBPD_BCST},
		{VMULPS, VMULPS_BCST}, {VMULPD, VMULPD_BCST},
		{VDIVPS, VDIVPS_BCST}, {VDIVPD, VDIVPD_BCST},
		{VMINPS, VMINPS_BCST}, {VMINPD, VMINPD_BCST},
		{VMAXPS, VMAXPS_BCST}, {VMAXPD, VMAXPD_BCST},
		{VANDPS, VANDPS_BCST}, {VANDPD, VANDPD_BCST},
		{VANDNPS, VANDNPS_BCST}, {VANDNPD, VANDNPD_BCST},
		{VORPS, VORPS_BCST}, {VORPD, VORPD_BCST},
		{VXORPS, VXORPS_BCST}, {VXORPD, VXORPD_BCST},
		{VFMADD213PS, VFMADD213PS_BCST}, {VFMADD213PD, VFMADD213PD_BCST},
		{VFMADD231PS, VFMADD231PS_BCST}, {VFMADD231PD, VFMADD231PD_BCST},
		{VFMADD132PS, VFMADD132PS_BCST}, {VFMADD132PD, VFMADD132PD_BCST},
		{VFNMADD231PS, VFNMADD231PS_BCST}, {VFNMADD231PD, VFNMADD231PD_BCST},
		{VFMSUB231PS, VFMSUB231PS_BCST}, {VFMSUB231PD, VFMSUB231PD_BCST},
		{VFMSUB132PS, VFMSUB132PS_BCST}, {VFMSUB132PD, VFMSUB132PD_BCST},
		{VCMPPS, VCMPPS_BCST}, {VCMPPD, VCMPPD_BCST},
		{VBLENDMPS, VBLENDMPS_BCST}, {VBLENDMPD, VBLENDMPD_BCST},
		{VSCALEFPS, VSCALEFPS_BCST}, {VSCALEFPD, VSCALEFPD_BCST},
		{VRNDSCALEPS, VRNDSCALEPS_BCST}, {VRNDSCALEPD, VRNDSCALEPD_BCST},
		{VPADDD, VPADDD_BCST}, {VPADDQ, VPADDQ_BCST},
		{VPSUBD, VPSUBD_BCST}, {VPSUBQ, VPSUBQ_BCST},
		{VPORD, VPORD_BCST}, {VPORQ, VPORQ_BCST},
		{VFMADD231PS_Z, VFMADD231PS_BCST_Z}, {VFMADD231PD_Z, VFMADD231PD_BCST_Z},
		// loads of a constant into a register: a broadcast
		{VMOVUPS, VBROADCASTSS}, {VMOVUPD, VBROADCASTSD},
	} {
		bcstOf[reflect.ValueOf(p[0]).Pointer()] = p[1]
	}
	// already broadcasts: a constant operand stays as it is
	for _, f := range []any{VBROADCASTSS, VBROADCASTSD, broadcastZ} {
		bcstAlready[reflect.ValueOf(f).Pointer()] = true
	}
}

// bcstAlready lists the instructions that read a constant as a broadcast already.
var bcstAlready = map[uintptr]bool{}

// broadcast returns the function that emits f with ops on AVX-512: its
// embedded-broadcast form where one of ops is a constant row, else f.
func (g *gen) broadcast(f reflect.Value, ops []Op) reflect.Value {
	if !g.avx512() || !g.hasConst(ops) {
		return f
	}
	if b, ok := bcstOf[f.Pointer()]; ok {
		return reflect.ValueOf(b)
	}
	if bcstAlready[f.Pointer()] {
		return f
	}
	panic("no broadcast form for an instruction with a constant operand")
}

// hasConst reports whether ops has a memory operand in the constants or
// one of the function's scalar parameters (function.go's scalar).
func (g *gen) hasConst(ops []Op) bool {
	for _, o := range ops {
		if m, ok := o.(Mem); ok && (m.Symbol.Name == consts.Symbol.Name || slices.Contains(g.scalars, m)) {
			return true
		}
	}
	return false
}
