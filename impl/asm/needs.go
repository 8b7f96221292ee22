package asm

// AllLevels returns every level of the package, usable here or not, lowest first.
func AllLevels() []Level { return []Level{Generic, AVX2, AVX512} }

// Usable reports whether level l runs here: the CPU has what it needs (see
// Needs), the assembly is built (not -tags purego, amd64 only), and
// FOCAL_DISABLE leaves it on.
func (l Level) Usable() bool { return l <= usable }

// Needs returns the CPU features level l needs, as github.com/klauspost/cpuid/v2
// names them; none for Generic. AVX-512 needs F, DQ (VPMOVD2M) and VL, and
// BMI2 (BZHI for the tail mask), besides AVX2 and FMA; the OS must save the
// ZMM state, which cpuid checks.
func (l Level) Needs() []string {
	switch l {
	case AVX2:
		return []string{"AVX2", "FMA3"}
	case AVX512:
		return []string{"AVX2", "FMA3", "AVX512F", "AVX512DQ", "AVX512VL", "BMI2"}
	}
	return nil
}
