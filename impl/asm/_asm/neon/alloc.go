package neon

// The register allocator: a block is straight-line code (its branches only
// leave it, or skip forward over lane loads and stores), so a value's live
// range is an interval from its definition to its last use. Each value
// takes the lowest free register at its definition, and gives it back at
// its last use. An instruction that overwrites a source (tied, see alt)
// takes that source's register if the source dies there, or a copy of it
// otherwise. Where no register is free, the value whose next use is
// farthest is stored to a stack slot (once: values never change) and
// loaded again before that use (Belady's rule, optimal for straight-line
// code up to the stores' cost).

import (
	"fmt"
	"sort"
)

// slotLine returns the stack operand of spill slot k (16-byte aligned in a
// frame of frameSize(n) bytes, n slots: see frameSize).
func slotLine(k int) string { return fmt.Sprintf("s%d-%d(SP)", k, 24+16*k) }

// frameSize is the frame to declare for n slots: with the saved link
// register below them (Go's arm64 frame), slot k lies at RSP + 16(n-k),
// 16-byte aligned.
func frameSize(n int) int {
	if n == 0 {
		return 0
	}
	return 16*n + 24
}

// allocate returns the block's lines with physical registers.
func (f *fn) allocate(block []*ins) ([]string, error) {
	uses := map[V][]int{}
	for i, in := range block {
		for _, s := range in.src {
			if u := uses[s]; len(u) == 0 || u[len(u)-1] != i {
				uses[s] = append(u, i)
			}
		}
	}
	next := func(v V, i int) int { // the first use of v at or after i
		u := uses[v]
		k := sort.SearchInts(u, i)
		if k == len(u) {
			return 1 << 30
		}
		return u[k]
	}
	pinned := func(v V) bool { _, ok := f.pinned[v]; return ok }
	last := func(v V) int {
		u := uses[v]
		if len(u) == 0 {
			return -1
		}
		return u[len(u)-1]
	}
	reg := map[V]Reg{}
	for v, r := range f.pinned {
		reg[v] = r
	}
	busy := map[Reg]V{}
	slot := map[V]int{}
	var lines []string
	var protect map[V]bool // the current instruction's sources
	cur := 0
	// take returns a free register, storing the value of the farthest next
	// use to its slot if none is.
	take := func() (Reg, error) {
		for _, r := range f.free {
			if _, ok := busy[r]; !ok {
				return r, nil
			}
		}
		var victim V
		far := -1
		for _, v := range busy {
			if v == 0 || protect[v] {
				continue
			}
			if n := next(v, cur); n > far || n == far && v < victim {
				victim, far = v, n
			}
		}
		if victim == 0 {
			return 0, fmt.Errorf("block of %d instructions: no register to spill at instruction %d", len(block), cur)
		}
		if f.noCopy[block[cur]] {
			return 0, fmt.Errorf("instruction %d would spill inside a skipped region", cur)
		}
		r := reg[victim]
		if _, ok := slot[victim]; !ok {
			k := len(slot)
			slot[victim] = k
			f.slots = max(f.slots, k+1)
			lines = append(lines, fmt.Sprintf("FMOVQ\tF%d, %s", r, slotLine(k)))
		}
		delete(reg, victim)
		delete(busy, r)
		return r, nil
	}
	release := func(v V) {
		if !pinned(v) {
			delete(busy, reg[v])
			delete(reg, v)
		}
	}
	for i, in := range block {
		cur = i
		if in.emit == nil && in.alts == nil {
			lines = append(lines, in.text)
			continue
		}
		protect = map[V]bool{}
		for _, s := range in.src {
			protect[s] = true
		}
		sr := make([]Reg, len(in.src))
		for j, s := range in.src {
			r, ok := reg[s]
			if !ok {
				k, spilled := slot[s]
				if !spilled {
					return nil, fmt.Errorf("instruction %d uses value %d, which is not defined in its block", i, s)
				}
				if f.noCopy[in] {
					return nil, fmt.Errorf("instruction %d would reload inside a skipped region", i)
				}
				var err error
				if r, err = take(); err != nil {
					return nil, err
				}
				lines = append(lines, fmt.Sprintf("FMOVQ\t%s, F%d", slotLine(k), r))
				reg[s], busy[r] = r, s
			}
			sr[j] = r
		}
		var d Reg
		emit := in.emit
		kept := -1 // the source whose register the result takes
		if len(in.alts) > 0 {
			a := in.alts[0]
			for _, b := range in.alts {
				if s := in.src[b.tied]; !pinned(s) && last(s) == i {
					a, kept = b, b.tied
					break
				}
			}
			emit = a.emit
			if kept >= 0 {
				d = sr[kept]
			} else {
				if f.noCopy[in] {
					return nil, fmt.Errorf("instruction %d would need a copy inside a skipped region", i)
				}
				r, err := take()
				if err != nil {
					return nil, err
				}
				lines = append(lines, fmt.Sprintf("VMOV\tV%d.B16, V%d.B16", sr[a.tied], r))
				busy[r] = 0
				sr[a.tied], d = r, r
			}
		}
		// free the sources that die here (but a kept one, which becomes the result)
		var keptV V
		if kept >= 0 {
			keptV = in.src[kept]
		}
		for _, s := range in.src {
			if _, ok := reg[s]; !ok || s == keptV || last(s) != i {
				continue
			}
			release(s)
		}
		if kept >= 0 {
			delete(reg, in.src[kept])
		}
		if r, ok := f.pinned[in.dst]; ok { // a write into a pinned register (see assign)
			if len(in.alts) != 0 {
				return nil, fmt.Errorf("instruction %d: a tied write into a pinned register", i)
			}
			lines = append(lines, emit(r, sr))
			continue
		}
		if in.dst != 0 {
			if len(in.alts) == 0 {
				protect = nil
				r, err := take()
				if err != nil {
					return nil, err
				}
				d = r
			}
			reg[in.dst] = d
			busy[d] = in.dst
			if last(in.dst) < 0 {
				release(in.dst)
			}
		}
		lines = append(lines, emit(d, sr))
	}
	if len(busy) > 0 {
		var vs []int
		for _, v := range busy {
			vs = append(vs, int(v))
		}
		sort.Ints(vs)
		return nil, fmt.Errorf("values %v live at the end of a block", vs)
	}
	return lines, nil
}
