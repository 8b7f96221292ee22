// The avo generator of impl/asm, in its own module so that avo never enters
// the project's go.mod. golang.org/x/tools is pinned above avo v0.6.0's own
// requirement: the older x/tools avo asks for does not work with current Go.
module github.com/focalkernels/focal/impl/asm/_asm

go 1.26.0

require (
	github.com/mmcloughlin/avo v0.6.0
	golang.org/x/arch v0.33.0
)

require (
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/tools v0.52.0 // indirect
)
