//go:build purego || !amd64

package asm

// The rows form has lanes on amd64 only (rows_amd64.go): elsewhere every
// level runs it in the model (rows.go).

func rowsLanesOK[E float32 | float64](r Rows[E], p Params) bool { return false }

func rowsRun[E float32 | float64](l Level, o int, out1, out2 []E, r Rows[E], p Params) float64 {
	panic("unreachable")
}
