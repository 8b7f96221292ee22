package neon

// The target scan of the checked API: the index of the first target that is
// NaN or outside [0, 1] (firstBadTarget in ../../target.go is the Go version
// and the contract), four vectors per iteration, each lane good where
// t ≥ 0 and 1 ≥ t (ordered compares: NaN is bad, -0 good).

import "fmt"

// firstBadVecs vectors are tested per iteration of the main loop.
const firstBadVecs = 4

// firstBadName is the scan's function name for s.
func firstBadName(s shape) string {
	if s.f64 {
		return "firstBadNEONF64"
	}
	return "firstBadNEONF32"
}

// firstBad emits the scan for s. A group of vectors with a bad lane is
// searched vector by vector, and the first such vector (and the tail, fewer
// than a vector's lanes) lane by lane with scalar compares.
func firstBad(s shape, t *table) (string, error) {
	f := newFn(s, t)
	name := firstBadName(s)
	W, es := s.lanes(), s.bytes()
	ft, fm, fc := "float32", "FMOVS", "FCMPS"
	if s.f64 {
		ft, fm, fc = "float64", "FMOVD", "FCMPD"
	}
	fmt.Fprintf(&f.out, "// func %s(t []%s) (i int)\nTEXT ·%s(SB), NOSPLIT, $0-32\n", name, ft, name)
	const rem, idx = "R6", "R3"
	f.raw("MOVD\tt_base+0(FP), %s", regT)
	f.raw("MOVD\tt_len+8(FP), %s", regN)
	f.raw("MOVD\t$0, %s", idx)
	f.raw("MOVD\t$%s(SB), %s", symConsts, regConsts)
	f.res["one"] = f.pin(28)
	f.raw("FMOVQ\t%d(%s), F28", t.row(s, "one"), regConsts)
	f.pool()
	// test emits the test of the vectors at off(regT), j = 0…n-1, jumping to
	// bad if one has a bad lane.
	test := func(n int, bad string) {
		b := f.stream()
		var all V
		for j := range n {
			v := b.load(regT, 16*j)
			g := b.and(b.fp2("fcmge0", v), b.fp3("fcmge", b.k("one"), v))
			if all == 0 {
				all = g
			} else {
				all = b.and(all, g)
			}
		}
		b.gpr(b.two(uminv, all), "R7")
		b.raw("CMNW\t$1, R7")
		b.raw("BNE\t" + bad)
		f.direct(b)
	}
	loopU, group, loop1, found, scan, none, done := name+"_loopU", name+"_group", name+"_loop1", name+"_found", name+"_scan", name+"_none", name+"_done"
	f.label(loopU)
	f.raw("SUB\t%s, %s, %s", idx, regN, rem)
	f.raw("CMP\t$%d, %s", W*firstBadVecs, rem)
	f.raw("BLT\t%s", loop1)
	test(firstBadVecs, group)
	f.raw("ADD\t$%d, %s", 16*firstBadVecs, regT)
	f.raw("ADD\t$%d, %s", W*firstBadVecs, idx)
	f.raw("B\t%s", loopU)
	f.label(group)
	for j := 0; j < firstBadVecs-1; j++ { // the last is the bad one if none before is
		test(1, found)
		f.raw("ADD\t$16, %s", regT)
		f.raw("ADD\t$%d, %s", W, idx)
	}
	f.raw("B\t%s", found)
	f.label(loop1)
	f.raw("CMP\t$%d, %s", W, rem)
	f.raw("BLT\t%s", scan)
	test(1, found)
	f.raw("ADD\t$16, %s", regT)
	f.raw("ADD\t$%d, %s", W, idx)
	f.raw("SUB\t$%d, %s", W, rem)
	f.raw("B\t%s", loop1)
	f.label(found) // a vector with a bad lane at regT: scan its lanes
	f.raw("MOVD\t$%d, %s", W, rem)
	f.label(scan) // rem lanes one at a time
	f.raw("CBZ\t%s, %s", rem, none)
	f.raw("%s.P\t%d(%s), F0", fm, es, regT)
	f.raw("%s\t$(0.0), F0", fc) // not t ≥ 0 (LT holds for unordered)
	f.raw("BLT\t%s", done)
	f.raw("%s\tF28, F0", fc) // not t ≤ 1 (HI holds for unordered)
	f.raw("BHI\t%s", done)
	f.raw("ADD\t$1, %s", idx)
	f.raw("SUB\t$1, %s", rem)
	f.raw("B\t%s", scan)
	f.label(none)
	f.raw("MOVD\t$-1, %s", idx)
	f.label(done)
	f.raw("MOVD\t%s, i+24(FP)", idx)
	f.raw("RET")
	if err := f.flush(); err != nil {
		return "", err
	}
	return f.out.String(), nil
}
