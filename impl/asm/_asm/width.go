package main

// The element width being emitted. The bodies (body.go, soft.go, exp.go,
// hilo.go, parts.go) are written once, with the floating-point instructions
// named without their PS/PD suffix (VMULP, VFMADD231P, …) and the constants
// by their float32 names: useWidth points those at the float32 or float64
// instructions and constant rows before a function is emitted. What differs
// in kind between the widths (the integer arithmetic of the exponent, the
// polynomials' lengths, lane counts) is in the helpers below and in exp.go.

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
)

// f64 is set while a float64 function is emitted.
var f64 bool

// The floating-point instructions of the current width.
var (
	VADDP, VSUBP, VMULP, VDIVP, VMINP, VMAXP         func(...Op)
	VANDP, VANDNP, VORP, VXORP                       func(...Op)
	VFMADD213P, VFMADD231P, VFMADD132P               func(...Op)
	VFNMADD231P, VFMSUB231P, VFMSUB132P              func(...Op)
	VMOVAP, VMOVUP, VCMPP, VBLENDMP, VSCALEFP        func(...Op)
	VRNDSCALEP, VROUNDP, VBROADCASTS                 func(...Op)
	VMOVMSKP, VMASKMOVP, VMOVUP_Z, VMOVAP_Z, VPMOV2M func(...Op)
	VPMOVM2, VBLENDVP, VBROADCASTS_Z, VFMADD231P_Z   func(...Op)
	VPERMILP                                         func(...Op)
	KORTEST                                          func(...Op)
)

// useWidth selects the instructions and constants of float64 (double) or
// float32 lanes.
func useWidth(double bool) {
	f64 = double
	if double {
		VADDP, VSUBP, VMULP, VDIVP, VMINP, VMAXP = VADDPD, VSUBPD, VMULPD, VDIVPD, VMINPD, VMAXPD
		VANDP, VANDNP, VORP, VXORP = VANDPD, VANDNPD, VORPD, VXORPD
		VFMADD213P, VFMADD231P, VFMADD132P = VFMADD213PD, VFMADD231PD, VFMADD132PD
		VFNMADD231P, VFMSUB231P, VFMSUB132P = VFNMADD231PD, VFMSUB231PD, VFMSUB132PD
		VMOVAP, VMOVUP, VCMPP, VBLENDMP, VSCALEFP = VMOVAPD, VMOVUPD, VCMPPD, VBLENDMPD, VSCALEFPD
		VRNDSCALEP, VBROADCASTS = VRNDSCALEPD, VBROADCASTSD
		VROUNDP = func(o ...Op) { VROUNDPD(o[0], o[1], o[2]) }
		VMOVMSKP = func(o ...Op) { VMOVMSKPD(o[0], o[1]) }
		VMASKMOVP = func(o ...Op) { VMASKMOVPD(o[0], o[1], o[2]) }
		VMOVUP_Z = func(o ...Op) { VMOVUPD_Z(o[0], o[1], o[2]) }
		VMOVAP_Z = func(o ...Op) { VMOVAPD_Z(o[0], o[1], o[2]) }
		VPMOV2M = func(o ...Op) { VPMOVQ2M(o[0], o[1]) }
		VPMOVM2 = func(o ...Op) { VPMOVM2Q(o[0], o[1]) }
		VBLENDVP = func(o ...Op) { VBLENDVPD(o[0], o[1], o[2], o[3]) }
		VPERMILP = func(o ...Op) { VPERMILPD(o[0], o[1], o[2]) }
		VBROADCASTS_Z = func(o ...Op) { VBROADCASTSD_Z(o[0], o[1], o[2]) }
		VFMADD231P_Z = func(o ...Op) { VFMADD231PD_Z(o[0], o[1], o[2], o[3]) }
		KORTEST = func(o ...Op) { KORTESTB(o[0], o[1]) }
		return
	}
	VADDP, VSUBP, VMULP, VDIVP, VMINP, VMAXP = VADDPS, VSUBPS, VMULPS, VDIVPS, VMINPS, VMAXPS
	VANDP, VANDNP, VORP, VXORP = VANDPS, VANDNPS, VORPS, VXORPS
	VFMADD213P, VFMADD231P, VFMADD132P = VFMADD213PS, VFMADD231PS, VFMADD132PS
	VFNMADD231P, VFMSUB231P, VFMSUB132P = VFNMADD231PS, VFMSUB231PS, VFMSUB132PS
	VMOVAP, VMOVUP, VCMPP, VBLENDMP, VSCALEFP = VMOVAPS, VMOVUPS, VCMPPS, VBLENDMPS, VSCALEFPS
	VRNDSCALEP, VBROADCASTS = VRNDSCALEPS, VBROADCASTSS
	VROUNDP = func(o ...Op) { VROUNDPS(o[0], o[1], o[2]) }
	VMOVMSKP = func(o ...Op) { VMOVMSKPS(o[0], o[1]) }
	VMASKMOVP = func(o ...Op) { VMASKMOVPS(o[0], o[1], o[2]) }
	VMOVUP_Z = func(o ...Op) { VMOVUPS_Z(o[0], o[1], o[2]) }
	VMOVAP_Z = func(o ...Op) { VMOVAPS_Z(o[0], o[1], o[2]) }
	VPMOV2M = func(o ...Op) { VPMOVD2M(o[0], o[1]) }
	VPMOVM2 = func(o ...Op) { VPMOVM2D(o[0], o[1]) }
	VBLENDVP = func(o ...Op) { VBLENDVPS(o[0], o[1], o[2], o[3]) }
	VPERMILP = func(o ...Op) { VPERMILPS(o[0], o[1], o[2]) }
	VBROADCASTS_Z = func(o ...Op) { VBROADCASTSS_Z(o[0], o[1], o[2]) }
	VFMADD231P_Z = func(o ...Op) { VFMADD231PS_Z(o[0], o[1], o[2], o[3]) }
	KORTEST = func(o ...Op) { KORTESTW(o[0], o[1]) }
}

// esize is the element size in bytes.
func esize() int {
	if f64 {
		return 8
	}
	return 4
}

// lanes is the number of elements in a vector of isa s.
func (s isa) lanes() int { return s.w * 4 / esize() }

// fullMask is the lane mask with every lane set.
func (s isa) fullMask() uint32 { return 1<<s.lanes() - 1 }

// The polynomials' coefficient rows, highest degree first: exp's Q (pairs,
// Horner in r²) and log's P (Estrin's scheme on a power of two of them,
// Horner on the rest).
func expCoeffs() []string {
	if f64 {
		return names("q", 12)
	}
	return names("ep", 6)
}

func logCoeffs() []string {
	if f64 {
		return names("lp", 20)
	}
	return names("lp", 9)
}

func names(prefix string, n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = prefix + itoa(i)
	}
	return s
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
