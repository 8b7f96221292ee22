//go:build !cpeer

package cpeer

// isas: without -tags cpeer the C peer is not built.
func isas() []isa { return nil }
