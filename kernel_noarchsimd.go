//go:build !goexperiment.simd || !amd64 || purego

package focal

// archsimdEntries: impl/archsimd is built only with GOEXPERIMENT=simd on amd64.
func archsimdEntries() []entry { return nil }
