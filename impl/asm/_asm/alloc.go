package main

// The register allocator the generator uses in place of avo's. avo colours
// the interference graph greedily, most restricted register first, which
// fails on functions as long as these (a hard and a soft body per step) at a
// register pressure that fits. Here each virtual register's live positions
// come from a liveness analysis (avo's, but see liveness), and the registers
// are given physical ones in order of their first live position, each the
// lowest-numbered one free at all of its positions. Where live ranges are
// intervals (straight-line code) that needs no more registers than are ever
// live at once; a register the code reuses for a new value after the old one
// died has a hole between the two, which another may fill. An AVX2 function
// gets only X0-X15/Y0-Y15: a CPU without AVX-512 has no more, which avo does
// not know.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mmcloughlin/avo/ir"
	"github.com/mmcloughlin/avo/pass"
	"github.com/mmcloughlin/avo/reg"
)

// compile is avo v0.6.0's pass.Compile with allocate for AllocateRegisters,
// and countBodies (-count) last.
var compile = pass.Concat(
	pass.Verify,
	pass.FunctionPass(pass.PruneJumpToFollowingLabel),
	pass.FunctionPass(pass.PruneDanglingLabels),
	pass.FunctionPass(pass.LabelTarget),
	pass.FunctionPass(pass.CFG),
	pass.InstructionPass(pass.ZeroExtend32BitOutputs),
	pass.FunctionPass(pass.Liveness),
	pass.FunctionPass(allocate),
	pass.FunctionPass(pass.BindRegisters),
	pass.FunctionPass(pass.VerifyAllocation),
	pass.FunctionPass(pass.EnsureBasePointerCalleeSaved),
	pass.Func(pass.IncludeTextFlagHeader),
	pass.FunctionPass(pass.PruneSelfMoves),
	pass.FunctionPass(pass.RequiredISAExtensions),
	pass.FunctionPass(countBodies),
)

// span is a register's live range: the positions where it is live, with
// instruction i reading at 2i and writing at 2i+1, so that a register read
// last by i and one written by i may share. A register that the code reuses
// for a new value once the old one is dead has a hole between the two.
type span struct {
	id     reg.ID
	lo, hi int
	at     bits
}

// bits is a set of positions.
type bits []uint64

func (b *bits) set(p int) {
	for len(*b) <= p/64 {
		*b = append(*b, 0)
	}
	(*b)[p/64] |= 1 << (p % 64)
}

func (b bits) meets(c bits) bool {
	for i := range min(len(b), len(c)) {
		if b[i]&c[i] != 0 {
			return true
		}
	}
	return false
}

func (b *bits) or(c bits) {
	for i, w := range c {
		for len(*b) <= i {
			*b = append(*b, 0)
		}
		(*b)[i] |= w
	}
}

func allocate(fn *ir.Function) error {
	spans := map[reg.ID]*span{}
	touch := func(id reg.ID, pos int) {
		s, ok := spans[id]
		if !ok {
			s = &span{id: id, lo: pos, hi: pos}
			spans[id] = s
		}
		s.lo, s.hi = min(s.lo, pos), max(s.hi, pos)
		s.at.set(pos)
	}
	liveIn, liveOut := liveness(fn)
	for i, in := range fn.Instructions() {
		for id := range liveIn[i] {
			touch(id, 2*i)
		}
		for id := range liveOut[i] {
			touch(id, 2*i+1)
		}
		for _, r := range in.OutputRegisters() {
			touch(r.ID(), 2*i+1)
		}
	}
	byKind := map[reg.Kind][]*span{}
	fixed := map[reg.ID][]*span{} // physical registers the code names itself
	for id, s := range spans {
		if id.IsVirtual() {
			byKind[id.Kind()] = append(byKind[id.Kind()], s)
		} else {
			fixed[id] = append(fixed[id], s)
		}
	}
	fn.Allocation = reg.NewEmptyAllocation()
	avx2 := strings.Contains(fn.Name, "AVX2")
	kinds := []reg.Kind{}
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool { return kinds[i] < kinds[j] })
	for _, k := range kinds {
		ss := byKind[k]
		regs := physical(k, avx2)
		sort.Slice(ss, func(i, j int) bool {
			if ss[i].lo != ss[j].lo {
				return ss[i].lo < ss[j].lo
			}
			return ss[i].id < ss[j].id
		})
		busy := map[reg.ID]bits{} // physical register → the positions it holds a value
		for _, s := range ss {
			var got reg.ID
			for _, p := range regs {
				if busy[p].meets(s.at) || overlaps(fixed[p], s) {
					continue
				}
				got = p
				break
			}
			if got == 0 {
				live := 0
				for _, b := range busy {
					var one bits
					one.set(s.lo)
					if b.meets(one) {
						live++
					}
				}
				return fmt.Errorf("%s: %d registers of kind %d live at instruction %d, %d available",
					fn.Name, live+1, k, s.lo/2, len(regs))
			}
			b := busy[got]
			b.or(s.at)
			busy[got] = b
			fn.Allocation[s.id] = got
		}
	}
	return nil
}

// liveness is avo's (pass.Liveness) but for one thing: avo takes a merge-
// masked instruction (VBLENDMPS, a masked VMOVUPS, KXORW k, k, k) to read its
// destination, which makes a fresh destination live from the function's
// entry. A register whose first appearance in the function is as both input
// and output of one instruction is not read there: no value reaches it (every
// value the loops carry is written before them, so program order decides).
func liveness(fn *ir.Function) (in, out []reg.MaskSet) {
	is := fn.Instructions()
	index := map[*ir.Instruction]int{}
	for i, x := range is {
		index[x] = i
	}
	seen := map[reg.ID]bool{}
	use := make([]reg.MaskSet, len(is))
	def := make([]reg.MaskSet, len(is))
	for i, x := range is {
		def[i] = reg.NewMaskSetFromRegisters(x.OutputRegisters())
		use[i] = reg.NewEmptyMaskSet()
		for _, r := range x.InputRegisters() {
			if _, written := def[i][r.ID()]; written && !seen[r.ID()] {
				continue
			}
			use[i].AddRegister(r)
		}
		for _, r := range x.InputRegisters() {
			seen[r.ID()] = true
		}
		for _, r := range x.OutputRegisters() {
			seen[r.ID()] = true
		}
	}
	in = make([]reg.MaskSet, len(is))
	out = make([]reg.MaskSet, len(is))
	for i := range is {
		in[i] = use[i].Clone()
		out[i] = reg.NewEmptyMaskSet()
	}
	for changed := true; changed; {
		changed = false
		for i := len(is) - 1; i >= 0; i-- {
			for _, s := range is[i].Succ {
				if s != nil {
					changed = out[i].Update(in[index[s]]) || changed
				}
			}
			changed = in[i].Update(out[i].Difference(def[i])) || changed
		}
	}
	return in, out
}

func overlaps(fs []*span, s *span) bool {
	for _, f := range fs {
		if f.at.meets(s.at) {
			return true
		}
	}
	return false
}

// physical returns the allocatable registers of kind k, lowest index first
// and the base pointer last (it is callee-saved); with avx2, vector
// registers 0-15 only.
func physical(k reg.Kind, avx2 bool) []reg.ID {
	seen := map[reg.ID]bool{}
	var ids, last []reg.ID
	for _, r := range reg.FamilyOfKind(k).Registers() {
		id := r.ID()
		if seen[id] || r.Info()&reg.Restricted != 0 {
			continue
		}
		seen[id] = true
		if avx2 && k == reg.KindVector && id.Index() >= 16 {
			continue
		}
		if r.Info()&reg.BasePointer != 0 {
			last = append(last, id)
			continue
		}
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i].Index() < ids[j].Index() })
	return append(ids, last...)
}
