package asm

import "github.com/focalkernels/focal/impl/internal/level"

// Level is a dispatch level: the instruction set a kernel uses. Each
// architecture has its own levels (AllLevels), lowest first: Generic, the
// scalar Go model of the lanes, and PureGo, the fast pure-Go kernel, on
// every architecture; then the vector levels this architecture has (amd64:
// AVX2, AVX512; arm64: NEON), each chosen at init if the CPU supports it and
// FOCAL_DISABLE leaves it on. Best is the highest level that runs, and
// PureGo where no vector level does: Generic, which emulates the lanes'
// float32 FMAs so that it agrees with them bit for bit, is slower than
// impl/stable and never Best.
type Level uint8

// Generic is the scalar Go model of the vector lanes: the same operations in
// the same order, one element at a time (impl/internal/model).
const Generic Level = 0

// PureGo is the fast pure-Go kernel (impl/internal/fast): float32 computed in
// float64 with table-driven exp and log and no FMA emulation, float64 with
// error terms carried; held to the same bars as the lanes, not to their bits.
const PureGo Level = 1

// firstVector is the first vector level of every architecture: the levels
// below it are scalar and run everywhere.
const firstVector = PureGo + 1

// chain is this architecture's levels for the shared level machinery.
var chain = level.Chain{Names: levelNames, Scalar: int(firstVector)}

// String returns the level's name ("generic", "avx2", …); the kernels are
// named "asm-" + String().
func (l Level) String() string { return chain.Name(int(l)) }

// usable is the highest level this CPU has and FOCAL_DISABLE allows, set at init.
var usable = Level(chain.Top(int(cpuLevel()), level.Disable()))

// AllLevels returns every level of this architecture, usable here or not, lowest first.
func AllLevels() []Level {
	ls := make([]Level, len(levelNames))
	for i := range ls {
		ls[i] = Level(i)
	}
	return ls
}

// Levels returns the levels usable here, lowest first; Generic and PureGo are always first.
func Levels() []Level { return AllLevels()[:usable+1] }

// Best returns the highest usable level, the one the package's functions
// use: a vector level, or PureGo where none runs.
func Best() Level { return usable }

// Usable reports whether level l runs here: the CPU has what it needs (see
// Needs), the assembly is built (not -tags purego), and FOCAL_DISABLE leaves
// it on.
func (l Level) Usable() bool { return l <= usable }

// check panics if l is not usable here: calling a level the CPU lacks (or that
// FOCAL_DISABLE turned off) is a programming error, not a silent fallback.
func (l Level) check() {
	if l > usable {
		panic("focal/impl/asm: level " + l.String() + " is not available on this CPU (or is disabled by FOCAL_DISABLE); use Levels()")
	}
}
