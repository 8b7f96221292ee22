package main

// The soft body's lane masks and stack slots: selections, compares and
// their combinations on either ISA (vector masks on AVX2, K registers on
// AVX-512), and the spilling of long-lived values on AVX2.

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
)

// A slot holds a vector that the soft body does not keep in registers on
// AVX2 (16 registers are too few for its long-lived values): it is stored to
// the stack, or read again from the input, and used from memory or
// reloaded. On AVX-512 a slot is the registers themselves.
type slot struct {
	v V
	m MS
}

// spill stores v to a fresh stack slot (AVX2); v is not used after.
func (g *gen) spill(v V) slot {
	if g.avx512() || noSpill[g.fname] {
		return slot{v: v}
	}
	m := make(MS, g.u)
	for i := range m {
		if g.nextSlot == len(g.slots) {
			panic("out of stack slots")
		}
		m[i] = g.slots[g.nextSlot]
		g.nextSlot++
	}
	g.each(VMOVUP, v, m)
	return slot{m: m}
}

// noSpill lists the AVX2 functions whose soft body fits in 16 registers
// without spilling (searchlags.sh).
var noSpill = map[string]bool{}

// reload returns s in registers.
func (g *gen) reload(s slot) V {
	if s.m == nil {
		return s.v
	}
	v := g.newV()
	g.each(VMOVUP, s.m, v)
	return v
}

// mem returns s as an operand: memory (AVX2) or its registers.
func (g *gen) mem(s slot) any {
	if s.m == nil {
		return s.v
	}
	return s.m
}

// kOf returns m's K registers (AVX-512), from its vector form if need be.
func (g *gen) kOf(m masks) KS {
	if m.k != nil {
		return m.k
	}
	k := g.newK()
	g.each(VPMOV2M, m.v, k)
	return k
}

// sel sets dst = m ? a : b in each lane (a may be a memory operand on AVX2).
func (g *gen) sel(m masks, a, b any, dst V) {
	if g.avx512() {
		g.each(VBLENDMP, a, b, g.kOf(m), dst)
		return
	}
	g.each(blendv, m.v, a, b, dst)
}

// zeroWhere clears the lanes of v where m is set.
func (g *gen) zeroWhere(m masks, v V) {
	if g.avx512() {
		g.each(VBLENDMP, c("zero"), v, g.kOf(m), v)
		return
	}
	g.each(VANDNP, v, m.v, v) // ~m & v
}

// applyWhere sets v = op(k, v) in the lanes where m is set and leaves the
// others. AVX2 runs op on every lane with k cleared where m is not set, so
// op(0, v) must be v (an add, a xor); there m is destroyed.
func (g *gen) applyWhere(m masks, op func(...Op), k any, v V) {
	if g.avx512() {
		g.each(op, k, v, m.k, v)
		return
	}
	g.each(VANDP, k, m.v, m.v)
	g.each(op, m.v, v, v)
}

// cmp returns the lanes where a pred b (VCMPP's predicate), as K registers
// on AVX-512.
func (g *gen) cmp(pred uint8, b any, a V) masks {
	var m masks
	if g.avx512() {
		m.k = g.newK()
		g.each(VCMPP, U8(pred), b, a, m.k)
	} else {
		m.v = g.newV()
		g.each(VCMPP, U8(pred), b, a, m.v)
	}
	return m
}

// and sets a = a & b, or a = a | b, andNot a = a & ~b; a is a cmp result.
func (g *gen) and(a, b masks) {
	if g.avx512() {
		g.each(KANDW, g.kOf(b), a.k, a.k)
	} else {
		g.each(VANDP, b.v, a.v, a.v)
	}
}

func (g *gen) or(a, b masks) {
	if g.avx512() {
		g.each(KORW, g.kOf(b), a.k, a.k)
	} else {
		g.each(VORP, b.v, a.v, a.v)
	}
}

func (g *gen) andNot(a, b masks) {
	if g.avx512() {
		g.each(KANDNW, a.k, g.kOf(b), a.k) // ~b & a
	} else {
		g.each(VANDNP, a.v, b.v, a.v) // ~b & a
	}
}

// nanWhere sets the lanes of v where m is set to all ones (a NaN).
func (g *gen) nanWhere(m masks, v V) {
	if g.avx512() {
		g.each(VMOVUP, c("allones"), g.kOf(m), v)
		return
	}
	g.each(VORP, m.v, v, v)
}
