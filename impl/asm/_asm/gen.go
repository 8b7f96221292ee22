package main

// The generator's machinery: SIMD levels, unrolled vector registers, and the
// interleaving of the unrolled vectors' instruction streams.

import (
	"fmt"
	"reflect"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// isa is one SIMD level.
type isa struct {
	name string // "AVX2", "AVX512"
	w    int    // lanes
}

func (s isa) vec() reg.VecVirtual {
	if s.w == 16 {
		return ZMM()
	}
	return YMM()
}

func (s isa) avx512() bool { return s.w == 16 }

// Modes, as in generic.go.
const (
	mode0 = iota
	mode1
	mode2
	modeGen
)

var modeNames = []string{"M0", "M1", "M2", "MGen"}

// kernel state shared while emitting one function.
type gen struct {
	isa
	mode         int
	u            int               // vectors per step (unroll)
	a1, a0       any               // registers (AVX-512) or broadcast copies on the stack (AVX2); the rows form's tables (MS)
	g            Op                // γ, likewise
	g2           Op                // -2γ, for the soft body's γ(1-2t)
	a1lo, a0lo   any               // α's float32 rounding errors, likewise
	d, dlo       Op                // the flat two-valued body's slope A1 - A0 as hi+lo (twoSlope)
	glo          Op                // γ's
	flagged      bool              // the function reports lanes left to float64
	flagK        reg.OpmaskVirtual // AVX-512: the flagged lanes, ORed
	flagGP       reg.GPVirtual     // AVX2: the flagged lanes' bits, ORed
	acc, acc64   reg.VecVirtual
	acc64mem     Mem           // AVX2: acc64 on the stack
	ovf          reg.GPVirtual // Sum: nonzero if a float32 lane overflowed
	queues       [][]func()    // see staggered
	qregs        [][][]reg.ID  // the vector registers of each queued instruction
	h1           V             // AVX2: the lanes where t = 1 (body)
	aTab         []Mem         // AVX2's flat functions: α's pair and its low parts' as tables (alphaTables)
	fast         bool          // AVX2: scale exp by an exponent add, see expo
	okGP         reg.GPVirtual // AVX2: lanes whose exponent add was exact
	fname        string
	slots        []Mem // AVX2: the stack slots the soft body spills to
	nextSlot     int
	xs, ts       slot   // the step's x and t, for the soft body to reload
	soft         bool   // emitting the soft body (see key)
	two          bool   // emitting the two-valued body (two.go; see lag)
	tune         string // the flat function whose lagOf and budgetOf entries a rows function takes
	dead         []V    // registers free for reuse (see logPoly)
	sides        []Mem  // the two-valued per-side values the body selects (twoSides; the kept targets' in a flat uniform step), nil elsewhere
	uniSides     []Mem  // the flat form's kept targets' values (uniform.go)
	noLabel      bool   // a rows step with no lane on its row's label: every lane on T0's side (twoBody)
	side0        []Mem  // AVX2: T0's per-side values (twoSides' e, 1-e, 1-2e and its low part) for noLabel
	xm           MS     // a uniform step's x in memory (twoBody's reselect)
	scalars      []Mem  // the scalar parameters' copies in the frame (function.go's scalar)
	frameScalars bool   // scalar keeps them in the frame
	uniT         []Mem  // the kept targets, T1's and T0's
	uniLeft      Mem    // the misses the call's uniform tests have left (uniMisses)
	lanesOnly    bool   // emitting a soft step without the uniform test
	uniMiss      string // where a uniform step goes if its test fails (empty: its own lanes' step)
	uniPos       masks  // a uniform step's lanes on T1's side, from its test (uniTest); empty elsewhere
	hardK        KS     // AVX-512: the soft body's hard lanes (softHard)
	negK         KS     // AVX-512: the soft body's lanes where x < 0 (softNeg)
}

// V is one register per unrolled vector; K likewise for mask registers, and
// MS for memory operands (a vector's stack slot, or its place in an input).
type (
	V  []reg.VecVirtual
	KS []reg.OpmaskVirtual
	MS []Mem
)

func (g *gen) newV() V {
	v := make(V, g.u)
	for i := range v {
		v[i] = g.vec()
	}
	return v
}

func (g *gen) newK() KS {
	k := make(KS, g.u)
	for i := range k {
		k[i] = K()
	}
	return k
}

// each emits f once per unrolled vector, one instruction for every vector
// before the next step, so that the vectors' dependency chains interleave.
// An argument of type V or K stands for its i-th register; any other Op is
// passed as it is.
func (g *gen) each(f any, args ...any) {
	fv := reflect.ValueOf(f)
	if g.queues != nil && len(g.queues) != g.u {
		panic("queues")
	}
	for i := 0; i < g.u; i++ {
		ops := make([]Op, len(args))
		for j, a := range args {
			switch a := a.(type) {
			case V:
				ops[j] = a[i]
			case KS:
				ops[j] = a[i]
			case MS:
				ops[j] = a[i]
			case Op:
				ops[j] = a
			default:
				panic(fmt.Sprintf("bad operand %T", a))
			}
		}
		in := make([]reflect.Value, len(ops))
		for j, o := range ops {
			in[j] = reflect.ValueOf(&o).Elem()
		}
		fi := g.broadcast(fv, ops)
		if g.queues != nil {
			g.queues[i] = append(g.queues[i], func() { fi.Call(in) })
			g.qregs[i] = append(g.qregs[i], vecIDs(ops))
		} else {
			fi.Call(in)
		}
	}
}

// vecIDs returns the vector registers among ops.
func vecIDs(ops []Op) []reg.ID {
	var ids []reg.ID
	for _, o := range ops {
		if v, ok := o.(reg.VecVirtual); ok {
			ids = append(ids, v.ID())
		}
	}
	return ids
}

// eachOne emits f(args...) for unrolled vector i only (queued like each).
func (g *gen) eachOne(i int, f any, args ...Op) {
	fv := g.broadcast(reflect.ValueOf(f), args)
	in := make([]reflect.Value, len(args))
	for j, o := range args {
		in[j] = reflect.ValueOf(&o).Elem()
	}
	if g.queues != nil {
		g.queues[i] = append(g.queues[i], func() { fv.Call(in) })
		g.qregs[i] = append(g.qregs[i], vecIDs(args))
	} else {
		fv.Call(in)
	}
}

// staggered runs emit (which emits through each) with one instruction queue
// per vector and then interleaves the queues, vector i lagging lag·i
// instructions behind vector 0. With lag 0 the vectors advance in lockstep;
// a lag of a third of the body or so keeps the vectors at different stages,
// so that their register peaks do not coincide (AVX2 has 16 YMM registers).
func (g *gen) staggered(lag int, emit func()) {
	g.queues = make([][]func(), g.u)
	g.qregs = make([][][]reg.ID, g.u)
	emit()
	qs := g.queues
	g.queues = nil
	if b := g.budget(); b > 0 && len(qs) == 2 {
		g.greedy(qs, g.qregs, b)
		return
	}
	n := len(qs[0])
	for k := 0; k < n+lag*(len(qs)-1); k++ {
		for i, q := range qs {
			if j := k - lag*i; j >= 0 && j < n {
				q[j]()
			}
		}
	}
}

// greedy interleaves two queues one instruction at a time, taking from the
// other queue when the next instruction would open a register beyond budget
// live ones (by a register's first and last use in its queue). It keeps the
// vectors closer in step than a fixed stagger where registers allow.
func (g *gen) greedy(qs [][]func(), regs [][][]reg.ID, budget int) {
	type span struct{ first, last int }
	spans := make([]map[reg.ID]span, 2)
	for i := range qs {
		spans[i] = map[reg.ID]span{}
		for k, ids := range regs[i] {
			for _, id := range ids {
				sp, ok := spans[i][id]
				if !ok {
					sp.first = k
				}
				sp.last = k
				spans[i][id] = sp
			}
		}
	}
	pos := []int{0, 0}
	live := 0
	// opens and closes count the registers instruction k of queue i starts and ends
	delta := func(i int) (opens, closes int) {
		k := pos[i]
		seen := map[reg.ID]bool{}
		for _, id := range regs[i][k] {
			if seen[id] {
				continue
			}
			seen[id] = true
			sp := spans[i][id]
			if sp.first == k {
				opens++
			}
			if sp.last == k {
				closes++
			}
		}
		return
	}
	next := 0
	for pos[0] < len(qs[0]) || pos[1] < len(qs[1]) {
		i := next
		if pos[i] >= len(qs[i]) {
			i = 1 - i
		} else if o := 1 - i; pos[o] < len(qs[o]) {
			oi, ci := delta(i)
			if live+oi-ci > budget {
				oo, co := delta(o)
				switch {
				case live+oo-co <= budget:
					i = o
				case pos[o] > pos[i]:
					i = o // over budget either way: let the vector ahead finish its peak
				}
			}
		}
		opens, closes := delta(i)
		qs[i][pos[i]]()
		pos[i]++
		live += opens - closes
		next = 1 - i
	}
}

func (g *gen) load(name string) V {
	v := g.newV()
	g.each(VMOVUP, c(name), v)
	return v
}

// unroll is the number of vectors per step of the main loop (unrollOf).
func (g *gen) unroll() int { return unrollOf(g.avx512(), f64, g.mode) }

// unrollOf is the main loop's vectors per step at a level, width and γ
// mode. The body is a chain of dependent operations about 150 cycles long,
// and more vectors in flight fill it: with AVX-512 three vectors a step run
// the float32 hard step about 10% faster than two on an Intel Xeon, and
// float64's at γ = 2 4-7% faster, at a stagger of 30 (lagOf;
// results/intel-r-xeon-r-processor-family-6-model-167/unroll3.md); on the
// Zen 5 three ran no faster than two (hardpath.md there). float64's general
// γ body fits three only at a stagger of 80, where it ran 5% slower, and
// keeps two; on AVX2 three spill more and ran no faster.
func unrollOf(avx512, double bool, mode int) int {
	switch {
	case avx512 && !double:
		return unroll512
	case avx512 && mode != modeGen:
		return unroll512Double
	case avx512:
		return unroll512DoubleGen
	}
	return unroll2
}

var unroll2, unroll512, unroll512Double, unroll512DoubleGen = 2, 3, 3, 2

// softUnroll is the number of vectors per step of the soft body. AVX2's 16
// registers hold the long-lived values of one (the others wait in stack
// slots: spill), yet two a step, staggered (lagOf's Soft keys), run
// faster: the body is a latency chain, which the second vector fills.
// (A flat kernel's step with a soft lane in one of its two vectors only
// takes that vector alone through the soft or the hard body, on AVX2 and in
// AVX-512's LossGrad: function.go.)
func (g *gen) softUnroll() int {
	if g.avx512() {
		return softUnroll512
	}
	return softUnroll2
}

var softUnroll512, softUnroll2 = 2, 2

// key names the function's hard or soft body in lagOf and budgetOf.
func (g *gen) key() string {
	name := g.fname
	if g.tune != "" {
		name = g.tune
	}
	if g.soft {
		return name + "Soft"
	}
	return name
}

// lag is the stagger of the unrolled vectors, in instructions, of the hard
// body (soft = false) or the soft body.
func (g *gen) lag(soft bool) int {
	g.soft = soft
	if g.u == 1 {
		return 0
	}
	if g.two {
		if g.noLabel && g.u == 3 && g.avx512() && !lagForced {
			return noLabelLag512
		}
		if l, ok := lagOf[g.key()+"3"]; ok && g.u == 3 && !lagForced {
			return l
		}
		if g.avx512() {
			return twoLag512
		}
		return twoLag2
	}
	if soft && g.avx512() && softLag512 > 0 {
		return softLag512
	}
	if soft && !g.avx512() && softLag2 > 0 {
		return softLag2
	}
	if l, ok := lagOf[g.key()]; ok && !lagForced {
		return l
	}
	if g.avx512() {
		return lag512
	}
	return lag2
}

// budget is the live-register budget of the greedy interleave (0: use lag).
func (g *gen) budget() int {
	if g.avx512() || g.u == 1 {
		return 0
	}
	if g.soft && softBudget2 > 0 {
		return softBudget2
	}
	if !g.soft && budget2 != 0 {
		return max(budget2, 0) // -1: the stagger, for searchlags.sh
	}
	return budgetOf[g.key()]
}

var budget2 int

// budgetOf is the greedy interleave's budget per AVX2 function's hard body
// (see greedy): one that fits 16 YMM registers (searchlags.sh gives the
// largest), where it measured faster than the fixed stagger of lagOf (by 3%
// for γ ∈ {0,1,2}; not for general γ; for float64's γ = 2 Sum and LossGrad
// by 4-10% on the Zen 5, where the stagger that fits is 120).
var budgetOf = map[string]int{
	"lossAVX2M0": 14, "lossAVX2M1": 12, "lossAVX2M2": 12,
	"sumAVX2M0": 8, "sumAVX2M1": 7, "sumAVX2M2": 7,
	"lossGradAVX2M0": 12, "lossGradAVX2M1": 12, "lossGradAVX2M2": 9,
	"sum64AVX2M2": 7, "lossGrad64AVX2M2": 7,
}

// lagOf is the stagger (see staggered) of the functions whose vectors do not
// advance by lag2 or lag512: for an AVX2 function not in budgetOf, and for
// the AVX-512 ones that need more, the smallest stagger with which its
// registers fit (alloc.go fails a function that does not fit; searchlags.sh
// finds the values); the keys ending in Soft are the functions' soft bodies,
// in Soft3 their uniform steps of three (the rows functions take their flat
// twins' entries). An AVX2 function in
// budgetOf takes the greedy interleave instead, and its entry here is not
// used.
var lagOf = map[string]int{
	"lossGradAVX512MGen": 80, // lag 10 (lag512) does not allocate
	"lossGradAVX512M1":   15, "lossGradAVX512M2": 15,
	"lossGrad64AVX512MGen": 15,
	// float64 at three vectors a step (unrollOf): the smallest stagger
	// that fits is 30 for Sum at γ = 2, and all take it
	"loss64AVX512M0": 30, "loss64AVX512M1": 30, "loss64AVX512M2": 30,
	"sum64AVX512M0": 30, "sum64AVX512M1": 30, "sum64AVX512M2": 30,
	"lossGrad64AVX512M0": 30, "lossGrad64AVX512M1": 30, "lossGrad64AVX512M2": 30,
	"lossAVX2M0": 30, "lossAVX2M1": 60, "lossAVX2M2": 60, "lossAVX2MGen": 60,
	"sumAVX2M0": 70, "sumAVX2M1": 70, "sumAVX2M2": 80, "sumAVX2MGen": 100,
	"lossGradAVX2M0": 60, "lossGradAVX2M1": 60, "lossGradAVX2M2": 60, "lossGradAVX2MGen": 120,
	// the soft bodies (AVX2: two vectors a step, as softUnroll says, at the
	// smallest stagger that fits)
	"lossAVX2M0Soft": 20, "lossAVX2M1Soft": 50, "lossAVX2M2Soft": 80, "lossAVX2MGenSoft": 200,
	"sumAVX2M0Soft": 40, "sumAVX2M1Soft": 80, "sumAVX2M2Soft": 100, "sumAVX2MGenSoft": 200,
	"lossGradAVX2M0Soft": 120, "lossGradAVX2M1Soft": 160, "lossGradAVX2M2Soft": 200, "lossGradAVX2MGenSoft": 250,
	"lossAVX512M0Soft": 5, "lossAVX512M1Soft": 50, "lossAVX512M2Soft": 60, "lossAVX512MGenSoft": 120,
	"sumAVX512M0Soft": 10, "sumAVX512M1Soft": 60, "sumAVX512M2Soft": 60, "sumAVX512MGenSoft": 160,
	"lossGradAVX512M0Soft": 50, "lossGradAVX512M1Soft": 160, "lossGradAVX512M2Soft": 160, "lossGradAVX512MGenSoft": 200,
	// AVX-512's uniform steps of three vectors at γ = 2 (uniform.go; the
	// rows form's float32 smoothed kernels take them too): the smallest
	// stagger that fits (for float32, 60, 100 or 160 ran Sum and Loss
	// 11-28% slower; 15 for Sum and LossGrad, which fit with twoBody's
	// reselect, ran no faster, as did float64's Sum at 20 and 40 and Loss
	// at 30); float64's LossGrad fits 25 with the reselect and α and γ in
	// the frame, where it took 80 (stagger64-revs)
	"sumAVX512M2Soft3": 30, "lossAVX512M2Soft3": 15, "lossGradAVX512M2Soft3": 50,
	"sum64AVX512M2Soft3": 50, "loss64AVX512M2Soft3": 40, "lossGrad64AVX512M2Soft3": 25,
	// float64 (the polynomials are longer: more of the body between the vectors)
	"loss64AVX2M0": 90, "loss64AVX2M1": 100, "loss64AVX2M2": 100, "loss64AVX2MGen": 140,
	"sum64AVX2M0": 100, "sum64AVX2M1": 100, "sum64AVX2M2": 120, "sum64AVX2MGen": 140,
	"lossGrad64AVX2M0": 100, "lossGrad64AVX2M1": 120, "lossGrad64AVX2M2": 120, "lossGrad64AVX2MGen": 200,
	"loss64AVX2M0Soft": 20, "loss64AVX2M1Soft": 100, "loss64AVX2M2Soft": 100, "loss64AVX2MGenSoft": 300,
	"sum64AVX2M0Soft": 80, "sum64AVX2M1Soft": 100, "sum64AVX2M2Soft": 140, "sum64AVX2MGenSoft": 300,
	"lossGrad64AVX2M0Soft": 120, "lossGrad64AVX2M1Soft": 250, "lossGrad64AVX2M2Soft": 200, "lossGrad64AVX2MGenSoft": 400,
	"loss64AVX512M0Soft": 5, "loss64AVX512M1Soft": 60, "loss64AVX512M2Soft": 80, "loss64AVX512MGenSoft": 160,
	"sum64AVX512M0Soft": 15, "sum64AVX512M1Soft": 80, "sum64AVX512M2Soft": 80, "sum64AVX512MGenSoft": 200,
	"lossGrad64AVX512M0Soft": 60, "lossGrad64AVX512M1Soft": 160, "lossGrad64AVX512M2Soft": 160, "lossGrad64AVX512MGenSoft": 250,
}

var lagForced bool

var softLag2, softBudget2, softLag512 int

// twoLag2 is the stagger of the two-valued body's vectors on AVX2: 20 and
// 120 fit every rows function's 16 registers, 60 and 100 do not (float64's
// Sum and LossGrad); 20 keeps the vectors closest in step. The flat
// uniform step (uniform.go) fitted 0 and 20 of 0-35, 60 and 120, and at 0
// its float32 LossGrad ran 15% slower, Sum 3%, on the Intel Xeon in
// results/ (eight interleaved passes). Since log1pY's select became two
// logic operations, 20 no longer fits float32's Sum, and of 16-28 only 19
// fits every function.
// twoLag512 is AVX-512's: the hard body's.
var twoLag2, twoLag512 = 19, 15

// noLabelLag512 is the stagger of AVX-512's smoothed rows steps of three
// vectors without a label lane (rows.go): of 0-40 none fits 32 registers
// for every function, 50 does (60 and 80 ran slower).
var noLabelLag512 = 50

var lag2, lag512 = 40, 10
