// Package props holds every kernel of this module to the focal loss's
// properties, to the golden vectors and to each other, through the
// conformance kit (package focaltest, and internal/kit behind it, where the
// properties, the reference and the generator live).
//
// The package has no API; it is its test files:
//
//   - props_test.go: TestProps32 and TestProps64 run focaltest.Check on every
//     kernel in focal.Kernels at the bar its registry entry declares, as
//     subtests TestProps32/<kernel>/<property> (and …/golden, …/guards),
//     with the sigmoid rows form's as TestProps32/<kernel>/rows/<property>
//     (every kernel implements focal.RowsKernel), then the checked API's own
//     properties as TestProps32/checked, TestProps32/checked-rows and
//     TestProps32/checked-softmax.
//   - fuzz_test.go: FuzzKernelsAgree (every kernel of both types against
//     stable, on the kit's decoded cases and seed corpus) and FuzzChecked
//     (the checked API on arbitrary input); rows_fuzz_test.go: FuzzRowsAgree
//     (every kernel's rows form against stable's, on decoded heads) and
//     FuzzRowsChecked (the checked rows API on arbitrary input);
//     softmax_test.go: FuzzSoftmaxKernelsAgree and FuzzSoftmaxChecked, the
//     same for the softmax form; with corpora under testdata/fuzz/.
//
// Environment (read by the kit; see focaltest):
//
//	FOCALTEST_SEED  seed of the case generator: a number, or "random" for
//	                one from the clock (default 1, so go test is
//	                deterministic); a failing run prints the seed it used
//	FOCALTEST_N     cases per property and kernel (default 1000)
//	FOCALTEST_WIDE_GAMMA=1  also draw γ from 5..1e12
//
// A failure prints the command that reruns it. make props-long runs 100,000
// cases per property with a random seed; make fuzz FUZZTIME=10m runs every
// fuzz target in turn.
package props
