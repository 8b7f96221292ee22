//go:build goexperiment.simd && amd64 && !purego && linux

package archsimd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// guarded returns a slice of n elements of F in its own mapping, either ending
// exactly where an inaccessible (PROT_NONE) page begins (front = false) or
// starting exactly where one ends (front = true). Reading or writing one
// element past the slice faults, which the Go runtime turns into a crash.
func guarded[F float](t *testing.T, n int, front bool) []F {
	t.Helper()
	size := int(unsafe.Sizeof(F(0)))
	ps := unix.Getpagesize()
	total := ((size*n+ps-1)/ps + 2) * ps
	mem, err := unix.Mmap(-1, 0, total, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Munmap(mem) })
	if err := unix.Mprotect(mem[:ps], unix.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mprotect(mem[total-ps:], unix.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	off := total - ps - size*n
	if front {
		off = ps
	}
	return unsafe.Slice((*F)(unsafe.Pointer(&mem[off])), n)
}

func TestGuardPages32(t *testing.T) { testGuardPages[float32](t) }
func TestGuardPages64(t *testing.T) { testGuardPages[float64](t) }

// testGuardPages: no level reads or writes outside x, t, dst, loss or grad,
// for every length 0..33 (two AVX-512 float32 vectors and one more), with the
// slices against an inaccessible page on either side, and the results are the
// model's.
func testGuardPages[F float](t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	ref := levelFns[F](Generic)
	for _, l := range testLevels() {
		k := levelFns[F](l)
		for _, front := range []bool{false, true} {
			for n := 0; n <= 33; n++ {
				for _, gamma := range []float64{2, 1.5, 0} {
					what := fmt.Sprintf("%s n=%d front=%v γ=%v", k.name, n, front, gamma)
					x0, t0 := inputs[F](rng, n, n%nPatterns)
					x, tt := guarded[F](t, n, front), guarded[F](t, n, front)
					copy(x, x0)
					copy(tt, t0)
					want, wantG := make([]F, n), make([]F, n)
					ref.lossGrad(want, wantG, x0, t0, 0.25, gamma)

					dst := guarded[F](t, n, front)
					k.loss(dst, x, tt, 0.25, gamma)
					loss, grad := guarded[F](t, n, front), guarded[F](t, n, front)
					k.lossGrad(loss, grad, x, tt, 0.25, gamma)
					grad2 := guarded[F](t, n, front)
					k.lossGrad(nil, grad2, x, tt, 0.25, gamma)
					s := k.sum(x, tt, 0.25, gamma)
					var sum float64
					for i := range n {
						if dist(dst[i], want[i]) > 2 || dist(loss[i], want[i]) > 2 || dist(grad[i], wantG[i]) > 2 || dist(grad2[i], wantG[i]) > 2 {
							t.Fatalf("%s: element %d: Loss %v, LossGrad %v, %v (nil loss: %v), model %v, %v", what, i, dst[i], loss[i], grad[i], grad2[i], want[i], wantG[i])
						}
						sum += float64(want[i])
					}
					if math.Abs(s-sum) > 1e-6*math.Abs(sum) {
						t.Fatalf("%s: Sum = %v, want %v", what, s, sum)
					}
				}
			}
		}
	}
}
