package bench

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseSize reads a count of elements: "1000", "64Ki" (×1024) or "16Mi" (×1024²),
// up to 256Mi.
func ParseSize(s string) (int, error) {
	s = strings.TrimSpace(s)
	mul := 1
	if v, ok := strings.CutSuffix(s, "Ki"); ok {
		mul, s = 1<<10, v
	} else if v, ok := strings.CutSuffix(s, "Mi"); ok {
		mul, s = 1<<20, v
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 1<<28/mul {
		return 0, fmt.Errorf("bad size %q: want a positive count of elements up to 256Mi, such as 1000, 64Ki or 1Mi", s)
	}
	return n * mul, nil
}
