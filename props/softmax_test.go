package props

import (
	"testing"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/internal/kit"
)

// The softmax form's kernels are held to their bars by TestProps32/64
// (focaltest.Check runs CheckSoftmax on every kernel, which implements
// focal.SoftmaxKernel), and so are the checked softmax functions
// (TestProps32/checked-softmax); these are the softmax fuzz targets.

// FuzzSoftmaxKernelsAgree is focaltest.FuzzSoftmax over every kernel that
// runs here, both element types: each against stable, the three functions
// against one another, the rows' gradients summing to 0 and ignored rows
// changing nothing, within its declared softmax bar, on decoded cases.
func FuzzSoftmaxKernelsAgree(f *testing.F) {
	fuzzEveryKernel(f, kit.SoftmaxSeeds(), kit.DecodeSoftmaxCase,
		focal.SoftmaxBarOf[float32], focal.SoftmaxBarOf[float64], kit.FuzzSoftmax[float32], kit.FuzzSoftmax[float64])
}

// FuzzSoftmaxChecked feeds the checked softmax functions arbitrary input
// for both element types (any C, lengths, labels, weights, ClassAlpha and
// parameters): each must return an error wrapping the sentinel of a problem
// the input has, writing nothing, or Best's answer; never panic.
func FuzzSoftmaxChecked(f *testing.F) {
	fuzzBoth(f, [][]byte{
		{},
		{3, 2, 0, 16, 32, 1, 2, 0, 0, 0x80, 0x3f, 0, 0, 0x80, 0xbf, 0, 0, 0, 0, 0, 0, 0xc0, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0},
		{2, 1, 8 | 16, 16, 32, 5, 0, 0, 0x80, 0x3f, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 50, 200},
		{0, 3, 1, 9, 16, 32, 0, 1, 2},
	}, kit.DecodeSoftmaxChecked, kit.CheckSoftmaxChecked[float32], kit.CheckSoftmaxChecked[float64])
}
