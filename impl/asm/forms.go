package asm

import "github.com/focalkernels/focal/impl/internal/form"

// Rows and Params are the inputs of the rows forms (the sigmoid rows form
// and the softmax form), as every kernel family takes them: see
// impl/internal/form.
type (
	Rows[E float32 | float64] = form.Rows[E]
	Params                    = form.Params
)
