package main

import (
	"fmt"
	"runtime"
	"sort"
	"strings"

	"github.com/focalkernels/focal"
	"github.com/focalkernels/focal/bench"
	"github.com/focalkernels/focal/internal/accuracy"
)

// accurate reports whether a kernel keeps the accuracy the recommendation
// asks for on the golden rows whose truth is a normal float: no loss over
// 4 ULP, no scaled gradient error over 8 (the bar the module's tests hold the
// assembly kernels to), and no NaN or ±Inf where the truth is finite.
func accurate(s accuracy.Summary) bool {
	return s.LossOver4 == 0 && s.GradOver8 == 0 && s.NonFinite == 0
}

// inaccuracy says why a kernel is not accurate.
func inaccuracy(s accuracy.Summary) string {
	var w []string
	if s.LossOver4 > 0 {
		w = append(w, fmt.Sprintf("%d rows over 4 ULP in the loss", s.LossOver4))
	}
	if s.GradOver8 > 0 {
		w = append(w, fmt.Sprintf("%d over 8 in the gradient", s.GradOver8))
	}
	if s.NonFinite > 0 {
		w = append(w, fmt.Sprintf("%d NaN/Inf where the truth is finite", s.NonFinite))
	}
	return strings.Join(w, ", ")
}

// needs says what a kernel needs from the CPU, from its registry entry
// (focal.Spec.Needs); "" for a pure-Go kernel or one outside the registry.
func needs(kernel string) string {
	s, ok := focal.SpecOf(kernel)
	if !ok {
		return ""
	}
	return strings.Join(s.Needs, " ")
}

// avx512 reports whether a kernel needs AVX-512.
func avx512(kernel string) bool { return strings.Contains(needs(kernel), "AVX512") }

// choice is the recommended kernel for one element type.
type choice struct {
	Type, Op  string
	Targets   bench.Targets
	N         int
	Kernel    string
	NsPerElem float64
	Reason    []string // sentences, most important first
}

// recommend picks, among the accurate kernels, the fastest at n for op on
// target kind kind, and
// says why: its speed against the others, its accuracy, what it needs from
// the CPU, a portable alternative when it needs a CPU feature, and whether
// focal.Best agrees. sums are in focal.Kernels order; times may hold other
// types, ops and sizes, which are ignored.
func recommend(typ, op string, kind bench.Targets, n int, sums []accuracy.Summary, times []timing, best string) choice {
	c := choice{Type: typ, Op: op, Targets: kind, N: n}
	at := map[string]float64{}
	for _, t := range times {
		if t.Type == typ && t.Op == op && t.Targets == kind && t.N == n {
			at[t.Kernel] = t.NsPerElem
		}
	}
	type cand struct {
		name string
		ns   float64
		acc  accuracy.Summary
	}
	var ok, bad []cand
	for _, s := range sums {
		ns, measured := at[s.Name]
		if !measured {
			continue
		}
		if accurate(s) {
			ok = append(ok, cand{s.Name, ns, s})
		} else {
			bad = append(bad, cand{s.Name, ns, s})
		}
	}
	byTime := func(cs []cand) { sort.SliceStable(cs, func(i, j int) bool { return cs[i].ns < cs[j].ns }) }
	byTime(ok)
	byTime(bad)
	if len(ok) == 0 {
		c.Reason = append(c.Reason, "no kernel measured here is accurate on the golden rows; this should not happen: run go test ./...")
		return c
	}
	w := ok[0]
	c.Kernel, c.NsPerElem = w.name, w.ns
	speed := fmt.Sprintf("Fastest accurate kernel for %s on %s targets at N = %d: %.3g ns/element", op, kind, n, w.ns)
	if len(ok) > 1 {
		r := ok[1]
		speed += fmt.Sprintf(", %.3g× the speed of the runner-up %s (%.3g ns/element)", r.ns/w.ns, r.name, r.ns)
		if r.ns < 1.05*w.ns {
			speed += "; that is within 5%, inside the noise of this quick measurement, so check with go test -bench -count 10 and focal choose"
		}
	}
	for _, o := range ok[1:] {
		if o.name == "stable" {
			speed += fmt.Sprintf(", and %.3g× the speed of stable, the pure-Go reference", o.ns/w.ns)
		}
	}
	c.Reason = append(c.Reason, speed+".")
	c.Reason = append(c.Reason, fmt.Sprintf("Accuracy on the golden rows: loss within %d ULP (p99 %.3g), gradient within %.3g·scale·eps, no NaN/Inf where the truth is finite.",
		w.acc.LossMax, w.acc.LossP99, w.acc.GradMax))
	if need := needs(w.name); need != "" {
		c.Reason = append(c.Reason, fmt.Sprintf("It needs %s, which this CPU has; focal.Kernels lists it only on CPUs that do.", need))
		for _, o := range ok[1:] {
			if needs(o.name) == "" || (avx512(w.name) && !avx512(o.name)) {
				c.Reason = append(c.Reason, fmt.Sprintf("Where that is not available, %s is the fastest accurate alternative here (%.3g ns/element%s).", o.name, o.ns, cpuNote(o.name)))
				break
			}
		}
	} else {
		c.Reason = append(c.Reason, "It is pure Go and runs on every CPU.")
		if lack := noVector(); lack != "" {
			c.Reason = append(c.Reason, lack)
		}
	}
	for _, b := range bad {
		if b.ns < w.ns {
			c.Reason = append(c.Reason, fmt.Sprintf("%s is faster (%.3g ns/element) but not accurate: %s.", b.name, b.ns, inaccuracy(b.acc)))
		}
	}
	if best == w.name {
		r := fmt.Sprintf("focal.Best[%s]() returns %s too: the checked API already uses it", typ, best)
		if ns, ok := at["checked"]; ok {
			r += fmt.Sprintf(", and with its target validation costs %.3g ns/element here (%.3g× the kernel)", ns, ns/w.ns)
		}
		c.Reason = append(c.Reason, r+".")
	} else {
		c.Reason = append(c.Reason, fmt.Sprintf("focal.Best[%s]() returns %s: this measurement disagrees at this N; call the kernel from focal.Kernels directly, or check with go test -bench and focal choose.", typ, best))
	}
	return c
}

// noVector says what this machine lacks when none of the module's vector
// kernels runs here: the ones this build has but the CPU cannot run (or
// FOCAL_DISABLE turned off), or, where the build has none, which
// architectures have them. It is "" where a vector kernel runs.
func noVector() string {
	var missing []string
	for _, s := range focal.Specs() {
		if s.Scalar {
			continue
		}
		if s.Runs {
			return ""
		}
		missing = append(missing, fmt.Sprintf("%s (needs %s)", s.Name, strings.Join(s.Needs, " ")))
	}
	if len(missing) > 0 {
		return "No vector kernel runs on this CPU: it lacks what " + strings.Join(missing, ", ") + " need (or FOCAL_DISABLE turned them off), so the pure-Go kernels are all there is."
	}
	how := "this architecture has none"
	if runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64" {
		how = "this binary was built with -tags purego"
	}
	return fmt.Sprintf("No vector kernel runs here (%s/%s: %s): impl/asm's vector levels are AVX2 and AVX-512 on amd64 and NEON on arm64.", runtime.GOOS, runtime.GOARCH, how)
}

func cpuNote(kernel string) string {
	if need := needs(kernel); need != "" {
		return ", needs " + need
	}
	return ", pure Go"
}

// noteFloat32 adds to the float64 choice how much faster the float32 choice
// is, when the float64 one is a scalar kernel and the float32 one is at least
// twice as fast: a caller whose data fit float32's precision may prefer
// converting.
func noteFloat32(c64, c32 choice) choice {
	s, ok := focal.SpecOf(c64.Kernel)
	if ok && s.Scalar && c32.Kernel != "" && c32.NsPerElem > 0 && c64.NsPerElem >= 2*c32.NsPerElem {
		c64.Reason = append(c64.Reason, fmt.Sprintf("%s computes one element at a time; in float32, %s is %.3g× faster at this N, if float32's precision (and a conversion pass) suits your data.",
			c64.Kernel, c32.Kernel, c64.NsPerElem/c32.NsPerElem))
	}
	return c64
}
