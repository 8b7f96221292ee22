package focal

import "github.com/focalkernels/focal/impl/asm"

// asmEntries registers one kernel per SIMD level this CPU has and FOCAL_DISABLE
// allows, lowest first, so that the highest is Best for float32. The assembly
// has float32 functions only.
func asmEntries() []entry {
	var es []entry
	for _, l := range asm.Levels() {
		es = append(es, entry{name: "asm-" + l.String(), f32: &funcs[float32]{l.Loss32, l.Sum32, l.LossGrad32}})
	}
	return es
}
