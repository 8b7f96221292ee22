// Command _asm generates focal_amd64.s and focal_amd64.go, the AVX2+FMA and
// AVX-512 sigmoid focal loss kernels of package asm. Run it with go generate
// in impl/asm (or make generate). It is its own module so that avo never
// enters the project's go.mod.
//
// Every kernel computes, lane by lane, exactly the operations of elemHard in
// ../generic.go, in the same order (see the comments there); a change to one
// is a change to both, and the tests compare them for every length.
package main

import (
	"flag"
	"fmt"
	"math"
	"reflect"
	"strings"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// Constants of generic.go, one 64-byte row each (16 copies of a float32).
var constNames = []string{}
var constVals = []uint32{}

func cf(name string, v float32) {
	constNames = append(constNames, name)
	constVals = append(constVals, math.Float32bits(v))
}
func ci(name string, v uint32) {
	constNames = append(constNames, name)
	constVals = append(constVals, v)
}

func init() {
	cf("zero", 0)
	cf("one", 1)
	cf("mone", -1)
	cf("mtwo", -2)
	cf("half", 0.5)
	cf("mhalf", -0.5)
	ci("sign", 0x80000000)
	cf("expLo", -104)
	cf("loMax", 1.0/64)
	cf("loMin", -1.0/64)
	cf("log2e", 1.44269504088896341)
	cf("ln2hi", 0.693359375)
	cf("ln2lo", -2.12194440e-4)
	cf("sqrt2", 1.41421356237)
	cf("mzLo", -256)
	cf("maxf", math.MaxFloat32)
	cf("inf", float32(math.Inf(1)))
	cf("ep0", 1.9875691500e-4)
	cf("ep1", 1.3981999507e-3)
	cf("ep2", 8.3334519073e-3)
	cf("ep3", 4.1665795894e-2)
	cf("ep4", 1.6666665459e-1)
	cf("ep5", 5.0000001201e-1)
	cf("lp0", 7.0376836292e-2)
	cf("lp1", -1.1514610310e-1)
	cf("lp2", 1.1676998740e-1)
	cf("lp3", -1.2420140846e-1)
	cf("lp4", 1.4249322787e-1)
	cf("lp5", -1.6668057665e-1)
	cf("lp6", 2.0000714765e-1)
	cf("lp7", -2.4999993993e-1)
	cf("lp8", 3.3333331174e-1)
	ci("i127", 127)
	ci("im126", 0xffffff82) // -126
	ci("i127sh", 127<<23)
	// iota for AVX2 tail masks: lane i holds i
	ci("iota", 0) // lane j holds j: see emitConsts
}

var consts Mem

func c(name string) Mem {
	for i, n := range constNames {
		if n == name {
			return consts.Offset(64 * i)
		}
	}
	panic("no constant " + name)
}

func emitConsts() {
	consts = GLOBL("focalconsts", RODATA|NOPTR)
	for i, v := range constVals {
		for j := 0; j < 16; j++ {
			w := v
			if constNames[i] == "iota" {
				w = uint32(j)
			}
			DATA(64*i+4*j, U32(w))
		}
	}
}

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
	mode       int
	u          int           // vectors per step (unroll)
	a1, a0, g  Op            // registers (AVX-512) or broadcast copies on the stack (AVX2)
	a1lo, a0lo Op            // α's float32 rounding errors, likewise
	glo        Op            // γ's
	allHard    masks         // AVX-512: one K register
	allHardGP  reg.GPVirtual // AVX2: the lane bits of every hard mask ANDed
	acc, acc64 reg.VecVirtual
	acc64mem   Mem           // AVX2: acc64 on the stack
	ovf        reg.GPVirtual // Sum: nonzero if a float32 lane overflowed
	queues     [][]func()    // see staggered
	qregs      [][][]reg.ID  // the vector registers of each queued instruction
	h1         V             // AVX2: the lanes where t = 1 (body)
	fast       bool          // AVX2: scale exp by an exponent add, see expo
	okGP       reg.GPVirtual // AVX2: lanes whose exponent add was exact
	fname      string
}

// V is one register per unrolled vector; K likewise for mask registers.
type (
	V  []reg.VecVirtual
	KS []reg.OpmaskVirtual
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
		if g.queues != nil {
			g.queues[i] = append(g.queues[i], func() { fv.Call(in) })
			g.qregs[i] = append(g.qregs[i], vecIDs(ops))
		} else {
			fv.Call(in)
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
	fv := reflect.ValueOf(f)
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
	g.each(VMOVUPS, c(name), v)
	return v
}

// expo returns exp(h+lo) (lo may be nil) into h's registers (h is destroyed).
func (g *gen) expo(h, lo V) V {
	p, _ := g.expoSplit(h, lo, false)
	return p
}

// expoSplit is expo that also returns, if wantLo, the rounding error of p's
// last addition scaled like p (see expSplit in generic.go).
func (g *gen) expoSplit(h, lo V, wantLo bool) (V, V) {
	if !g.fast { // the fast scaling sends k < -125 (and NaN) to the slow step, which clamps
		lim := g.load("expLo")
		g.each(VMAXPS, h, lim, h) // NaN h stays NaN: MAXPS returns its second source on NaN
	}
	kf := g.newV()
	g.each(VMULPS, c("log2e"), h, kf)
	var ki V
	if g.avx512() {
		g.each(VRNDSCALEPS, U8(0), kf, kf)
	} else {
		ki = g.newV()
		g.each(VCVTPS2DQ, kf, ki)
		g.each(VROUNDPS, U8(0), kf, kf) // the same integer, in parallel
	}
	r := h
	g.each(VFNMADD231PS, c("ln2hi"), kf, r)
	g.each(VFNMADD231PS, c("ln2lo"), kf, r)
	if lo != nil {
		// |lo| < 1e-4 wherever h ≥ expLo; below it h is clamped and a lo
		// left as large as γ's products' errors (thousands at γ = 1e10)
		// would lift exp far off 0: held to ±1/64, exp(expLo+lo) stays 0.
		g.each(VMINPS, c("loMax"), lo, lo)
		g.each(VMAXPS, c("loMin"), lo, lo)
		g.each(VADDPS, lo, r, r)
	}
	r2 := g.newV()
	g.each(VMULPS, r, r, r2)
	p := g.load("ep0")
	b := g.load("ep2")
	cc := g.load("ep4")
	g.each(VFMADD213PS, c("ep1"), r, p)
	g.each(VFMADD213PS, c("ep3"), r, b)
	g.each(VFMADD213PS, c("ep5"), r, cc)
	g.each(VFMADD213PS, b, r2, p)
	g.each(VFMADD213PS, cc, r2, p)
	g.each(VFMADD213PS, r, r2, p)
	var plo V
	if wantLo {
		plo = p // s
		p = g.newV()
		g.each(VADDPS, c("one"), plo, p) // p = s+1
		t := r2
		g.each(VSUBPS, c("one"), p, t)
		g.each(VSUBPS, t, plo, plo) // pLo = s - (p-1)
	} else {
		g.each(VADDPS, c("one"), p, p)
	}
	if g.avx512() {
		g.each(VSCALEFPS, kf, p, p)
		if wantLo {
			g.each(VSCALEFPS, kf, plo, plo)
		}
		return p, plo
	}
	if g.fast {
		// p·2^k by adding k to p's exponent: exact while the result is
		// normal (k ≥ -125, as p ≥ 0.7). A lane with a smaller k clears a bit
		// of okGP, and the step is done again with the general scaling.
		ok := g.newV()
		g.each(VPCMPGTD, c("im126"), ki, ok)
		for i := 0; i < g.u; i++ {
			r := GP32()
			g.eachOne(i, VMOVMSKPS, ok[i], r)
			g.eachOne(i, ANDL, r, g.okGP)
		}
		g.each(VPSLLD, U8(23), ki, ki)
		g.each(VPADDD, ki, p, p)
		if wantLo { // pLo·2^k may be subnormal: multiply by 2^k (k ≥ -125 here)
			g.each(VPADDD, c("i127sh"), ki, ki)
			g.each(VMULPS, ki, plo, plo)
		}
		return p, plo
	}
	// p·2^k in two exact halves, so that a subnormal result is rounded once
	k1 := g.newV()
	g.each(VPSRAD, U8(1), ki, k1)
	g.each(VPSUBD, k1, ki, ki)
	g.each(VPADDD, c("i127"), k1, k1)
	g.each(VPSLLD, U8(23), k1, k1)
	g.each(VPADDD, c("i127"), ki, ki)
	g.each(VPSLLD, U8(23), ki, ki)
	g.each(VMULPS, k1, p, p)
	g.each(VMULPS, ki, p, p)
	if wantLo {
		g.each(VMULPS, k1, plo, plo)
		g.each(VMULPS, ki, plo, plo)
	}
	return p, plo
}

// masks are per-vector lane masks: vectors (AVX2) or K registers (AVX-512).
type masks struct {
	v V
	k KS
}

func (m masks) op() any {
	if m.k != nil {
		return m.k
	}
	return m.v
}

// body computes the loss (and the gradient if wantGrad) of the lanes of x and t.
// x is destroyed. It returns loss, grad (nil unless wantGrad) and the hard mask.
func (g *gen) body(x, t V, wantGrad bool) (loss, grad V, hard masks) {
	// hard = (t == 0) | (t == 1)
	if g.avx512() {
		k0, k1 := g.newK(), g.newK()
		g.each(VCMPPS, U8(0), c("zero"), t, k0)
		g.each(VCMPPS, U8(0), c("one"), t, k1)
		g.each(KORW, k1, k0, k0)
		hard.k = k0
	} else {
		h0, h1 := g.newV(), g.newV()
		g.each(VCMPPS, U8(0), c("zero"), t, h0)
		g.each(VCMPPS, U8(0), c("one"), t, h1)
		g.each(VORPS, h1, h0, h0)
		hard.v = h0
		// AVX2 (short of registers and instructions): for a hard lane the
		// values elemHard computes with fma and mul are selections: z = ±x,
		// α_t = a1 or a0 (and its error term), 1-2t = ±1 applied as a sign
		// flip. Soft lanes get other values, which are never used.
		g.h1 = h1
	}
	g.andHard(hard)
	// -|z| = -|x| for a hard lane: the exp starts without waiting for t
	e := g.newV()
	g.each(VORPS, c("sign"), x, e)
	var s, z V
	if g.avx512() {
		s = g.load("mtwo")
		g.each(VFMADD213PS, c("one"), t, s) // s = 1-2t
		z = x
		g.each(VMULPS, s, x, z) // z = x·s
		if !wantGrad {
			s = nil
		}
	} else {
		sgn := g.newV()
		g.each(VANDPS, c("sign"), g.h1, sgn)
		z = x
		g.each(VXORPS, sgn, x, z) // z = ±x
	}
	e, el := g.expoSplit(e, nil, true) // exp(-|z|) = e + el
	u := g.newV()
	g.each(VADDPS, c("one"), e, u)
	rcp := g.load("one")
	g.each(VDIVPS, u, rcp, rcp)
	cc := g.newV()
	g.each(VSUBPS, c("one"), u, cc)
	g.each(VSUBPS, cc, e, cc)
	g.each(VADDPS, el, cc, cc)
	g.each(VMULPS, rcp, cc, cc) // c = ((e-(u-1))+el)·rcp
	r1 := g.load("one")
	g.each(VFNMADD231PS, u, rcp, r1)  // r1 = 1 - u·rcp
	g.each(VSUBPS, cc, r1, r1)        // r1 - c
	g.each(VFMADD132PS, r1, rcp, rcp) // rc = rcp·(r1-c) + rcp
	sn := el
	g.each(VMULPS, rcp, el, sn)     // el·rc
	g.each(VFMADD231PS, e, rcp, sn) // σ(-|z|) = e·rc + el·rc; e dead
	needSz := g.mode == mode1 || g.mode == mode2 || wantGrad
	needSnz := wantGrad && g.mode != mode0
	var sz, snz V
	if needSz {
		sz = g.newV()
		if needSnz {
			snz = g.newV()
		}
		if g.avx512() {
			kn := g.newK()
			g.each(VPMOVD2M, z, kn)
			g.each(VBLENDMPS, sn, rcp, kn, sz)
			if needSnz {
				g.each(VBLENDMPS, rcp, sn, kn, snz)
			}
		} else {
			g.each(blendv, z, sn, rcp, sz)
			if needSnz {
				g.each(blendv, z, rcp, sn, snz)
			}
		}
	}
	// L = log1p(e) from u and c
	f := g.newV()
	kf := g.newV()
	// f = u-1, or u/2-1 (exactly, by fma) where u > √2
	f2 := g.load("half")
	g.each(VFMADD213PS, c("mone"), u, f2)
	g.each(VSUBPS, c("one"), u, f)
	if g.avx512() {
		km := g.newK()
		g.each(VCMPPS, U8(0x1e), c("sqrt2"), u, km) // u > √2
		g.each(VBLENDMPS, f2, f, km, f)
		g.each(broadcastZ, c("one"), km, kf)
	} else {
		g.each(VCMPPS, U8(0x1e), c("sqrt2"), u, kf)
		g.each(blendv, kf, f2, f, f)
		g.each(VANDPS, c("one"), kf, kf)
	}
	zz := u // u dead
	g.each(VMULPS, f, f, zz)
	// Estrin in f, f², f⁴, emitted so that few partial results are live at once
	r := g.load("lp4")
	a67 := g.load("lp6")
	g.each(VFMADD213PS, c("lp5"), f, r)
	g.each(VFMADD213PS, c("lp7"), f, a67)
	g.each(VFMADD213PS, a67, zz, r) // r = a45·f² + a67
	p := g.load("lp0")
	a23 := g.load("lp2")
	g.each(VFMADD213PS, c("lp1"), f, p)
	g.each(VFMADD213PS, c("lp3"), f, a23)
	g.each(VFMADD213PS, a23, zz, p) // q = a01·f² + a23
	z4 := a23                       // dead
	g.each(VMULPS, zz, zz, z4)
	g.each(VFMADD213PS, r, z4, p) // q·f⁴ + r
	g.each(VFMADD213PS, c("lp8"), f, p)
	f3, hz := r, a67 // dead
	g.each(VMULPS, f, zz, f3)
	g.each(VMULPS, c("mhalf"), zz, hz)
	g.each(VFMADD231PS, c("ln2lo"), kf, cc) // c + kf·ln2lo; c dead after
	g.each(VFMADD213PS, hz, f3, p)          // p·f³ - f²/2
	g.each(VADDPS, cc, p, p)
	g.each(VADDPS, f, p, p)
	g.each(VFMADD231PS, c("ln2hi"), kf, p)
	l := p
	// CE = max(z,0) + L
	ce := g.newV()
	g.each(VMAXPS, c("zero"), z, ce)
	g.each(VADDPS, l, ce, ce)
	// m (+ mlo) = σ(z)^γ
	var m, mlo V
	switch g.mode {
	case mode1:
		m = sz
	case mode2:
		m = g.newV()
		g.each(VMULPS, sz, sz, m)
		mlo = g.newV()
		g.each(VMOVAPS, m, mlo)
		g.each(VFMSUB231PS, sz, sz, mlo) // mLo = sz·sz - m, exactly
	case modeGen:
		mz := z
		g.each(VMINPS, c("zero"), z, mz)
		g.each(VMAXPS, c("mzLo"), mz, mz)
		dml := g.newV()
		g.each(VSUBPS, l, mz, dml) // mz - L, for γ's rounding error
		h1 := g.newV()
		g.each(VMULPS, g.g, mz, h1)
		g.each(VFMSUB132PS, g.g, h1, mz) // l1 = mz·g - h1
		l1 := mz
		h2 := g.newV()
		g.each(VMULPS, g.g, l, h2)
		g.each(VFMSUB132PS, g.g, h2, l) // l2 = L·g - h2
		l2 := l
		h := g.newV()
		g.each(VSUBPS, h2, h1, h)
		bb := g.newV()
		g.each(VSUBPS, h1, h, bb)
		ta := f // f dead
		g.each(VSUBPS, bb, h, ta)
		g.each(VSUBPS, ta, h1, ta)
		g.each(VADDPS, bb, h2, h2)
		g.each(VSUBPS, h2, ta, ta) // er
		g.each(VSUBPS, l2, l1, l1)
		g.each(VADDPS, ta, l1, l1)          // lo
		g.each(VFMADD231PS, g.glo, dml, l1) // + γlo·(mz - L)
		m = g.expo(h, l1)
	}
	// α_t = fma(t, a1, (1-t)·a0)
	var at, atLo V
	if !g.avx512() {
		a0 := g.newV()
		g.each(VMOVUPS, g.a0, a0)
		at = g.newV()
		g.each(blendv, g.h1, g.a1, a0, at)
		g.each(VMOVUPS, g.a0lo, a0)
		atLo = g.newV()
		g.each(blendv, g.h1, g.a1lo, a0, atLo)
	} else {
		ut := g.newV()
		g.each(VXORPS, c("sign"), t, ut)
		g.each(VADDPS, c("one"), ut, ut) // 1-t
		atLo = g.newV()
		g.each(VMULPS, g.a0lo, ut, atLo)
		g.each(VFMADD231PS, g.a1lo, t, atLo) // α_t's float32 rounding error
		at = ut
		g.each(VMULPS, g.a0, ut, at)
		g.each(VFMADD231PS, g.a1, t, at)
	}
	// loss = fma(at, m·ce, at·lo), lo the exact error of m·ce (+ mlo·ce)
	loss = g.newV()
	var amh, aml V
	switch g.mode {
	case mode0:
		cec := g.newV()
		g.each(VMINPS, c("maxf"), ce, cec)
		g.each(VMULPS, cec, atLo, loss)
		g.finalFMA(at, ce, loss, ce)
	case mode1, mode2:
		// m is ready long before CE: α_t·m with its exact error first
		amh, aml = g.newV(), g.newV()
		g.each(VMULPS, m, at, amh)
		g.each(VMOVAPS, amh, aml)
		g.each(VFMSUB231PS, m, at, aml) // at·m - amh
		if mlo != nil {
			g.each(VFMADD231PS, mlo, at, aml) // + at·mLo
		}
		g.each(VFMADD231PS, m, atLo, aml) // + atLo·m
		cec := g.newV()
		g.each(VMINPS, c("maxf"), ce, cec)
		g.each(VMULPS, cec, aml, loss)
		g.finalFMA(amh, ce, loss, ce) // amh = 0 exactly where at = 0 when CE = +Inf (m = 1 there)
	default:
		g.compensated(m, mlo, ce, at, atLo, loss, true)
	}

	if !wantGrad {
		return loss, nil, hard
	}
	grad = g.newV()
	if g.mode == mode0 {
		g.each(VMULPS, atLo, sz, grad)
		g.each(VFMADD231PS, at, sz, grad)
	} else {
		inner := snz
		g.each(VMULPS, g.g, snz, inner)
		g.each(VMINPS, c("maxf"), ce, ce)  // CE = +Inf (z = +Inf) held finite: σ(-z)·CE → 0
		g.each(VFMADD213PS, sz, ce, inner) // γ·σ(-z)·CE + σ(z)
		if amh != nil {
			g.each(VMULPS, inner, aml, grad)
			g.each(VFMADD231PS, amh, inner, grad)
		} else {
			g.compensated(m, mlo, inner, at, atLo, grad, false)
		}
	}
	if g.avx512() {
		g.each(VMULPS, s, grad, grad)
	} else {
		sgn := g.newV()
		g.each(VANDPS, c("sign"), g.h1, sgn)
		g.each(VXORPS, sgn, grad, grad)
	}
	return loss, grad, hard
}

// compensated sets dst = fma(at, m·v, fma(atLo, m·v, at·lo)) where
// lo = fma(m, v, -m·v) (+ mlo·v): (α_t+atLo)·(m+mlo)·v rounded about once.
// With forLoss, v may be +Inf (x = ±Inf): the small terms are held finite
// (VMINPS takes NaN as MaxFloat32) so that dst is +Inf there, and dst is 0
// where α_t = 0.
func (g *gen) compensated(m, mlo, v, at, atLo, dst V, forLoss bool) {
	mv := g.newV()
	g.each(VMULPS, v, m, mv)
	if g.mode == modeGen {
		// m carries about 1 ULP from its exp: m·v's rounding is not carried
		mvc := mv
		if forLoss {
			mvc = g.newV()
			g.each(VMINPS, c("maxf"), mv, mvc)
		}
		g.each(VMULPS, atLo, mvc, dst)
		var ce V
		if forLoss {
			ce = v
		}
		g.finalFMA(at, mv, dst, ce)
		return
	}
	var t1 V
	if mlo != nil {
		t1 = g.newV()
		g.each(VMULPS, v, mlo, t1) // mlo·v, off the chain
	}
	g.each(VMOVAPS, mv, dst)
	g.each(VFMSUB231PS, v, m, dst) // lo = m·v - mv
	if mlo != nil {
		g.each(VADDPS, t1, dst, dst) // lo += mlo·v
	}
	mvc := mv
	if forLoss {
		g.each(VMINPS, c("maxf"), dst, dst)
		mvc = g.newV()
		g.each(VMINPS, c("maxf"), mv, mvc)
	}
	t2 := g.newV()
	g.each(VMULPS, atLo, mvc, t2)    // atLo·mv, off the chain
	g.each(VFMADD213PS, t2, at, dst) // at·lo + atLo·mv
	var ce V
	if forLoss {
		ce = v
	}
	g.finalFMA(at, mv, dst, ce) // mv·at + …
}

// finalFMA sets dst = at·v + dst. Where α_t = 0 and CE = +Inf (x = ±Inf,
// possible only with α = 0 or 1) this is 0·Inf = NaN; the Go side redoes those
// elements (asm.go, fixZeroWeight), which keeps the kernels free of the check.
func (g *gen) finalFMA(at, v, dst, ce V) {
	g.each(VFMADD231PS, at, v, dst)
}

func blendv(ops ...Op)     { VBLENDVPS(ops[0], ops[1], ops[2], ops[3]) }
func fmaZ(ops ...Op)       { VFMADD231PS_Z(ops[0], ops[1], ops[2], ops[3]) }
func broadcastZ(ops ...Op) { VBROADCASTSS_Z(ops[0], ops[1], ops[2]) }

type op int

func (o op) name() string { return [...]string{"loss", "sum", "lossGrad"}[o] }

const (
	opLoss op = iota
	opSum
	opLossGrad
)

func (g *gen) function(o op) {
	var name, sig string
	lv := g.name
	switch o {
	case opLoss:
		name = "loss" + lv + modeNames[g.mode]
		sig = "func(dst, x, t []float32, a1, a0, a1lo, a0lo, gm, gmlo float32) (hard bool)"
	case opSum:
		name = "sum" + lv + modeNames[g.mode]
		sig = "func(x, t []float32, a1, a0, a1lo, a0lo, gm, gmlo float32) (sum float64, hard, ok bool)"
	case opLossGrad:
		name = "lossGrad" + lv + modeNames[g.mode]
		sig = "func(loss, grad, x, t []float32, a1, a0, a1lo, a0lo, gm, gmlo float32) (hard bool)"
	}
	TEXT(name, NOSPLIT, sig)
	Pragma("noescape")
	g.fname = name
	switch o {
	case opLoss:
		Doc(name+" writes the loss of the hard-target lanes into dst and reports whether all targets were hard.",
			"len(dst) ≥ len(t) ≥ len(x); soft-target lanes of dst are left for the caller to overwrite.")
	case opSum:
		Doc(name+" returns the sum of the loss over the hard-target lanes, whether all targets were hard,",
			"and ok = false if a float32 lane overflowed while the losses were finite (the caller sums again).")
	case opLossGrad:
		Doc(name+" writes the loss and gradient of the hard-target lanes and reports whether all targets were hard.",
			"loss may be the same slice as grad (the loss is stored first).")
	}
	n, xp, tp := GP64(), GP64(), GP64()
	Load(Param("x").Len(), n)
	Load(Param("x").Base(), xp)
	Load(Param("t").Base(), tp)
	var dp, gp reg.GPVirtual
	switch o {
	case opLoss:
		dp = GP64()
		Load(Param("dst").Base(), dp)
	case opLossGrad:
		dp, gp = GP64(), GP64()
		Load(Param("loss").Base(), dp)
		Load(Param("grad").Base(), gp)
	}
	// AVX2 keeps the parameters on the stack, to leave the 16 YMM registers
	// to the two interleaved vectors.
	var local Mem
	if !g.avx512() {
		local = AllocLocal(7 * 32) // 6 parameters, and Sum's float64 accumulator
	}
	param := func(name string, i int) Op {
		v := g.vec()
		VBROADCASTSS(paramAddr(name), v)
		if g.avx512() {
			return v
		}
		VMOVUPS(v, local.Offset(32*i))
		return local.Offset(32 * i)
	}
	g.a1, g.a0 = param("a1", 0), param("a0", 1)
	g.a1lo, g.a0lo = param("a1lo", 2), param("a0lo", 3)
	if g.mode != mode0 {
		g.g = param("gm", 4)
	}
	if g.mode == modeGen {
		g.glo = param("gmlo", 5)
	}
	g.u = 1
	if g.avx512() {
		g.allHard.k = g.newK()
		g.each(KXNORW, g.allHard.k, g.allHard.k, g.allHard.k)
	} else {
		g.allHardGP = GP32()
		MOVL(U32(0xff), g.allHardGP)
	}
	var cnt reg.GPVirtual
	if o == opSum {
		g.acc = g.vec()
		VXORPS(g.acc, g.acc, g.acc)
		if g.avx512() {
			g.acc64 = g.vec()
			VXORPD(g.acc64, g.acc64, g.acc64)
		} else {
			// AVX2: the float64 accumulator waits on the stack between
			// flushes, one YMM register fewer for the loop
			g.acc64mem = local.Offset(6 * 32)
			VMOVUPS(g.acc, g.acc64mem)
		}
		cnt = GP64()
		MOVQ(U32(blockVecs), cnt)
		g.ovf = GP32()
		XORL(g.ovf, g.ovf)
	}
	W := g.w
	loopU, loop1, tail, done := name+"_loopU", name+"_loop1", name+"_tail", name+"_done"

	// step processes g.u whole vectors and advances the pointers.
	var step func(next, prefix string, fast bool)
	step = func(next, prefix string, fast bool) {
		g.fast = fast && !g.avx512()
		if g.fast {
			g.okGP = GP32()
			MOVL(U32(0xff), g.okGP)
		}
		x, t := g.newV(), g.newV()
		for i := 0; i < g.u; i++ {
			VMOVUPS(Mem{Base: xp, Disp: 4 * W * i}, x[i])
			VMOVUPS(Mem{Base: tp, Disp: 4 * W * i}, t[i])
		}
		var loss, grad V
		var hard masks
		g.staggered(g.lag(), func() { loss, grad, hard = g.body(x, t, o == opLossGrad) })
		slow := prefix + "_slow"
		if g.fast {
			CMPL(g.okGP, U8(0xff))
			JNE(LabelRef(slow))
		}
		switch o {
		case opLoss:
			for i := 0; i < g.u; i++ {
				VMOVUPS(loss[i], Mem{Base: dp, Disp: 4 * W * i})
			}
		case opLossGrad:
			for i := 0; i < g.u; i++ {
				VMOVUPS(loss[i], Mem{Base: dp, Disp: 4 * W * i})
				VMOVUPS(grad[i], Mem{Base: gp, Disp: 4 * W * i})
			}
		case opSum:
			g.accumulate(loss, hard)
			skip := prefix + "_noflush"
			SUBQ(U8(g.u), cnt)
			JG(LabelRef(skip))
			g.flush()
			MOVQ(U32(blockVecs), cnt)
			Label(skip)
		}
		bytes := U32(4 * W * g.u)
		ADDQ(bytes, xp)
		ADDQ(bytes, tp)
		if dp != nil {
			ADDQ(bytes, dp)
		}
		if gp != nil {
			ADDQ(bytes, gp)
		}
		SUBQ(U32(W*g.u), n)
		JMP(LabelRef(next))
		if g.fast {
			Label(slow)
			step(next, slow, false)
		}
	}

	Label(loopU)
	CMPQ(n, U32(W*g.unroll()))
	JB(LabelRef(loop1))
	g.u = g.unroll()
	step(loopU, loopU, true)
	g.u = 1

	Label(loop1)
	CMPQ(n, U32(W))
	JB(LabelRef(tail))
	step(loop1, loop1, true)

	Label(tail)
	g.fast = false
	TESTQ(n, n)
	JZ(LabelRef(done))
	{
		var valid masks
		x, t := g.newV(), g.newV()
		if g.avx512() {
			valid.k = g.newK()
			ones, bits := GP32(), GP32()
			MOVL(U32(0xffff), ones)
			BZHIL(n.As32(), ones, bits)
			KMOVW(bits, valid.k[0])
			VMOVUPS_Z(Mem{Base: xp}, valid.k[0], x[0])
			VMOVUPS_Z(Mem{Base: tp}, valid.k[0], t[0])
		} else {
			valid.v = g.newV()
			nv := g.vec()
			MOVQ(n, nv.AsX())
			VPBROADCASTD(nv.AsX(), nv)
			VPCMPGTD(c("iota"), nv, valid.v[0])
			VMASKMOVPS(Mem{Base: xp}, valid.v[0], x[0])
			VMASKMOVPS(Mem{Base: tp}, valid.v[0], t[0])
		}
		// Lanes past the end load as x = 0, t = 0: a hard target, so allHard is
		// not disturbed, and their results are never stored or summed.
		loss, grad, hard := g.body(x, t, o == opLossGrad)
		switch o {
		case opLoss:
			g.maskedStore(loss[0], valid, dp)
		case opLossGrad:
			g.maskedStore(loss[0], valid, dp)
			g.maskedStore(grad[0], valid, gp)
		case opSum:
			if g.avx512() {
				KANDW(valid.k[0], hard.k[0], hard.k[0])
			} else {
				VANDPS(valid.v[0], hard.v[0], hard.v[0])
			}
			g.accumulate(loss, hard)
		}
	}

	Label(done)
	if o == opSum {
		g.flush()
		// horizontal sum of acc64
		var lo reg.VecVirtual
		if g.avx512() {
			hi := YMM()
			VEXTRACTF64X4(U8(1), g.acc64, hi)
			lo = YMM()
			VADDPD(hi, g.acc64.AsY(), lo)
		} else {
			lo = YMM()
			VMOVUPD(g.acc64mem, lo)
		}
		hx := XMM()
		VEXTRACTF128(U8(1), lo, hx)
		sx := XMM()
		VADDPD(hx, lo.AsX(), sx)
		hy := XMM()
		VPERMILPD(U8(1), sx, hy)
		VADDSD(hy, sx, sx)
		Store(sx, ReturnIndex(0))
	}
	r := GP8()
	if g.avx512() {
		KORTESTW(g.allHard.k[0], g.allHard.k[0])
		SETCS(r)
	} else {
		CMPL(g.allHardGP, U8(0xff))
		SETEQ(r)
	}
	if o == opSum {
		Store(r, ReturnIndex(1))
		ok := GP8()
		TESTL(g.ovf, g.ovf)
		SETEQ(ok)
		Store(ok, ReturnIndex(2))
	} else {
		Store(r, ReturnIndex(0))
	}
	VZEROUPPER()
	RET()
}

// unroll is the number of vectors per step of the main loop.
func (g *gen) unroll() int {
	if g.avx512() {
		return unroll512
	}
	return unroll2
}

var unroll2, unroll512 = 2, 2

// lag is the stagger of the unrolled vectors, in instructions.
func (g *gen) lag() int {
	if g.u == 1 {
		return 0
	}
	if l, ok := lagOf[g.fname]; ok && !lagForced {
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
	if budget2 > 0 {
		return budget2
	}
	return budgetOf[g.fname]
}

var budget2 int

// budgetOf is the greedy interleave's budget per AVX2 function (see greedy):
// the largest that fits 16 YMM registers (searchlags.sh), where it measured
// faster than the fixed stagger of lagOf (by 3% for γ ∈ {0,1,2}; not for
// general γ).
var budgetOf = map[string]int{
	"lossAVX2M0": 14, "lossAVX2M1": 12, "lossAVX2M2": 12,
	"sumAVX2M0": 8, "sumAVX2M1": 7, "sumAVX2M2": 7,
	"lossGradAVX2M0": 12, "lossGradAVX2M1": 12, "lossGradAVX2M2": 9,
}

// lagOf is the stagger of each AVX2 function: the smallest that keeps it
// within 16 YMM registers (searchlags.sh finds them; TestAVX2Registers checks), or
// -1 for one vector per step.
var lagOf = map[string]int{
	"lossGradAVX512MGen": 80, // lag 10 (lag512) does not allocate
	"lossGradAVX512M1":   15, "lossGradAVX512M2": 15,
	"lossAVX2M0": 30, "lossAVX2M1": 60, "lossAVX2M2": 60, "lossAVX2MGen": 60,
	"sumAVX2M0": 70, "sumAVX2M1": 70, "sumAVX2M2": 80, "sumAVX2MGen": 100,
	"lossGradAVX2M0": 60, "lossGradAVX2M1": 60, "lossGradAVX2M2": 60, "lossGradAVX2MGen": 120,
}

var lagForced bool

var lag2, lag512 = 40, 10

func (g *gen) andHard(h masks) {
	if g.avx512() {
		g.each(KANDW, h.k, g.allHard.k[0], g.allHard.k[0])
		return
	}
	for i := 0; i < g.u; i++ {
		r := GP32()
		g.eachOne(i, VMOVMSKPS, h.v[i], r)
		g.eachOne(i, ANDL, r, g.allHardGP)
	}
}

// blockVecs vectors are summed in float32 lanes before the lanes are widened
// and added to the float64 accumulator.
const blockVecs = 8

// accumulate adds the lanes of loss selected by m into acc.
func (g *gen) accumulate(loss V, m masks) {
	for i := 0; i < g.u; i++ {
		if g.avx512() {
			VADDPS(loss[i], g.acc, m.k[i], g.acc)
		} else {
			VANDPS(m.v[i], loss[i], loss[i])
			VADDPS(loss[i], g.acc, g.acc)
		}
	}
}

// flush adds acc, widened to float64, into acc64 and clears acc. A lane that
// is +Inf sets ovf: two finite losses near MaxFloat32 in one lane overflow
// float32 (the caller then sums again in float64; a loss that is itself +Inf
// gives +Inf either way).
func (g *gen) flush() {
	inf := g.vec()
	VMOVUPS(c("inf"), inf)
	r := GP32()
	if g.avx512() {
		k := K()
		VCMPPS(U8(0), inf, g.acc, k)
		KMOVW(k, r)
		lo, hi := ZMM(), ZMM()
		VCVTPS2PD(g.acc.AsY(), lo)
		h := YMM()
		VEXTRACTF32X8(U8(1), g.acc, h)
		VCVTPS2PD(h, hi)
		VADDPD(lo, g.acc64, g.acc64)
		VADDPD(hi, g.acc64, g.acc64)
	} else {
		VCMPPS(U8(0), inf, g.acc, inf)
		VMOVMSKPS(inf, r)
		lo, hi := YMM(), YMM()
		VCVTPS2PD(g.acc.AsX(), lo)
		h := XMM()
		VEXTRACTF128(U8(1), g.acc, h)
		VCVTPS2PD(h, hi)
		VADDPD(g.acc64mem, lo, lo)
		VADDPD(hi, lo, lo)
		VMOVUPD(lo, g.acc64mem)
	}
	ORL(r, g.ovf)
	VXORPS(g.acc, g.acc, g.acc)
}

func (g *gen) maskedStore(v reg.VecVirtual, m masks, p reg.GPVirtual) {
	if g.avx512() {
		VMOVUPS(v, m.k[0], Mem{Base: p})
	} else {
		VMASKMOVPS(v, m.v[0], Mem{Base: p})
	}
}

func main() {
	flag.IntVar(&unroll2, "unroll2", unroll2, "vectors per step, AVX2")
	flag.IntVar(&unroll512, "unroll512", unroll512, "vectors per step, AVX-512")
	flag.IntVar(&lag2, "lag2", lag2, "stagger of the vectors, AVX2")
	flag.IntVar(&budget2, "budget2", 0, "greedy interleave budget, AVX2 (0: stagger)")
	flag.IntVar(&lag512, "lag512", lag512, "stagger of the vectors, AVX-512")
	only := flag.String("only", "", "generate only functions whose name contains this (debugging)")
	flag.Parse()
	flag.Visit(func(f *flag.Flag) {
		if f.Name == "lag2" {
			lagForced = true // for searchlags.sh
		}
	})
	ConstraintExpr("!purego")
	emitConsts()
	for _, s := range []isa{{"AVX2", 8}, {"AVX512", 16}} {
		for mode := range modeNames {
			for _, o := range []op{opLoss, opSum, opLossGrad} {
				if *only != "" && !strings.Contains(o.name()+s.name+modeNames[mode], *only) {
					continue
				}
				g := &gen{isa: s, mode: mode}
				g.function(o)
			}
		}
	}
	Generate()
}

func paramAddr(name string) Mem {
	b, err := Param(name).Resolve()
	if err != nil {
		panic(err)
	}
	return b.Addr
}
