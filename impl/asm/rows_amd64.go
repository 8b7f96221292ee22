//go:build !purego

package asm

import (
	"math"
	"unsafe"

	"github.com/focalkernels/focal/impl/internal/csum"
	"github.com/focalkernels/focal/impl/internal/model"
	"github.com/focalkernels/focal/impl/internal/rows"
)

// The Go side of the rows kernels (_asm/rows.go): the class tables they
// read, the calls over a call's rows, and the elements left to the model.
//
// A call with C ≤ rowsCap fills the tables once (C + rowsMaxW entries each)
// and runs the kernel over every row but the last rowsMaxW, then over those
// with their labels (and per-row weights) copied into a padded stack buffer,
// so that the kernel's loads of rowsMaxW labels from a vector's first row
// stay within the slices. A larger C is taken in chunks of at most rowsCap
// classes, each chunk's tables filled once and the kernel run on each row's
// part of it.

// rowsTab holds a call's class tables (see _asm/rows.go): class c's α as
// hi+lo pairs, as model.Params32 (Params64) holds a call's α, and for every
// k < C + rowsMaxW the class k mod C and the row offset k / C (and its
// pairs 2·(k/C), 2·(k/C)+1 for float64 weights).
type rowsTab[E float32 | float64] struct {
	a1, a0, a1lo, a0lo [rowsStride]E
	cls, ro            [rowsStride]int32
	ro2                [2 * rowsStride]int32
}

// rowsArgs is what one kernel call reads besides its slices.
type rowsArgs[E float32 | float64] struct {
	tab    rowsTab[E]
	dims   [6]int // C, q, r, qu, ru, weight mode (see _asm/rows.go)
	t1, t0 E
	smooth bool
	zero   bool // some class's α_t can be 0 (α = 0 or 1): see fixRows
	p32    model.Params32
	p64    model.Params64
}

// The weight modes the kernels take (dims[5]).
const (
	rowsWeightNone = iota
	rowsWeightRow
	rowsWeightElem
)

// The operations of a rows call.
const (
	rowsOpLoss = iota
	rowsOpSum
	rowsOpLossGrad
)

func is32[E float32 | float64]() bool { return unsafe.Sizeof(E(0)) == 4 }

// rowsLanesOK reports whether the lanes take r and p: a non-empty call whose
// every class α and γ the float32 (float64) lanes hold to the bars (see
// model.WideGamma); other calls run the model.
func rowsLanesOK[E float32 | float64](r Rows[E], p Params) bool {
	if len(r.X) == 0 {
		return false
	}
	wide := func(alpha float64) bool {
		if is32[E]() {
			return model.RowsParams32(alpha, p.Gamma).Wide
		}
		return model.RowsParams64(alpha, p.Gamma).Wide
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

// setup fills a's parameters for level l and r, p, and its tables for the
// classes [lo, hi) (see fill).
func (a *rowsArgs[E]) setup(l Level, r Rows[E], p Params, lo, hi int) {
	a.t1, a.t0 = rows.Targets[E](p.Smoothing)
	a.smooth = p.Smoothing != 0 && !(a.t1 == 1 && a.t0 == 0)
	a.p32 = model.RowsParams32(0, p.Gamma)
	a.p64 = model.RowsParams64(0, p.Gamma)
	a.dims[5] = rowsWeightNone
	switch {
	case r.Weight == nil:
	case len(r.Weight) == len(r.Labels):
		a.dims[5] = rowsWeightRow
	default:
		a.dims[5] = rowsWeightElem
	}
	a.fill(l, p, lo, hi)
}

// fill fills the tables and dims for the classes [lo, hi) of p.
func (a *rowsArgs[E]) fill(l Level, p Params, lo, hi int) {
	c := hi - lo
	w, u := rowsLanes(l, !is32[E](), a.smooth)
	a.dims[0], a.dims[1], a.dims[2], a.dims[3], a.dims[4] = c, w/c, w%c, w*u/c, w*u%c
	a.zero = false
	t := &a.tab
	for k := 0; k < c; k++ {
		alpha := rows.Alpha(p, lo+k)
		if is32[E]() {
			q := model.RowsParams32(alpha, p.Gamma)
			t.a1[k], t.a0[k], t.a1lo[k], t.a0lo[k] = E(q.A1), E(q.A0), E(q.A1lo), E(q.A0lo)
			a.zero = a.zero || q.ZeroWeight()
		} else {
			q := model.RowsParams64(alpha, p.Gamma)
			t.a1[k], t.a0[k], t.a1lo[k], t.a0lo[k] = E(q.A1), E(q.A0), E(q.A1lo), E(q.A0lo)
			a.zero = a.zero || q.ZeroWeight()
		}
	}
	for k := 0; k < c+rowsMaxW; k++ {
		cl, ro := k%c, k/c
		t.cls[k], t.ro[k] = int32(cl), int32(ro)
		t.ro2[2*k], t.ro2[2*k+1] = int32(2*ro), int32(2*ro+1)
		if k >= c {
			t.a1[k], t.a0[k], t.a1lo[k], t.a0lo[k] = t.a1[cl], t.a0[cl], t.a1lo[cl], t.a0lo[cl]
		}
	}
}

// kernel runs level l's rows kernel for operation o once: x holds whole
// rows of a.dims[0] classes, labels (and per-row weights in a.w) at least
// rowsMaxW more than x's rows reach into (per-row weights w likewise; per-element
// weights w are x's); out1 and out2 (Loss: dst;
// LossGrad: loss, or grad where loss is nil, and grad) have len(x) elements.
func (a *rowsArgs[E]) kernel(l Level, o int, out1, out2, x []E, labels []int32, w []E) (float64, bool) {
	if is32[E]() {
		b := (*rowsArgs[float32])(unsafe.Pointer(a))
		x32 := as32(x)
		switch o {
		case rowsOpLoss:
			return 0, simdRowsLoss32(l, as32(out1)[:len(x)], x32, labels, as32(w), b, &b.p32)
		case rowsOpSum:
			return simdRowsSum32(l, x32, labels, as32(w), b, &b.p32)
		}
		if out1 == nil {
			out1 = out2 // the kernel stores the loss first, then the gradient
		}
		return 0, simdRowsLossGrad32(l, as32(out1)[:len(x)], as32(out2)[:len(x)], x32, labels, as32(w), b, &b.p32)
	}
	b := (*rowsArgs[float64])(unsafe.Pointer(a))
	x64 := as64(x)
	switch o {
	case rowsOpLoss:
		return 0, simdRowsLoss64(l, as64(out1)[:len(x)], x64, labels, as64(w), b, &b.p64)
	case rowsOpSum:
		return simdRowsSum64(l, x64, labels, as64(w), b, &b.p64)
	}
	if out1 == nil {
		out1 = out2
	}
	return 0, simdRowsLossGrad64(l, as64(out1)[:len(x)], as64(out2)[:len(x)], x64, labels, as64(w), b, &b.p64)
}

func as32[E float32 | float64](s []E) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

func as64[E float32 | float64](s []E) []float64 {
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// block runs the kernel on n rows of c classes (x has n·c elements,
// labels n, w nil, n (per row) or n·c): the rows but the last rowsMaxW
// directly, those with their labels and per-row weights in padded copies.
func (a *rowsArgs[E]) block(l Level, o int, out1, out2, x []E, labels []int32, w []E, c int) (float64, bool) {
	n := len(labels)
	m := min(n, rowsMaxW)
	head := (n - m) * c
	var s float64
	ok := true
	if head > 0 {
		var o1, o2 []E
		if out1 != nil {
			o1 = out1[:head]
		}
		if out2 != nil {
			o2 = out2[:head]
		}
		s, ok = a.kernel(l, o, o1, o2, x[:head], labels, w)
	}
	var lb [2 * rowsMaxW]int32
	var wb [2 * rowsMaxW]E
	for i := range lb {
		lb[i] = -1
	}
	copy(lb[:], labels[n-m:])
	wt := w
	if a.dims[5] == rowsWeightRow {
		copy(wb[:], w[n-m:])
		wt = wb[:]
	} else if w != nil {
		wt = w[head:]
	}
	var o1, o2 []E
	if out1 != nil {
		o1 = out1[head:]
	}
	if out2 != nil {
		o2 = out2[head:]
	}
	s2, ok2 := a.kernel(l, o, o1, o2, x[head:], lb[:], wt)
	return s + s2, ok && ok2
}

// rowsRun runs operation o of the rows form at vector level l over r: the
// kernel on every block (see the top of this file), then the elements it
// leaves to the model (fixRow). For Sum, a sum the kernel cannot give (a
// float32 lane overflowed, a lane was left to the model, a NaN) is made
// again from the losses, a block at a time in a stack buffer.
func rowsRun[E float32 | float64](l Level, o int, out1, out2 []E, r Rows[E], p Params) float64 {
	var a rowsArgs[E]
	C, N := r.C, len(r.Labels)
	if C <= rowsCap {
		a.setup(l, r, p, 0, C)
		s, ok := a.block(l, o, out1, out2, r.X, r.Labels, r.Weight, C)
		switch {
		case o == rowsOpSum && (!ok || s != s):
			return a.sumAgain(l, r, p, 0, C)
		case o != rowsOpSum && (!ok || a.zero):
			for n := 0; n < N; n++ {
				a.fixRow(o, seg(out1, n*C, (n+1)*C), seg(out2, n*C, (n+1)*C), r, p, n, 0, C)
			}
		}
		return s
	}
	var s float64
	chunks := (C + rowsCap - 1) / rowsCap
	for k := 0; k < chunks; k++ {
		lo, hi := k*C/chunks, (k+1)*C/chunks
		a.setup(l, r, p, lo, hi)
		var sk float64
		okk := true
		for n := 0; n < N; n++ {
			sn, okn := a.chunk(l, o, seg(out1, n*C+lo, n*C+hi), seg(out2, n*C+lo, n*C+hi), r, n, lo, hi)
			sk += sn
			okk = okk && okn
		}
		switch {
		case o == rowsOpSum && (!okk || sk != sk):
			sk = a.sumAgain(l, r, p, lo, hi)
		case o != rowsOpSum && (!okk || a.zero):
			for n := 0; n < N; n++ {
				a.fixRow(o, seg(out1, n*C+lo, n*C+hi), seg(out2, n*C+lo, n*C+hi), r, p, n, lo, hi)
			}
		}
		s += sk
	}
	return s
}

// seg returns s[i:j], or nil for a nil s.
func seg[E float32 | float64](s []E, i, j int) []E {
	if s == nil {
		return nil
	}
	return s[i:j]
}

// chunk runs the kernel on row n's classes [lo, hi), whose tables a holds,
// into o1 and o2 (hi-lo elements each, or nil): one row of hi-lo classes
// whose label is the row's less lo (hi-lo, its background, if the row's
// class is elsewhere). An ignored row gets zeros.
func (a *rowsArgs[E]) chunk(l Level, o int, o1, o2 []E, r Rows[E], n, lo, hi int) (float64, bool) {
	lab := r.Labels[n]
	if lab < 0 {
		clear(o1)
		clear(o2)
		return 0, true
	}
	l1 := [1]int32{int32(hi - lo)}
	if int(lab) >= lo && int(lab) < hi {
		l1[0] = lab - int32(lo)
	}
	i, j := n*r.C+lo, n*r.C+hi
	var w []E
	switch a.dims[5] {
	case rowsWeightRow:
		w = r.Weight[n : n+1]
	case rowsWeightElem:
		w = r.Weight[i:j]
	}
	return a.block(l, o, o1, o2, r.X[i:j], l1[:], w, hi-lo)
}

// fixRow recomputes with the model the elements of row n's classes [lo, hi)
// (outputs o1, o2: see kernel) that the kernel leaves to it: those it
// flagged (NaN where x is not: the general body's lanes left to float64)
// and, where some α_t can be 0, the hard targets at x = ±Inf (0·Inf in the
// lanes, 0 in the model). Rows the kernel ignored and weights of 0 it got
// right.
func (a *rowsArgs[E]) fixRow(o int, o1, o2 []E, r Rows[E], p Params, n, lo, hi int) {
	lab := r.Labels[n]
	if lab < 0 {
		return
	}
	out := o1
	if o == rowsOpLossGrad {
		out = o2
	}
	ws := rows.WeightsOf(r).Row(n)
	x := r.X[n*r.C+lo : n*r.C+hi]
	for j, xv := range x {
		c := lo + j
		w := rows.At(ws, c)
		t := a.t0
		if int(lab) == c {
			t = a.t1
		}
		v := out[j]
		hardInf := a.zero && (t == 0 || t == 1) && math.IsInf(float64(xv), 0)
		if w == 0 || !(v != v && xv == xv || hardInf) {
			continue
		}
		lv, gv := modelElem(p, xv, t, c, o == rowsOpLossGrad)
		if o == rowsOpLossGrad {
			o2[j] = rows.Weigh(gv, w)
			if o1 != nil {
				o1[j] = rows.Weigh(lv, w)
			}
		} else {
			o1[j] = rows.Weigh(lv, w)
		}
	}
}

// modelElem is the model's element of the rows form (the lanes' results,
// and where they leave an element to float64, that).
func modelElem[E float32 | float64](p Params, x, t E, c int, grad bool) (E, E) {
	if is32[E]() {
		l, g := model.NewRowsElem32(p).Elem(float32(x), float32(t), c, grad)
		return E(l), E(g)
	}
	l, g := model.NewRowsElem64(p).Elem(float64(x), float64(t), c, grad)
	return E(l), E(g)
}

// sumAgain returns the sum of the losses of r's classes [lo, hi), whose
// tables a holds, from the kernel's Loss with the model's fixes, a block of
// rows (or one row's classes) at a time in a stack buffer, added in float64
// with compensation.
func (a *rowsArgs[E]) sumAgain(l Level, r Rows[E], p Params, lo, hi int) float64 {
	const room = 1024
	var buf [room]E
	var acc csum.Sum
	C, N := r.C, len(r.Labels)
	if lo == 0 && hi == C {
		k := max(1, room/C)
		for n := 0; n < N; n += k {
			m := min(k, N-n)
			var w []E
			switch a.dims[5] {
			case rowsWeightRow:
				w = r.Weight[n : n+m]
			case rowsWeightElem:
				w = r.Weight[n*C : (n+m)*C]
			}
			d := buf[:m*C]
			a.block(l, rowsOpLoss, d, nil, r.X[n*C:(n+m)*C], r.Labels[n:n+m], w, C)
			for i := 0; i < m; i++ {
				a.fixRow(rowsOpLoss, d[i*C:(i+1)*C], nil, r, p, n+i, 0, C)
			}
			for _, v := range d {
				acc.Add(float64(v))
			}
		}
		return acc.Value()
	}
	for n := 0; n < N; n++ {
		d := buf[:hi-lo]
		a.chunk(l, rowsOpLoss, d, nil, r, n, lo, hi)
		a.fixRow(rowsOpLoss, d, nil, r, p, n, lo, hi)
		if r.Labels[n] >= 0 {
			for _, v := range d {
				acc.Add(float64(v))
			}
		}
	}
	return acc.Value()
}
