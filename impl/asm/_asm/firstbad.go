package main

// The target scan of the checked API: the index of the first target that is
// NaN or outside [0, 1], by vector compares (firstBadTarget in ../target.go
// is the Go version and the contract).

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// firstBadVecs vectors are tested per iteration of the main loop, their
// flags ORed (ANDed, as K masks) and tested once.
const firstBadVecs = 4

// firstBad emits firstBad<ISA>F<32|64>(t []float) (i int): a target is good
// where 0 ≤ t and 1 ≥ t, both ordered compares, so that NaN is bad and -0
// good. The main loop tests firstBadVecs vectors at a time; a group with a
// bad lane is searched vector by vector, and the lowest set bit of the first
// vector's bad lanes gives the index. The tail is one masked vector whose
// lanes past the end load as 0, a good target.
func firstBad(s isa) {
	size, bits := 4, "32"
	if f64 {
		size, bits = 8, "64"
	}
	w := s.w * 4 / size // lanes
	name := "firstBad" + s.name + "F" + bits
	TEXT(name, NOSPLIT, "func(t []float"+bits+") (i int)")
	Pragma("noescape")
	Doc(name + " returns the index of the first element of t that is NaN or outside [0, 1], or -1.")
	n, p, i := GP64(), GP64(), GP64()
	Load(Param("t").Len(), n)
	Load(Param("t").Base(), p)
	XORQ(i, i)
	zero, one := s.vec(), s.vec()
	cmp, movmsk := VCMPPS, VMOVMSKPS
	full := uint32(1)<<w - 1
	if f64 {
		cmp, movmsk = VCMPPD, VMOVMSKPD
		VMOVUPD(c("zero"), zero)
		VMOVUPD(c("one"), one)
	} else {
		VMOVUPS(c("zero"), zero)
		VMOVUPS(c("one"), one)
	}
	at := func(j int) Mem { return Mem{Base: p, Index: i, Scale: uint8(size), Disp: j * w * size} }
	// bad returns a vector with the bad lanes set (AVX2), or a K register
	// with the good lanes set (AVX-512), of the vector v (or memory).
	const le, ge = 0x12, 0x1d   // LE_OQ, GE_OQ: false on NaN
	const nle, nge = 0x16, 0x19 // NLE_UQ, NGE_UQ: true on NaN
	bad := func(v Op) Op {
		if s.avx512() {
			k := K()
			cmp(U8(le), v, zero, k)   // 0 ≤ t
			cmp(U8(ge), v, one, k, k) // and 1 ≥ t
			return k
		}
		a, b := s.vec(), s.vec()
		cmp(U8(nle), v, zero, a) // not 0 ≤ t
		cmp(U8(nge), v, one, b)  // not 1 ≥ t
		VORPS(a, b, b)
		return b
	}
	// lanes sets r to the bad lanes of f (bad's result) as bits.
	lanes := func(f Op, r reg.GPVirtual) {
		if s.avx512() {
			if f64 {
				KMOVB(f, r)
			} else {
				KMOVW(f, r)
			}
			XORL(U32(full), r)
			return
		}
		movmsk(f, r)
	}
	found := name + "_found"
	loopU, loop1, tail, none, done := name+"_loopU", name+"_loop1", name+"_tail", name+"_none", name+"_done"
	rem := GP64()

	Label(loopU)
	MOVQ(n, rem)
	SUBQ(i, rem)
	CMPQ(rem, U32(w*firstBadVecs))
	JB(LabelRef(loop1))
	fs := make([]Op, firstBadVecs)
	for j := range fs {
		fs[j] = bad(at(j))
	}
	if s.avx512() {
		acc := K()
		and := KANDW
		if f64 {
			and = KANDB
		}
		and(fs[0], fs[1], acc)
		for _, f := range fs[2:] {
			and(f, acc, acc)
		}
		if f64 {
			KORTESTB(acc, acc)
		} else {
			KORTESTW(acc, acc)
		}
		JCC(LabelRef(name + "_groupBad")) // CF = 0: a lane is not good
	} else {
		acc := s.vec()
		VORPS(fs[0], fs[1], acc)
		for _, f := range fs[2:] {
			VORPS(f, acc, acc)
		}
		VPTEST(acc, acc)
		JNZ(LabelRef(name + "_groupBad"))
	}
	ADDQ(U32(w*firstBadVecs), i)
	JMP(LabelRef(loopU))
	Label(name + "_groupBad")
	r := GP32()
	for j, f := range fs {
		lanes(f, r)
		if j > 0 {
			ADDQ(U32(w), i)
		}
		if j < len(fs)-1 { // the last vector is the bad one if none before is
			TESTL(r, r)
			JNZ(LabelRef(found))
		}
	}
	JMP(LabelRef(found))

	Label(loop1)
	CMPQ(rem, U32(w))
	JB(LabelRef(tail))
	lanes(bad(at(0)), r)
	TESTL(r, r)
	JNZ(LabelRef(found))
	ADDQ(U32(w), i)
	SUBQ(U32(w), rem)
	JMP(LabelRef(loop1))

	Label(tail)
	TESTQ(rem, rem)
	JZ(LabelRef(none))
	v := s.vec()
	if s.avx512() {
		ones, kb := GP32(), GP32()
		MOVL(U32(full), ones)
		BZHIL(rem.As32(), ones, kb)
		k := K()
		if f64 {
			KMOVB(kb, k)
			VMOVUPD_Z(at(0), k, v)
		} else {
			KMOVW(kb, k)
			VMOVUPS_Z(at(0), k, v)
		}
	} else {
		m := s.vec()
		vmovq(rem, m)
		if f64 {
			VPBROADCASTQ(m.AsX(), m)
			VPCMPGTQ(c("iota"), m, m)
			VMASKMOVPD(at(0), m, v)
		} else {
			VPBROADCASTD(m.AsX(), m)
			VPCMPGTD(c("iota"), m, m)
			VMASKMOVPS(at(0), m, v)
		}
	}
	lanes(bad(v), r)
	TESTL(r, r)
	JZ(LabelRef(none))

	Label(found)
	// i is the index of the vector's first lane, r its bad lanes
	BSFL(r, r)
	ADDQ(r.As64(), i)
	JMP(LabelRef(done))
	Label(none)
	MOVQ(I64(-1), i)
	Label(done)
	Store(i, ReturnIndex(0))
	VZEROUPPER()
	RET()
}
