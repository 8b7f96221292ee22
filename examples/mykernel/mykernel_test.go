package mykernel

import (
	"bytes"
	"os"
	"os/exec"
	"testing"

	"github.com/focalkernels/focal/focaltest"
)

// The textbook formula passes where it declares itself valid: |x| ≤ 7, γ ≤ 5,
// to a relative error of 1e-3 (the float32 1-p cancels beyond that).
func TestTextbook(t *testing.T) {
	focaltest.Check[float32](t, Textbook{}, focaltest.Relative(1e-3), focaltest.ValidRange(7, 5))
}

func FuzzTextbook(f *testing.F) {
	focaltest.Fuzz[float32](f, Textbook{}, focaltest.Relative(1e-3), focaltest.ValidRange(7, 5))
}

// TestSnippet holds the snippet to the kit's default bar. It fails, on
// purpose, so it runs only when asked:
//
//	MYKERNEL_SNIPPET=1 go test -run '^TestSnippet$' .
func TestSnippet(t *testing.T) {
	if os.Getenv("MYKERNEL_SNIPPET") == "" {
		t.Skip("fails on purpose; MYKERNEL_SNIPPET=1 runs it")
	}
	focaltest.Check[float32](t, Snippet{})
}

// TestSnippetIsCaught runs TestSnippet in a child process (this test binary)
// and checks that the kit rejects the snippet's α convention, with a message
// that names the property, the element and its inputs, and how to rerun it.
func TestSnippetIsCaught(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestSnippet$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "MYKERNEL_SNIPPET=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("TestSnippet passed; the kit should reject α given to the negatives:\n%s", out)
	}
	for _, want := range []string{
		"--- FAIL: TestSnippet/bce-at-gamma0",
		"snippet: element 0 of 1 (x=0 t=0 α=0.25 γ=0): loss 0.1732867956161499, α_t·BCE = 0.5198603854199589",
		"FOCALTEST_SEED=1 FOCALTEST_N=1000 go test -run '^TestSnippet$/^bce-at-gamma0$' -v .",
	} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("TestSnippet's output lacks %q:\n%s", want, out)
		}
	}
}
