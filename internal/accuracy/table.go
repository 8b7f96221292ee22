package accuracy

import (
	"fmt"
	"io"
	"math"
	"text/tabwriter"
)

// WriteTable prints one line per summary under a title: the loss error in ULP
// (max, 99th percentile, rows over 4), the scaled gradient error (max, 99th
// percentile, rows over 8) and the count of NaN or ±Inf outputs where the
// truth is finite. "huge" stands for 1e15 and more, NaN among them.
func WriteTable(w io.Writer, title string, sums []Summary) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\trows\tloss max\tp99\t>4 ULP\tgrad max\tp99\t>8\tNaN/Inf\t\n", title)
	for _, s := range sums {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\t%s\t%s\t%d\t%d\t\n", s.Name,
			s.LossRows, fmtULP(float64(s.LossMax)), fmtULP(s.LossP99), s.LossOver4,
			fmtULP(s.GradMax), fmtULP(s.GradP99), s.GradOver8, s.NonFinite)
	}
	return tw.Flush()
}

func fmtULP(v float64) string {
	switch {
	case math.IsInf(v, 0) || v >= 1e15:
		return "huge"
	case v >= 1e6:
		return fmt.Sprintf("%.1e", v)
	case v == math.Trunc(v):
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}
