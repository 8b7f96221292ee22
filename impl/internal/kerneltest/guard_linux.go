package kerneltest

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Guarded returns a slice of n elements of F (a float, or the rows form's
// int32 labels) in its own mapping, either
// ending exactly where an inaccessible (PROT_NONE) page begins (front =
// false) or starting exactly where one ends (front = true). Reading or
// writing one element past the slice faults, which the Go runtime turns
// into a crash. The mapping is removed when the test ends.
func Guarded[F Float | int32](t *testing.T, n int, front bool) []F {
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

// GuardPages checks that no level reads or writes outside x, t, dst, loss
// or grad, for every length up to two of the widest vectors and one more
// (AVX-512: 33 float32, 17 float64), with every slice against an
// inaccessible page on either side, hard, soft, mixed and soft-in-the-tail
// targets; and that the results are Generic's, bit for bit, and Sum within
// SumRel of the compensated sum of Generic's losses.
func GuardPages[F Float](t *testing.T, f Family) {
	rng := rand.New(rand.NewPCG(7, 8))
	maxN := 33
	if !Is32[F]() {
		maxN = 17
	}
	ref := Generic[F](f)
	cases := []struct {
		gamma   float64
		pattern int
	}{{2, AllHard}, {1.5, AllHard}, {0, AllHard}, {2, AllSoft}, {1.5, AllSoft}, {0, AllSoft}, {1, Mixed}, {2, SoftTail}}
	for _, k := range Kernels[F](f, f.Levels()) {
		for _, front := range []bool{false, true} {
			for n := 0; n <= maxN; n++ {
				for _, c := range cases {
					what := fmt.Sprintf("%s %s n=%d front=%v γ=%v pattern=%d", k.Name, TypeName[F](), n, front, c.gamma, c.pattern)
					x0, t0 := Inputs[F](rng, n, c.pattern)
					x, tt := Guarded[F](t, n, front), Guarded[F](t, n, front)
					copy(x, x0)
					copy(tt, t0)
					want, wantG := make([]F, n), make([]F, n)
					ref.LossGrad(want, wantG, x0, t0, 0.25, c.gamma)
					wantS := ref.Sum(x0, t0, 0.25, c.gamma)
					dst := Guarded[F](t, n, front)
					k.Loss(dst, x, tt, 0.25, c.gamma)
					loss, grad := Guarded[F](t, n, front), Guarded[F](t, n, front)
					k.LossGrad(loss, grad, x, tt, 0.25, c.gamma)
					grad2 := Guarded[F](t, n, front)
					k.LossGrad(nil, grad2, x, tt, 0.25, c.gamma)
					s := k.Sum(x, tt, 0.25, c.gamma)
					for i := range n {
						if !Same(dst[i], want[i]) || !Same(loss[i], want[i]) || !Same(grad[i], wantG[i]) || !Same(grad2[i], wantG[i]) {
							t.Fatalf("%s: element %d: Loss %v, LossGrad %v, %v (nil loss: %v), Generic %v, %v", what, i, dst[i], loss[i], grad[i], grad2[i], want[i], wantG[i])
						}
					}
					if !CloseSum(s, wantS, SumRel[F]()) {
						t.Fatalf("%s: Sum = %v, Generic %v", what, s, wantS)
					}
				}
			}
		}
	}
}
