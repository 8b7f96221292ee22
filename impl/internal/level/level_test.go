package level

import "testing"

func TestTop(t *testing.T) {
	amd64 := Chain{Names: []string{"generic", "purego", "avx2", "avx512"}, Scalar: 2}
	arm64 := Chain{Names: []string{"generic", "purego", "neon"}, Scalar: 2}
	for _, c := range []struct {
		chain   Chain
		cpu     int
		disable string
		want    int
	}{
		{amd64, 3, "", 3},
		{amd64, 2, "", 2},
		{amd64, 1, "", 1},
		{amd64, 3, "avx512", 2},
		{amd64, 3, "AVX512", 2},
		{amd64, 3, "avx2", 1},
		{amd64, 3, "avx512,avx2", 1},
		{amd64, 3, " avx2 , avx512 ", 1},
		{amd64, 2, "avx512", 2},
		{amd64, 3, "generic,purego", 3}, // scalar levels cannot be disabled
		{amd64, 3, "neon,sse,,", 3},     // another architecture's names and unknown ones are ignored
		{arm64, 2, "", 2},
		{arm64, 2, "neon", 1},
		{arm64, 2, "avx512", 2},
		{arm64, 7, "", 2},
	} {
		if got := c.chain.Top(c.cpu, c.disable); got != c.want {
			t.Errorf("%v.Top(%d, %q) = %d, want %d", c.chain.Names, c.cpu, c.disable, got, c.want)
		}
	}
	if n := amd64.Name(9); n != "level(9)" {
		t.Errorf("Name(9) = %q", n)
	}
}
