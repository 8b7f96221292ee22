package neon

// Sum's accumulation: the lanes add blockVecs vectors at a time, and each
// block is flushed into the float64 sums, float32's widened and float64's
// by TwoSum with its error carried into the next block.

import "fmt"

// blockVecs vectors are summed in the element's lanes before the block is
// added to the float64 accumulators (flushBlock).
const blockVecs = 8

// countBlock counts Sum's u vectors off the block of blockVecs, and at the
// block's end flushes the block's sums (flush32, flush64).
func (k kernel) countBlock(f *fn, st *state, loop string, u int) {
	if k.o != opSum {
		return
	}
	skip := fmt.Sprintf("%s_noflush%d", loop, st.step)
	st.step++
	f.raw("SUBS\t$%d, %s, %s", u, regCnt, regCnt)
	f.raw("BGT\t%s", skip)
	if err := f.flush(); err != nil {
		panic(err)
	}
	k.flushBlock(f, st)
	f.raw("MOVD\t$%d, %s", blockVecs, regCnt)
	f.label(skip)
}

// flushBlock adds the block's sums to the running ones: flush32 or flush64.
func (k kernel) flushBlock(f *fn, st *state) {
	if k.s.f64 {
		k.flush64(f, st)
		return
	}
	k.flush32(f, st)
}

// flush64 adds the block's sums (acc) to the float64 sums (acc64) by
// TwoSum and leaves the addition's error in acc, so that acc64 + acc is the
// sum so far but for the roundings of the blocks' own additions (the amd64
// generator's flush64).
func (k kernel) flush64(f *fn, st *state) {
	b := f.stream()
	s := b.add2(st.acc, st.acc64)
	bb := b.sub(s, st.acc64)
	e := b.sub(st.acc64, b.sub(s, bb))
	e = b.add2(e, b.sub(st.acc, bb))
	b.assign(st.acc64, b.mov(s))
	b.assign(st.acc, b.mov(e))
	f.direct(b)
}

// flush32 adds the float32 sums, widened, into the float64 ones and clears
// them; a lane that is +Inf marks ovf (two finite losses near MaxFloat32
// overflow a float32 lane: the caller sums again in float64).
func (k kernel) flush32(f *fn, st *state) {
	b := f.stream()
	b.assign(st.ovf, b.orr(st.ovf, b.cmeq(st.acc, b.k("inf"))))
	b64 := &stream{f: f, s: d2}
	b64.assign(st.acc64, b64.add2(st.acc64, b.widen(st.acc, false)))
	b64.assign(st.acc64b, b64.add2(st.acc64b, b.widen(st.acc, true)))
	f.direct(b)
	f.direct(b64)
	z := f.stream()
	z.assign(st.acc, z.zero())
	f.direct(z)
}
