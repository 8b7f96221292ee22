// Package cpuinfo describes the CPU the program runs on, and names the
// results/<machine> folder after it.
package cpuinfo

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/klauspost/cpuid/v2"
)

// Info is what the report says about the CPU.
type Info struct {
	Brand          string // cpuid brand string, e.g. "AMD EPYC 9R14 96-Core Processor"
	Vendor         string // e.g. "AuthenticAMD"
	Family, Model  int
	Stepping       int
	PhysicalCores  int
	LogicalCores   int
	L1D, L2, L3    int      // bytes per cache (L1D, L2 per core; L3 shared); -1 if unknown
	Features       []string // every feature cpuid reports, sorted
	GOOS, GOARCH   string
	GOAMD64, GoVer string
}

// Detect reads the CPU through cpuid.
func Detect() Info {
	c := cpuid.CPU
	return Info{
		Brand: c.BrandName, Vendor: c.VendorString,
		Family: c.Family, Model: c.Model, Stepping: c.Stepping,
		PhysicalCores: c.PhysicalCores, LogicalCores: c.LogicalCores,
		L1D: c.Cache.L1D, L2: c.Cache.L2, L3: c.Cache.L3,
		Features: c.FeatureSet(),
		GOOS:     runtime.GOOS, GOARCH: runtime.GOARCH,
		GOAMD64: goamd64(), GoVer: runtime.Version(),
	}
}

// Has reports whether the CPU has every named feature (cpuid names, e.g. "AVX2", "FMA3").
func (i Info) Has(names ...string) bool {
	for _, n := range names {
		if !cpuid.CPU.Supports(cpuid.ParseFeature(n)) {
			return false
		}
	}
	return true
}

// Machine is the name of this machine's results folder: MachineName of the
// brand, family and model. The brand alone does not tell CPUs apart: a cloud
// VM may report just "AMD EPYC" for a Zen 3 (family 25) and a Zen 5 (family 26).
func Machine() string {
	return fmt.Sprintf("%s-family-%d-model-%d", MachineName(cpuid.CPU.BrandName), cpuid.CPU.Family, cpuid.CPU.Model)
}

// MachineName turns a CPU brand string into a folder name: lowercased, every run
// of characters other than a-z and 0-9 replaced by one '-', and '-' trimmed from
// both ends. "AMD EPYC 9R14 96-Core Processor" gives "amd-epyc-9r14-96-core-processor".
// An empty result gives "unknown-" + GOARCH.
func MachineName(brand string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(brand) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "unknown-" + runtime.GOARCH
	}
	return b.String()
}

// Size formats a cache size: "48 KiB", "1 MiB", "unknown".
func Size(n int) string {
	switch {
	case n <= 0:
		return "unknown"
	case n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
