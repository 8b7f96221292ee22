package model

import "github.com/focalkernels/focal/impl/internal/csum"

// What a kernel family's levels do around their vector kernels, written once
// for every family: the fix-ups after a kernel's Loss or LossGrad, and the
// sum again where a kernel's Sum gives up.

// Fix32 follows a float32 vector kernel's Loss (grad nil) or LossGrad: the
// lanes it left to the scalar path (clean false) are recomputed by
// FixSoft32, and where α_t can be 0 the hard-target lanes at x = ±Inf by
// FixZeroWeight32.
func Fix32(loss, grad, x, t []float32, p *Params32, clean bool) {
	if !clean {
		FixSoft32(loss, grad, x, t, p)
	}
	if p.ZeroWeight() {
		FixZeroWeight32(loss, grad, x, t, p)
	}
}

// Fix64 is Fix32 for float64.
func Fix64(loss, grad, x, t []float64, p *Params64, clean bool) {
	if !clean {
		FixSoft64(loss, grad, x, t, p)
	}
	if p.ZeroWeight() {
		FixZeroWeight64(loss, grad, x, t, p)
	}
}

// resumChunk is how many elements Resum32 and Resum64 give a vector Sum at a time.
const resumChunk = 1024

// Resum32 is a level's Sum where its vector kernel's sum of the whole gave
// up (a float32 block sum that overflowed, ok false; or a NaN, from a lane
// left to the scalar path, α_t = 0 at x = ±Inf, or a NaN input): vec, the
// level's vector Sum, again on each chunk of resumChunk elements, and on a
// chunk where it gives up again the model's own losses, which the lanes
// equal bit for bit, the chunks added in float64 with compensation.
func Resum32(x, t []float32, p *Params32, vec func(x, t []float32) (s float64, ok bool)) float64 {
	var acc csum.Sum
	for i := 0; i < len(x); i += resumChunk {
		xs, ts := x[i:min(i+resumChunk, len(x))], t[i:min(i+resumChunk, len(x))]
		s, ok := vec(xs, ts)
		if !ok || s != s {
			s = Sum32(xs, ts, p)
		}
		acc.Add(s)
	}
	return acc.Value()
}

// Resum64 is Resum32 for float64.
func Resum64(x, t []float64, p *Params64, vec func(x, t []float64) float64) float64 {
	var acc csum.Sum
	for i := 0; i < len(x); i += resumChunk {
		xs, ts := x[i:min(i+resumChunk, len(x))], t[i:min(i+resumChunk, len(x))]
		s := vec(xs, ts)
		if s != s {
			s = Sum64(xs, ts, p)
		}
		acc.Add(s)
	}
	return acc.Value()
}
