package props

import (
	"testing"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/internal/kit"
)

// FuzzRowsAgree is focaltest.FuzzRows over every kernel that runs here, both
// element types: each kernel's rows form against stable's (rows-agree-stable,
// with LossGradRows's loss against LossRows's and the guards), ignored rows
// (rows-ignored) and the positive count and sum (rows-positives), within its
// declared bar, on decoded heads.
func FuzzRowsAgree(f *testing.F) {
	fuzzEveryKernel(f, kit.RowsSeeds(), kit.DecodeRowsCase,
		focal.BarOf[float32], focal.BarOf[float64], kit.FuzzRows[float32], kit.FuzzRows[float64])
}

// FuzzRowsChecked feeds the checked rows API (LossRows, SumRows,
// LossGradRows) arbitrary input for both element types: it must return an
// error wrapping the sentinel of a problem the input has, writing nothing,
// or the answer Best gives, and never panic.
func FuzzRowsChecked(f *testing.F) {
	fuzzBoth(f, [][]byte{
		{},
		{3, 4, 0, 16, 32, 0, 4, 2, 0, 0, 0, 0x80, 0x3f},
		{2, 3, 0x21, 9, 16, 32, 10, 1, 0xff, 0, 0, 0, 0, 0, 0, 0x80, 0x7f, 64, 255, 32, 0},
		{4, 0xfe, 0, 16, 32, 130, 1, 1, 1, 1},
		{2, 2, 0x90, 16, 32, 5, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200, 0, 100, 255},
	}, kit.DecodeRowsChecked, kit.CheckRowsChecked[float32], kit.CheckRowsChecked[float64])
}
