package rows

import (
	"unsafe"

	"github.com/focalkernels/focal/impl/internal/csum"
	"github.com/focalkernels/focal/impl/internal/form"
)

// The Go side of the vector families' rows kernels (impl/asm, whose
// generator documents the kernels in _asm/rows.go, and impl/archsimd): the
// per-call tables they read, the calls over a call's rows, and the elements
// they leave to the scalar model. A kernel streams whole rows of C logits in
// whole vectors; for a vector starting at row n0, class c0, lane i is element
// (n0 + Ro[c0+i], Cls[c0+i]), so the tables hold, for every k < C + MaxW,
// Cls[k] = k mod C and Ro[k] = k / C, with class α as the lanes take it
// (hi+lo pairs) at k mod C; and the kernel reads MaxW labels (and per-row
// weights) from a vector's first row.
//
// Run fills the tables once (C ≤ Cap) and runs the kernel on every row but
// the last MaxW, then on those with their labels (and per-row weights)
// copied into Pad, padded with ignored rows, so that no load leaves the
// caller's slices. A larger C is taken in chunks of at most Cap classes,
// each chunk's tables filled once and the kernel run on each row's part of
// it. Nothing is allocated: Args lives on the caller's stack.

// Table sizes: at most Cap classes per call, MaxW lanes (the widest
// vector's) past them.
const (
	Cap    = 1024
	MaxW   = 16
	Stride = Cap + MaxW
)

// Tab holds a call's class tables. The assembly kernels read them at fixed
// offsets (impl/asm's generator writes them; a test compares).
type Tab[E Float] struct {
	A1, A0, A1lo, A0lo [Stride]E     // class α_t for t = 1 and t = 0 (T1 and T0: TwoValue), hi+lo
	Cls, Ro            [Stride]int32 // k mod C, k / C
	Ro2                [2 * Stride]int32
}

// The weight modes of Dims[5].
const (
	WeightNone = iota
	WeightRow
	WeightElem
)

// The operations.
const (
	OpLoss = iota
	OpSum
	OpLossGrad
)

// Args is what a kernel reads besides its slices.
type Args[E Float] struct {
	Tab    Tab[E]
	Dims   [6]int // C, q, r, qu, ru (W = q·C + r, u·W = qu·C + ru), weight mode
	T1, T0 E      // the targets of a positive and a negative element
	Smooth bool   // T1, T0 are not 1, 0: the smoothed kernels
	Two    bool   // their two-valued body (TwoValue, γ = 2); else the general one
	zero   bool   // some class's α_t can be 0: see fixRow
	Pad    Pad[E]
	Buf    [Cap]E // Sum's losses, when the kernel's sum will not do (sumAgain)
	BufOff int    // where in Buf a call with IntoBuf writes
}

// Pad holds the last rows' labels and per-row weights, padded, for the
// kernel's last call (see Call).
type Pad[E Float] struct {
	Labels [2 * MaxW]int32
	W      [2 * MaxW]E
}

// Split returns class α's hi+lo pairs as a family's lanes take them (α_t
// for t = 1 and t = 0; both 1 for α < 0), and whether one is 0.
type Split[E Float] func(alpha, gamma float64) (a1, a0, a1lo, a0lo E, zero bool)

// Lanes returns the lanes of a family's kernel and the vectors per step of
// its main loop, for the hard body or the general one (smooth), at γ.
type Lanes func(smooth bool, gamma float64) (w, u int)

// Call runs a family's kernel for operation o once: x holds whole rows,
// labels (and per-row weights w) at least MaxW more than its rows reach,
// per-element weights w as many as x; out1 and out2 are as in Run, cut to
// len(x). With FromPad in how the labels and per-row weights are the Pad's
// (those arguments are nil); with IntoBuf out1 is Buf[BufOff:][:len(x)]: the family's
// closure takes them from its Args, so that no pointer into the caller's
// stack passes through the call (which would move Args to the heap).
type Call[E Float] func(o int, out1, out2, x []E, labels []int32, w []E, how int) (sum float64, ok bool)

// The bits of a Call's how.
const (
	FromPad = 1 << iota
	IntoBuf
)

// Inputs returns the output, labels and weights a family's kernel reads for
// a Call (o, out1, out2, x, labels, w, how) made with a's tables: how
// resolved (the Pad's labels and per-row weights, Buf's part), and for
// LossGrad without a loss out2 in out1's place (the kernels store the loss
// first, then the gradient). The family's closure calls it on its own
// Args, so that the Pad and Buf are reached through the pointer the kernel
// is given anyway.
func (a *Args[E]) Inputs(o int, out1, out2, x []E, labels []int32, w []E, how int) ([]E, []int32, []E) {
	if how&FromPad != 0 {
		labels = a.Pad.Labels[:]
		if a.Dims[5] == WeightRow {
			w = a.Pad.W[:]
		}
	}
	if how&IntoBuf != 0 {
		out1 = a.Buf[a.BufOff:][:len(x)]
	}
	if o == OpLossGrad && out1 == nil {
		out1 = out2
	}
	return out1, labels, w
}

// Smoothed reports whether p's smoothing gives soft targets in E (T1, T0
// not 1, 0), which the general body takes.
func Smoothed[E Float](p form.Params) bool {
	t1, t0 := Targets[E](p.Smoothing)
	return p.Smoothing != 0 && !(t1 == 1 && t0 == 0)
}

// LanesTake reports whether a family's lanes take r and p: a non-empty call
// whose every class α wide does not send to the scalar path.
func LanesTake[E Float](r form.Rows[E], p form.Params, wide func(alpha float64) bool) bool {
	if len(r.X) == 0 {
		return false
	}
	if p.ClassAlpha == nil {
		return !wide(p.Alpha)
	}
	for _, a := range p.ClassAlpha {
		if wide(a) {
			return false
		}
	}
	return true
}

// setup fills a for r and p with the tables of the classes [lo, hi).
func (a *Args[E]) setup(r form.Rows[E], p form.Params, lo, hi int, split Split[E], lanes Lanes) {
	a.T1, a.T0 = Targets[E](p.Smoothing)
	a.Smooth = Smoothed[E](p)
	a.Two = TwoValue[E](p)
	a.Dims[5] = WeightNone
	switch {
	case r.Weight == nil:
	case len(r.Weight) == len(r.Labels):
		a.Dims[5] = WeightRow
	default:
		a.Dims[5] = WeightElem
	}
	c := hi - lo
	w, u := lanes(a.Smooth, p.Gamma)
	a.Dims[0], a.Dims[1], a.Dims[2], a.Dims[3], a.Dims[4] = c, w/c, w%c, w*u/c, w*u%c
	a.zero = false
	t := &a.Tab
	if a.Two {
		a.zero = a.twoTables(p, lo, hi)
	} else {
		for k := 0; k < c; k++ {
			var z bool
			t.A1[k], t.A0[k], t.A1lo[k], t.A0lo[k], z = split(Alpha(p, lo+k), p.Gamma)
			a.zero = a.zero || z
		}
	}
	for k := 0; k < c+MaxW; k++ {
		cl, ro := k%c, k/c
		t.Cls[k], t.Ro[k] = int32(cl), int32(ro)
		t.Ro2[2*k], t.Ro2[2*k+1] = int32(2*ro), int32(2*ro+1)
		if k >= c {
			t.A1[k], t.A0[k], t.A1lo[k], t.A0lo[k] = t.A1[cl], t.A0[cl], t.A1lo[cl], t.A0lo[cl]
		}
	}
}

// block runs the kernel on the rows of labels (c classes each; x has
// len(labels)·c elements, w nil, one per row or one per element): the rows
// but the last MaxW directly, those with their labels and per-row weights in
// the Pad.
func (a *Args[E]) block(call Call[E], o int, out1, out2, x []E, labels []int32, w []E, c int, how int) (float64, bool) {
	n := len(labels)
	m := min(n, MaxW)
	head := (n - m) * c
	var s float64
	ok := true
	if head > 0 {
		a.BufOff = 0
		s, ok = call(o, seg(out1, 0, head), seg(out2, 0, head), x[:head], labels, w, how)
	}
	for i := range a.Pad.Labels {
		a.Pad.Labels[i] = -1
	}
	copy(a.Pad.Labels[:], labels[n-m:])
	var wt []E
	switch a.Dims[5] {
	case WeightRow:
		clear(a.Pad.W[:])
		copy(a.Pad.W[:], w[n-m:])
	case WeightElem:
		wt = w[head:]
	}
	a.BufOff = head
	s2, ok2 := call(o, seg(out1, head, len(x)), seg(out2, head, len(x)), x[head:], nil, wt, how|FromPad)
	return s + s2, ok && ok2
}

// seg returns s[i:j], or nil for a nil s.
func seg[E Float](s []E, i, j int) []E {
	if s == nil {
		return nil
	}
	return s[i:j]
}

// Run runs operation o over r with a family's kernel (call) and model
// (elem): out1 is Loss's dst or LossGrad's loss (nil allowed), out2
// LossGrad's grad; Sum's sum is returned. The elements the kernel leaves to
// the model (FixRow) are redone; for Sum, a sum the kernel cannot give (a
// float32 lane overflowed, a lane was left to the model, a NaN) is made again
// from the losses, a block at a time in a stack buffer.
func Run[E Float, K Elem[E]](a *Args[E], o int, out1, out2 []E, r form.Rows[E], p form.Params, elem K, split Split[E], lanes Lanes, call Call[E]) float64 {
	C, N := r.C, len(r.Labels)
	if C <= Cap {
		a.setup(r, p, 0, C, split, lanes)
		s, ok := a.block(call, o, out1, out2, r.X, r.Labels, r.Weight, C, 0)
		switch {
		case o == OpSum && (!ok || s != s):
			return sumAgain(a, call, r, elem, 0, C)
		case o != OpSum && (!ok || a.zero):
			for n := 0; n < N; n++ {
				fixRow(a, o, seg(out1, n*C, (n+1)*C), seg(out2, n*C, (n+1)*C), r, elem, n, 0, C)
			}
		}
		return s
	}
	var s float64
	chunks := (C + Cap - 1) / Cap
	for k := 0; k < chunks; k++ {
		lo, hi := k*C/chunks, (k+1)*C/chunks
		a.setup(r, p, lo, hi, split, lanes)
		var sk float64
		okk := true
		for n := 0; n < N; n++ {
			sn, okn := a.chunk(call, o, seg(out1, n*C+lo, n*C+hi), seg(out2, n*C+lo, n*C+hi), r, n, lo, hi, 0)
			sk += sn
			okk = okk && okn
		}
		switch {
		case o == OpSum && (!okk || sk != sk):
			sk = sumAgain(a, call, r, elem, lo, hi)
		case o != OpSum && (!okk || a.zero):
			for n := 0; n < N; n++ {
				fixRow(a, o, seg(out1, n*C+lo, n*C+hi), seg(out2, n*C+lo, n*C+hi), r, elem, n, lo, hi)
			}
		}
		s += sk
	}
	return s
}

// chunk runs the kernel on row n's classes [lo, hi), whose tables a holds,
// into o1 and o2 (hi-lo elements each, or nil): one row of hi-lo classes
// whose label is the row's less lo (hi-lo, its background, if the row's
// class is elsewhere). An ignored row gets zeros.
func (a *Args[E]) chunk(call Call[E], o int, o1, o2 []E, r form.Rows[E], n, lo, hi int, how int) (float64, bool) {
	lab := r.Labels[n]
	if lab < 0 {
		clear(o1)
		clear(o2)
		if how&IntoBuf != 0 {
			clear(a.Buf[:hi-lo])
		}
		return 0, true
	}
	for i := range a.Pad.Labels {
		a.Pad.Labels[i] = -1
	}
	a.Pad.Labels[0] = int32(hi - lo)
	if int(lab) >= lo && int(lab) < hi {
		a.Pad.Labels[0] = lab - int32(lo)
	}
	i, j := n*r.C+lo, n*r.C+hi
	var w []E
	switch a.Dims[5] {
	case WeightRow:
		clear(a.Pad.W[:])
		a.Pad.W[0] = r.Weight[n]
	case WeightElem:
		w = r.Weight[i:j]
	}
	a.BufOff = 0
	return call(o, o1, o2, r.X[i:j], nil, w, how|FromPad)
}

// fixRow recomputes with the model the elements of row n's classes [lo, hi)
// (outputs o1, o2) that the kernel leaves to it: those it flagged (NaN where
// x is not: the general body's lanes left to float64) and, where some α_t
// can be 0, the hard targets at x = ±Inf (0·Inf in the lanes, 0 in the
// model). Ignored rows and weights of 0 the kernel got right.
func fixRow[E Float, K Elem[E]](a *Args[E], o int, o1, o2 []E, r form.Rows[E], elem K, n, lo, hi int) {
	lab := r.Labels[n]
	if lab < 0 {
		return
	}
	out := o1
	if o == OpLossGrad {
		out = o2
	}
	ws := WeightsOf(r).Row(n)
	x := r.X[n*r.C+lo : n*r.C+hi]
	for j, xv := range x {
		c := lo + j
		w := At(ws, c)
		t := a.T0
		if int(lab) == c {
			t = a.T1
		}
		v := out[j]
		hardInf := a.zero && (t == 0 || t == 1) && xv-xv != 0 && xv == xv
		if w == 0 || !(v != v && xv == xv || hardInf) {
			continue
		}
		lv, gv := elem.Elem(xv, t, c, o == OpLossGrad)
		if o == OpLossGrad {
			o2[j] = Weigh(gv, w)
			if o1 != nil {
				o1[j] = Weigh(lv, w)
			}
		} else {
			o1[j] = Weigh(lv, w)
		}
	}
}

// sumAgain returns the sum of the losses of r's classes [lo, hi), whose
// tables a holds, from the kernel's Loss with the model's fixes, a block of
// rows (or one row's classes) at a time in Buf, added in float64 with
// compensation.
func sumAgain[E Float, K Elem[E]](a *Args[E], call Call[E], r form.Rows[E], elem K, lo, hi int) float64 {
	var acc csum.Sum
	C, N := r.C, len(r.Labels)
	if lo == 0 && hi == C {
		k := max(1, Cap/C)
		for n := 0; n < N; n += k {
			m := min(k, N-n)
			var w []E
			switch a.Dims[5] {
			case WeightRow:
				w = r.Weight[n : n+m]
			case WeightElem:
				w = r.Weight[n*C : (n+m)*C]
			}
			a.block(call, OpLoss, nil, nil, r.X[n*C:(n+m)*C], r.Labels[n:n+m], w, C, IntoBuf)
			d := a.Buf[:m*C]
			for i := 0; i < m; i++ {
				fixRow(a, OpLoss, d[i*C:(i+1)*C], nil, r, elem, n+i, 0, C)
			}
			for _, v := range d {
				acc.Add(float64(v))
			}
		}
		return acc.Value()
	}
	for n := 0; n < N; n++ {
		a.chunk(call, OpLoss, nil, nil, r, n, lo, hi, IntoBuf)
		d := a.Buf[:hi-lo]
		fixRow(a, OpLoss, d, nil, r, elem, n, lo, hi)
		for _, v := range d {
			acc.Add(float64(v))
		}
	}
	return acc.Value()
}

// Is32 reports whether E is float32; As32 and As64 view a slice of E as
// the float32 or float64 slice it is, for the families' kernels, which
// take one type each (call them only where Is32 says which).
func Is32[E Float]() bool { return unsafe.Sizeof(E(0)) == 4 }

func As32[E Float](s []E) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

func As64[E Float](s []E) []float64 {
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}
