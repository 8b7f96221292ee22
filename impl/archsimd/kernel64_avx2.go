//go:build goexperiment.simd && amd64 && !purego

package archsimd

// kernel64AVX2 is a placeholder for the float64 lanes: the model, element by element.
func kernel64AVX2[O opKind, M modeKind](loss, grad, x, t []float64, p *params64) (sum float64, hard bool) {
	op := opOf[O]()
	var acc neumaier
	hard = true
	for i := range x {
		if !(t[i] == 0 || t[i] == 1) {
			hard = false
			continue
		}
		l, g := elemHard64(x[i], t[i], p)
		switch op {
		case opSum:
			acc.add(l)
		case opLoss:
			loss[i] = l
		default:
			loss[i] = l
			grad[i] = g
		}
	}
	return acc.sum(), hard
}
