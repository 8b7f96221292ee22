// A module outside focal that holds its own focal loss to focal's
// conformance kit, as another project would. The replace directive points at
// this checkout; a real project would require a released version instead.
module example.com/mykernel

go 1.26.0

require github.com/focalkernels/focal v0.0.0

require (
	github.com/klauspost/cpuid/v2 v2.4.2 // indirect
	github.com/leanovate/gopter v0.2.11 // indirect
	golang.org/x/sys v0.50.0 // indirect
	gonum.org/v1/gonum v0.17.0 // indirect
)

replace github.com/focalkernels/focal => ../..
