//go:build !linux

package kerneltest

import "testing"

// GuardPages needs mmap and mprotect (golang.org/x/sys/unix on Linux).
func GuardPages[F Float](t *testing.T, f Family) { t.Skip("guard pages: Linux only") }
