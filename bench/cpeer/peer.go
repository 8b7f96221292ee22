package cpeer

// Peer is one C peer: its kernel name and its focal sum over float32 logits
// and hard targets (0 or 1), with the kernels' Sum32 signature.
type Peer struct {
	Name  string
	Sum32 func(x, t []float32, alpha, gamma float64) float64
}
