//go:build purego || !(amd64 || arm64)

package asm

// The rows form has lanes on amd64 and arm64 (rows_lanes.go): elsewhere
// every level runs it in the model (rows.go).

func rowsLanesOK[E float32 | float64](r Rows[E], p Params) bool { return false }

func rowsRun[E float32 | float64](l Level, o int, out1, out2 []E, r Rows[E], p Params) float64 {
	panic("unreachable")
}
