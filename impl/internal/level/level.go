// Package level is the dispatch-level machinery the kernel families share:
// each family has, on each architecture, a chain of levels, lowest first —
// its scalar levels, which run everywhere, then its vector levels, each of
// which the CPU must support and the FOCAL_DISABLE environment variable may
// turn off. Disabling a level also disables the levels above it, so the
// levels that run are always a prefix of the chain.
package level

import (
	"os"
	"strconv"
	"strings"
)

// Chain is a family's levels on this architecture.
type Chain struct {
	Names  []string // each level's name, lowest first (the kernels are named family + "-" + name)
	Scalar int      // how many of the first levels are scalar: they always run and cannot be disabled
}

// Name returns level i's name, or "level(i)" for an index outside the chain.
func (c Chain) Name(i int) string {
	if i >= 0 && i < len(c.Names) {
		return c.Names[i]
	}
	return "level(" + strconv.Itoa(i) + ")"
}

// Top returns the index of the highest level that runs, given cpuTop, the
// highest level this CPU supports, and disable, a FOCAL_DISABLE value: a
// comma-separated list of level names (case and spaces ignored; names of
// scalar levels, of other architectures' levels and unknown names are
// ignored).
func (c Chain) Top(cpuTop int, disable string) int {
	top := min(cpuTop, len(c.Names)-1)
	for _, f := range strings.Split(disable, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		for i := c.Scalar; i < len(c.Names); i++ {
			if f == c.Names[i] {
				top = min(top, i-1)
			}
		}
	}
	return max(top, c.Scalar-1)
}

// Disable returns the FOCAL_DISABLE variable of this process.
func Disable() string { return os.Getenv("FOCAL_DISABLE") }
