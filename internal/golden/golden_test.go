package golden

import (
	"math"
	"testing"
)

func TestRows(t *testing.T) {
	rs := Rows()
	if len(rs) != 2355 {
		t.Fatalf("got %d rows, want 2355", len(rs))
	}
	for i, r := range rs {
		if float64(float32(r.X)) != r.X && !math.IsInf(r.X, 0) {
			t.Errorf("row %d: x=%v is not float32-representable", i, r.X)
		}
		if r.T < 0 || r.T > 1 || r.Gamma < 0 || r.Alpha > 1 {
			t.Errorf("row %d: inputs out of domain: %+v", i, r)
		}
		if r.RefLoss < 0 || math.IsNaN(r.RefLoss) || math.IsNaN(r.RefGrad) {
			t.Errorf("row %d: bad reference: %+v", i, r)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, text := range []string{
		"",
		"# only a comment\n",
		"x,t\n1,2\n",
		"x,t,alpha,gamma,ref_loss,ref_grad,ref_grad_scale,tv32_loss,tv32_grad,tv64_loss,tv64_grad\n1,2,3\n",
		"x,t,alpha,gamma,ref_loss,ref_grad,ref_grad_scale,tv32_loss,tv32_grad,tv64_loss,tv64_grad\n1,0,0,0,0,0,0,0,0,0,zz\n",
	} {
		if _, err := parse(text); err == nil {
			t.Errorf("parse(%q) gave no error", text)
		}
	}
}
