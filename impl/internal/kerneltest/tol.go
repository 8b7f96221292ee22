package kerneltest

// The tolerances of the kernel families' tests, each stated once and read
// from here (as Go's math/all_test.go keeps its own together). A family's
// levels are held to each other exactly: they compute the same operations
// in the same order, so a level gives its family's Generic results bit for
// bit, and impl/archsimd gives impl/asm's.
const (
	// LossULP and GradUnits are the bars against the truth (the golden
	// rows, mpmath): the loss within LossULP ULP of the element type, the
	// gradient within GradUnits units of ref_grad_scale·eps (ulp.GradErr).
	LossULP   = 4
	GradUnits = 8

	// SoftLossULP and SoftGradUnits bound a float32 kernel against
	// stable's float32 kernel on soft targets: the loss within both bars
	// (LossULP + stable's 1), the gradient within the kernel's own bar
	// alone (TestSoftAccuracy measures 3.75; internal/sweep 3.79).
	SoftLossULP   = LossULP + 1
	SoftGradUnits = GradUnits

	// StableLossULP64 bounds a float64 kernel's finite losses against
	// stable's float64 kernel: both bars, 4 + 4 ULP.
	StableLossULP64 = 2 * LossULP
)

// SumRel is how close a kernel's Sum must be to the compensated float64 sum
// of its Generic level's per-element losses, relative: 1e-6 for float32
// (the lanes add float32 blocks of 8 to 10 vectors: at most 9 roundings of
// 2^-24, 5.4e-7, the losses being positive), 1e-14 for float64 (the lanes
// add float64 blocks of 8 to 10 vectors, and the blocks with their errors
// carried: a lane within about 10·2^-53 of its sum before the lanes are
// added).
func SumRel[F Float]() float64 {
	if Is32[F]() {
		return 1e-6
	}
	return 1e-14
}
