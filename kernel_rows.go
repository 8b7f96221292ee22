package focal

// The registry's side of the sigmoid rows form: each entry's rows functions,
// as the impl packages export them, and the kernel adapter's RowsKernel
// methods.

// rowsFuncs are one kernel's rows functions for one element type.
type rowsFuncs[E float32 | float64] struct {
	loss     func(dst []E, r implRows[E], p implParams)
	sum      func(r implRows[E], p implParams) (float64, int)
	lossGrad func(loss, grad []E, r implRows[E], p implParams)
}

// toImpl views r and p as the impl packages take them.
func toImpl[E float32 | float64, F Float](r Rows[F], p Params) (implRows[E], implParams) {
	return toImplRows[E](r), toImplParams(p)
}

func (k kernel[F, E]) LossRows(dst []F, r Rows[F], p Params) {
	ir, ip := toImpl[E](r, p)
	k.fn.rows.loss(as[E](dst), ir, ip)
}

func (k kernel[F, E]) SumRows(r Rows[F], p Params) (float64, int) {
	ir, ip := toImpl[E](r, p)
	return k.fn.rows.sum(ir, ip)
}

func (k kernel[F, E]) LossGradRows(loss, grad []F, r Rows[F], p Params) {
	ir, ip := toImpl[E](r, p)
	k.fn.rows.lossGrad(as[E](loss), as[E](grad), ir, ip)
}
