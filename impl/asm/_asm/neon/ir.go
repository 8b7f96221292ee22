package neon

// The emitter's intermediate form: straight-line blocks of instructions on
// virtual vector registers (values), each written once, which alloc.go maps
// to V0-V31. A block may hold lines with no values (general-purpose
// arithmetic, branches, labels); a value never lives from one block into
// another but for the pinned ones (constants, parameters, accumulators),
// which hold one physical register for the whole function.

import (
	"fmt"
	"strings"
)

// V is a virtual vector register (a value). 0 is no value.
type V int32

// alt is one way to emit an instruction whose result takes the register of
// one of its sources (its tied source): FMLA's accumulator, a lane insert's
// vector, one of BSL, BIT and BIF's three operands.
type alt struct {
	tied int // index of the tied source
	emit func(d Reg, s []Reg) string
}

// ins is one instruction.
type ins struct {
	dst  V
	src  []V
	alts []alt                       // tied forms, the first preferred; none: emit below
	emit func(d Reg, s []Reg) string // untied: any register for dst
	text string                      // a line with no values
	// skipOn and skipOff mark (and are not) the start and end of
	// instructions that a branch may skip (see fn.noCopy)
	skipOn, skipOff bool
}

// fn is the function being emitted.
type fn struct {
	s      shape
	out    strings.Builder // the function's lines so far
	block  []*ins
	nextV  V
	pinned map[V]Reg
	free   []Reg           // the registers the allocator may use, lowest first
	res    map[string]V    // resident constants (pinned)
	packed map[string]elem // the parameters, by element ("p:" + name)
	consts *table
	// noCopy marks instructions between a conditional branch and its label
	// (the tail's lane loads and stores): the allocator must not add a copy there.
	noCopy map[*ins]bool
	skip   bool // inside such a region
	slots  int  // the stack slots the blocks spill to (see alloc.go)
}

func newFn(s shape, t *table) *fn {
	return &fn{s: s, pinned: map[V]Reg{}, res: map[string]V{}, packed: map[string]elem{}, consts: t, noCopy: map[*ins]bool{}}
}

// newV returns a fresh value.
func (f *fn) newV() V {
	f.nextV++
	return f.nextV
}

// pin returns a value held in register r for the whole function.
func (f *fn) pin(r Reg) V {
	v := f.newV()
	f.pinned[v] = r
	return v
}

// pool sets the registers the allocator may use: V0 up to the lowest pinned one.
func (f *fn) pool() {
	lo := Reg(32)
	for _, r := range f.pinned {
		lo = min(lo, r)
	}
	f.free = nil
	for r := Reg(0); r < lo; r++ {
		f.free = append(f.free, r)
	}
}

// raw appends a line with no values to the current block (formatted).
func (f *fn) raw(format string, args ...any) {
	f.add(&ins{text: fmt.Sprintf(format, args...)})
}

// label places a label.
func (f *fn) label(name string) { f.add(&ins{text: name + ":"}) }

func (f *fn) add(in *ins) {
	if in.skipOn || in.skipOff {
		f.skip = in.skipOn
		return
	}
	if f.skip {
		f.noCopy[in] = true
	}
	f.block = append(f.block, in)
}

// flush allocates the current block's registers and appends its lines.
func (f *fn) flush() error {
	lines, err := f.allocate(f.block)
	if err != nil {
		return err
	}
	f.write(lines)
	return nil
}

// write appends lines to the function and empties the block.
func (f *fn) write(lines []string) {
	for _, l := range lines {
		if strings.HasSuffix(l, ":") {
			f.out.WriteString(l + "\n")
		} else {
			f.out.WriteString("\t" + l + "\n")
		}
	}
	f.block = nil
}

// stream is the instructions of one vector's body, before the streams of
// a step's vectors are interleaved into the block.
type stream struct {
	f     *fn
	s     shape
	ins   []*ins
	alpha [2]V // α_t and its low part, if made before the body (rows.go)
}

func (f *fn) stream() *stream { return &stream{f: f, s: f.s} }

func (b *stream) add(in *ins) V {
	if b == nil {
		panic("nil stream")
	}
	b.ins = append(b.ins, in)
	return in.dst
}

// interleave appends the streams to the block, stream i lagging lag·i
// instructions behind stream 0 (lag 0: in lockstep).
func (f *fn) interleave(ss []*stream, lag int) {
	n := 0
	for _, s := range ss {
		n = max(n, len(s.ins))
	}
	for k := 0; k < n+lag*(len(ss)-1); k++ {
		for i, s := range ss {
			if j := k - lag*i; j >= 0 && j < len(s.ins) {
				f.add(s.ins[j])
			}
		}
	}
}

// direct appends s's instructions to the block as they are (one vector).
func (f *fn) direct(s *stream) { f.interleave([]*stream{s}, 0) }
