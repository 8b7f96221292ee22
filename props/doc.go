// Package props holds the property tests and fuzz targets that hold every
// kernel in focal.Kernels to the focal loss specification and to each other.
//
// The package has no API; it is its test files:
//
//   - props_test.go: gopter properties, each for float32 and float64, each
//     run for every kernel as the subtest TestProps32/<property>/<kernel>
//     (TestProps64 likewise).
//   - gen_test.go: the case generator (logits, targets, α, γ, slice length and
//     offset) and its shrinker.
//   - ref_test.go: an independent float64 reference (BCE, σ(x)−t, gradient
//     scale) and the tolerances, derived from the bars of the module's golden test.
//   - fuzz_test.go: FuzzKernelsAgree and FuzzChecked, with seed corpora under
//     testdata/fuzz/.
//
// Environment:
//
//	FOCAL_PROPS_SEED  seed of the case generator: a number, or "random" for
//	                  one from the clock (default 1, so go test is
//	                  deterministic); a failing run prints the seed it used
//	FOCAL_PROPS_N     cases per property and kernel (default 1000)
//	FOCAL_PROPS_WIDE_GAMMA=1  also draw γ from 5..1e12 (off by default: the
//	                  asm kernels fail there, see results/amd-epyc/fuzz.txt)
//
// To rerun a failure: FOCAL_PROPS_SEED=<seed> go test ./props/ -run 'TestProps32/<property>/<kernel>'.
// make props-long runs 100,000 cases per property with a random seed; make fuzz FUZZTIME=10m runs
// every fuzz target in turn.
package props
