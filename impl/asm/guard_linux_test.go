//go:build linux

package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/focalkernels/focal/impl/internal/csum"
	"golang.org/x/sys/unix"
)

// guarded returns a slice of n float32 in its own mapping, either ending
// exactly where an inaccessible (PROT_NONE) page begins (front = false) or
// starting exactly where one ends (front = true). Reading or writing one
// element past the slice faults, which the Go runtime turns into a crash.
func guarded(t *testing.T, n int, front bool) []float32 {
	t.Helper()
	return guardedOf[float32](t, n, front)
}

// guardedOf is guarded for either element type (and the rows form's labels).
func guardedOf[F float32 | float64 | int32](t *testing.T, n int, front bool) []F {
	t.Helper()
	es := int(unsafe.Sizeof(F(0)))
	ps := unix.Getpagesize()
	size := ((es*n+ps-1)/ps + 2) * ps
	mem, err := unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Munmap(mem) })
	if err := unix.Mprotect(mem[:ps], unix.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mprotect(mem[size-ps:], unix.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	off := size - ps - es*n
	if front {
		off = ps
	}
	return unsafe.Slice((*F)(unsafe.Pointer(&mem[off])), n)
}

// TestGuardPagesFirstBad: the target scans read nothing outside t, for
// every length 0..70 against an inaccessible page on either side, with no
// bad target and with one at the end (where the scan reads its last vector).
func TestGuardPagesFirstBad(t *testing.T) {
	for _, l := range testLevels() {
		for _, front := range []bool{false, true} {
			for n := 0; n <= 70; n++ {
				guardFirstBad(t, l, n, front, l.FirstBadTarget32)
				guardFirstBad(t, l, n, front, l.FirstBadTarget64)
			}
		}
	}
}

func guardFirstBad[F float32 | float64](t *testing.T, l Level, n int, front bool, scan func([]F) int) {
	ts := guardedOf[F](t, n, front)
	for i := range ts {
		ts[i] = F(i%3) / 2
	}
	if got := scan(ts); got != -1 {
		t.Fatalf("%v n=%d front=%v: first bad = %d in good targets", l, n, front, got)
	}
	if n > 0 {
		ts[n-1] = F(math.NaN())
		if got := scan(ts); got != n-1 {
			t.Fatalf("%v n=%d front=%v: first bad = %d, want %d", l, n, front, got, n-1)
		}
	}
}

// TestGuardPages: no level reads or writes outside x, t, dst, loss or grad,
// for every length 0..33 (two AVX-512 vectors and one more), with the slices
// against an inaccessible page on either side, with hard, soft, mixed and
// soft-in-the-tail targets, and the results are Generic's.
func TestGuardPages(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, l := range testLevels() {
		for _, front := range []bool{false, true} {
			for n := 0; n <= 33; n++ {
				for _, c := range []struct {
					gamma float64
					kind  int
				}{{2, kindHard}, {1.5, kindHard}, {0, kindHard}, {2, kindSoft}, {1.5, kindSoft}, {0, kindSoft}, {1, kindMixed}, {2, kindSoftTail}} {
					gamma := c.gamma
					what := fmt.Sprintf("%v n=%d front=%v γ=%v kind=%d", l, n, front, gamma, c.kind)
					x0, t0 := inputs(rng, n, c.kind)
					x, tt := guarded(t, n, front), guarded(t, n, front)
					copy(x, x0)
					copy(tt, t0)
					ref, refG := make([]float32, n), make([]float32, n)
					Generic.LossGrad32(ref, refG, x0, t0, 0.25, gamma)

					dst := guarded(t, n, front)
					l.Loss32(dst, x, tt, 0.25, gamma)
					loss, grad := guarded(t, n, front), guarded(t, n, front)
					l.LossGrad32(loss, grad, x, tt, 0.25, gamma)
					grad2 := guarded(t, n, front)
					l.LossGrad32(nil, grad2, x, tt, 0.25, gamma)
					s := l.Sum32(x, tt, 0.25, gamma)
					var want float64
					for i := range n {
						if dst[i] != ref[i] && !(math.IsNaN(float64(dst[i])) && math.IsNaN(float64(ref[i]))) {
							t.Fatalf("%s: Loss32[%d] = %v, want %v", what, i, dst[i], ref[i])
						}
						if loss[i] != ref[i] || grad[i] != refG[i] || grad2[i] != refG[i] {
							t.Fatalf("%s: LossGrad32[%d] = %v, %v (nil loss: %v), want %v, %v", what, i, loss[i], grad[i], grad2[i], ref[i], refG[i])
						}
						want += float64(ref[i])
					}
					if math.Abs(s-want) > 1e-6*math.Abs(want) {
						t.Fatalf("%s: Sum32 = %v, want %v", what, s, want)
					}
				}
			}
		}
	}
}

// TestGuardPages64 is TestGuardPages for the float64 functions: every length
// 0..17 (two AVX-512 vectors and one more) against an inaccessible page on
// either side, hard, soft, mixed and soft-in-the-tail targets, Generic's
// results exactly.
func TestGuardPages64(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	for _, l := range testLevels() {
		for _, front := range []bool{false, true} {
			for n := 0; n <= 17; n++ {
				for _, c := range []struct {
					gamma float64
					kind  int
				}{{2, kindHard}, {1.5, kindHard}, {0, kindHard}, {2, kindSoft}, {1.5, kindSoft}, {0, kindSoft}, {1, kindMixed}, {2, kindSoftTail}} {
					what := fmt.Sprintf("%v n=%d front=%v γ=%v kind=%d", l, n, front, c.gamma, c.kind)
					x0, t0 := inputs64(rng, n, c.kind)
					x, tt := guardedOf[float64](t, n, front), guardedOf[float64](t, n, front)
					copy(x, x0)
					copy(tt, t0)
					ref, refG := make([]float64, n), make([]float64, n)
					Generic.LossGrad64(ref, refG, x0, t0, 0.25, c.gamma)
					dst := guardedOf[float64](t, n, front)
					l.Loss64(dst, x, tt, 0.25, c.gamma)
					loss, grad := guardedOf[float64](t, n, front), guardedOf[float64](t, n, front)
					l.LossGrad64(loss, grad, x, tt, 0.25, c.gamma)
					grad2 := guardedOf[float64](t, n, front)
					l.LossGrad64(nil, grad2, x, tt, 0.25, c.gamma)
					s := l.Sum64(x, tt, 0.25, c.gamma)
					var want csum.Sum
					for i := range n {
						if math.Float64bits(dst[i]) != math.Float64bits(ref[i]) || loss[i] != ref[i] || grad[i] != refG[i] || grad2[i] != refG[i] {
							t.Fatalf("%s: element %d: Loss64 %v, LossGrad64 %v, %v (nil loss: %v), want %v, %v", what, i, dst[i], loss[i], grad[i], grad2[i], ref[i], refG[i])
						}
						want.Add(ref[i])
					}
					if w := want.Value(); math.Abs(s-w) > 1e-14*math.Abs(w) {
						t.Fatalf("%s: Sum64 = %v, want %v", what, s, w)
					}
				}
			}
		}
	}
}
