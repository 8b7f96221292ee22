//go:build goexperiment.simd && amd64 && !purego

package archsimd

import "github.com/focalkernels/focal/impl/internal/rows"

// rowsIn is what a rows kernel reads besides x (see rows.go): the call's
// Args (tables, dims, targets), the labels, and the weights (nil, per row,
// or per element and then as many as x), as impl/internal/rows hands them
// to one kernel call.
type rowsIn[E float32 | float64] struct {
	a      *rows.Args[E]
	labels []int32
	w      []E
}

// rowPos is a vector's first element as (row, class).
type rowPos struct{ n, c int }

// next is the position W lanes further: W = q·C + r (the Args' dims).
func (p rowPos) next(d *[6]int) rowPos {
	p.n += d[1]
	p.c += d[2]
	if p.c >= d[0] {
		p.c -= d[0]
		p.n++
	}
	return p
}

// step is rp.next for the rows form, and rp for the flat one (rw nil).
func (rw *rowsIn[E]) step(form int, rp rowPos) rowPos {
	if form != formRows {
		return rp
	}
	return rp.next(&rw.a.Dims)
}
