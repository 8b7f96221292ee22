# focal: make test is what CI runs; see README.md.
GO ?= go

.PHONY: test fmt vet race cover

test: fmt vet
	$(GO) test ./...

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# race: with -short, since the race detector looks for unsynchronised memory
# access, which the full sizes do not add to, and it slows each test several
# times over (the full suite under -race ran past go test's 10-minute limit on
# a loaded two-core machine).
# RACE_SKIP: the longest tests under -race, each a single goroutine's sweep
# of values or a reading of the generated assembly, in which the detector has
# nothing to watch (make test runs them).
RACE_SKIP = ^(TestSoftmaxAccuracy|TestSoftmaxBar|TestStrided64|TestRowsBugsCaught|TestAVX2NoEVEX|TestVEXOnly|TestTwoValue(Rows|Flat|64))$$
# impl/archsimd's own tests again with GOEXPERIMENT=simd: -race turns on
# checkptr, which holds its pointer conversions to their allocations.
# .ci/race-pkgs picks the packages whose code or tests start goroutines, run
# tests in parallel or use sync or unsafe: in the others the detector has
# nothing to watch (their code is instrumented in the tests that call it
# concurrently).
race:
	pkgs=$$(GO=$(GO) .ci/race-pkgs ./...) && [ -n "$$pkgs" ] && $(GO) test -race -short -skip '$(RACE_SKIP)' $$pkgs
	GOEXPERIMENT=simd $(GO) test -race -short -skip '$(RACE_SKIP)' ./impl/archsimd

# lint: go.mod tidy, and staticcheck at a pinned version (go run fetches it
# through the module proxy; it does not enter go.mod).
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
.PHONY: lint examples
lint:
	$(GO) mod tidy -diff
	$(GO) run $(STATICCHECK) ./...

# examples: the module in examples/mykernel, outside this one, that holds its
# own focal losses to the conformance kit (focaltest) as another project would.
examples:
	cd examples/mykernel && $(GO) vet ./... && $(GO) test -count=1 ./...

# test-simd: the suite built with GOEXPERIMENT=simd, which adds impl/archsimd
# (Go's simd/archsimd intrinsics) to the registry on amd64: the packages whose
# build or tests import simd/archsimd (SIMD_PKGS; the experiment changes
# nothing in the others, which make test has run). Without asynchronous
# preemption: in this build Go 1.26's runtime returns from one with the vector
# registers' upper halves in use, and the scalar float code after it (the
# models, naive, stable, asm-generic) ran up to 50 times slower on an Intel
# Xeon until the next VZEROUPPER (results/intel-r-xeon-r-processor-family-6-
# model-167/simdpreempt.txt): there the root package's tests took 554-600 s
# and impl/archsimd's 381 s, and 21 s each without it. make race runs
# impl/archsimd's tests in this build with preemption on.
SIMD_PKGS = $(shell GOEXPERIMENT=simd $(GO) list -test -f '{{or .ForTest .ImportPath}} {{join .Deps " "}}' ./... | awk '/ simd\/archsimd( |$$)/ {sub(/\.test$$/, "", $$1); print $$1}' | sort -u)
.PHONY: test-simd
test-simd:
	@[ -n "$(SIMD_PKGS)" ] || { echo "test-simd: no package imports simd/archsimd on $$($(GO) env GOARCH)"; exit 1; }
	GOEXPERIMENT=simd $(GO) vet $(SIMD_PKGS)
	GOEXPERIMENT=simd GODEBUG=asyncpreemptoff=1 $(GO) test $(SIMD_PKGS)

cover:
	$(GO) test -coverprofile=cover.out ./...
	$(GO) tool cover -func=cover.out | tail -1
	$(GO) tool cover -html=cover.out -o cover.html

MACHINE ?= $(shell $(GO) run ./cmd/focal machine)

# The other architectures under qemu-user-static (correctness only: -short trims
# the summation tests' sizes), and the check that no multiply-add is fused
# where the source does not say math.FMA (see .ci/fusion-check). CI runs
# the four of CROSS_ARCHS; loong64 (CROSS_ARCHS=loong64) and 32-bit arm
# (CROSS_ARCHS=arm) run the same way, outside its time budget.
CROSS_ARCHS ?= arm64 ppc64le s390x riscv64
.PHONY: cross fusion-check
cross:
	@for a in $(CROSS_ARCHS); do q=$$a; [ $$a = arm64 ] && q=aarch64; [ $$a = loong64 ] && q=loongarch64; \
		echo "== GOARCH=$$a (qemu-$$q-static)"; \
		GOARCH=$$a $(GO) test -short -timeout 30m -exec qemu-$$q-static ./... || exit 1; \
	done

fusion-check:
	.ci/fusion-check

# test-arm64: impl/asm on arm64 without -short, so that asm-neon meets Generic
# at every offset and length the x86 levels are tested at (but the suite's
# SumLarge32 and SumLarge64, whose 2^24 elements take minutes under qemu: they
# run with -short, at 2^20), and the kit (props/) over it: over asm-neon and
# the checked API, not the pure-Go kernels, whose kit runs natively and under
# the other emulated architectures (where the compiler fuses as on arm64).
.PHONY: test-arm64
test-arm64:
	GOARCH=arm64 $(GO) vet ./...
	GOARCH=arm64 $(GO) test -exec qemu-aarch64-static -timeout 60m -skip '^TestFamily$$/^SumLarge(32|64)$$' ./impl/asm
	GOARCH=arm64 $(GO) test -short -exec qemu-aarch64-static -timeout 60m -run '^TestFamily$$/^SumLarge(32|64)$$' ./impl/asm
	GOARCH=arm64 $(GO) test -short -exec qemu-aarch64-static -timeout 60m -skip '^TestProps(32|64)$$/^(naive|stable|asm-generic|asm-purego)$$' ./props/

.PHONY: accuracy
accuracy:
	mkdir -p results/$(MACHINE)
	$(GO) run ./cmd/focal compare -time 0 > results/$(MACHINE)/accuracy.txt
	cat results/$(MACHINE)/accuracy.txt

# props/: every kernel through the conformance kit, and the fuzz targets (see props/doc.go).
# props-long runs every property with 100,000 cases and a random seed (FOCALTEST_SEED=n reruns seed n).
# fuzz runs each fuzz target of props/ in turn for FUZZTIME (go test -fuzz takes one target per run;
# .ci/fuzz tells a found input from the fuzz engine's own deadline failures).
PROPS_N ?= 100000
FUZZTIME ?= 10m
FUZZFLAGS ?=

.PHONY: props-long fuzz

props-long:
	FOCALTEST_SEED=$${FOCALTEST_SEED:-random} FOCALTEST_N=$(PROPS_N) $(GO) test -count=1 -timeout 60m -run '^TestProps' ./props/

fuzz:
	.ci/fuzz ./props/ $(FUZZTIME) $(FUZZFLAGS)

# --- Benchmarks: bench/, focal report, focal choose (see README, "Benchmarks and choosing a kernel") ---
# make bench                 Sum, LossGrad and Mean, every kernel, the checked API, and the streaming floor
#                            (BenchmarkStream), COUNT passes into results/$(MACHINE)/bench.txt, then
#                            the benchstat tables (benchstat.txt, benchstat-sum-float32-64Ki.txt) and focal
#                            choose's verdicts (choose.txt) beside it
# make bench BENCH=Sum/kernel=asm COUNT=20 BENCHTIME=1s BENCHTAGS=     any regex, count, time; no C peer
# make benchcmp OLD=a.txt NEW=b.txt   benchstat before/after of a kernel change
# make report                go run ./cmd/focal report: report.md, speed.png, accuracy.png in results/$(MACHINE),
#                            with the C peers' Sum timed beside the kernels (BENCHTAGS=cpeer)
# The COUNT samples are COUNT passes over the whole matrix (one test binary, run COUNT times with
# -count 1), not COUNT runs in a row of each benchmark: a burst of load from another process then
# spreads over every kernel instead of landing on one, and the U test's samples are closer to independent.
BENCH ?= ^Benchmark(Sum|LossGrad|Mean|Stream)$$
BENCHTIME ?= 200ms
COUNT ?= 10
BENCHTAGS ?= cpeer
RESULTS ?= results/$(MACHINE)
BENCHSTAT_FLAGS ?= -col /kernel -row /n -table .name,/type,/gamma,/targets
# PASSES runs the bench package's benchmarks in COUNT interleaved passes into a file (.ci/bench-passes).
PASSES = COUNT=$(COUNT) BENCHTIME=$(BENCHTIME) .ci/bench-passes

.PHONY: bench benchcmp report
bench:
	$(PASSES) $(RESULTS)/bench.txt "-tags=$(BENCHTAGS)" "make bench BENCH='$(BENCH)' BENCHTAGS='$(BENCHTAGS)'" '$(BENCH)'
	$(GO) tool benchstat $(BENCHSTAT_FLAGS) $(RESULTS)/bench.txt > $(RESULTS)/benchstat.txt
	$(GO) tool benchstat -filter '.name:Sum /n:65536 /gamma:2 /type:float32 .unit:sec/op' -col /kernel -row /targets $(RESULTS)/bench.txt > $(RESULTS)/benchstat-sum-float32-64Ki.txt
	$(GO) run ./cmd/focal choose $(RESULTS)/bench.txt > $(RESULTS)/choose.txt
	@echo "wrote $(RESULTS)/bench.txt, benchstat.txt, benchstat-sum-float32-64Ki.txt, choose.txt"

# bench-softmax: the softmax form's benchmarks (SoftmaxSum and SoftmaxLossGrad, every kernel and
# the checked API, 8192 rows of 3, 80 and 1000 classes, random and trained rows), interleaved,
# COUNT passes, with every kernel's flat Sum over as many elements as 8192 rows of 80 classes
# (n = 640Ki, hard targets) for the speed bars, into results/$(MACHINE)/softmax-bench.txt; then
# softmax-benchstat.txt (the kernels side by side per class count) and softmax-choose.txt.
# SOFTMAX_FLAT picks the flat Sum's benchmarks and SOFTMAX_OUT names the three files another way
# (softmax-c80: softmax-c80-bench.txt, …), so that a narrower run keeps the full one's files.
SOFTMAX_BENCH ?= ^BenchmarkSoftmax(Sum|LossGrad)$$
SOFTMAX_FLAT ?= ^BenchmarkSum$$
SOFTMAX_OUT ?= softmax
.PHONY: bench-softmax
bench-softmax:
	$(PASSES) $(RESULTS)/$(SOFTMAX_OUT)-bench.txt "" "make bench-softmax SOFTMAX_BENCH='$(SOFTMAX_BENCH)' SOFTMAX_FLAT='$(SOFTMAX_FLAT)' SOFTMAX_OUT=$(SOFTMAX_OUT)" '$(SOFTMAX_BENCH)' 'FOCAL_BENCH_N=640Ki FOCAL_BENCH_TARGETS=hard $(SOFTMAX_FLAT)'
	$(GO) tool benchstat -filter '.unit:ns/elem' -col /kernel -row /c,/n -table .name,/type,/gamma,/targets $(RESULTS)/$(SOFTMAX_OUT)-bench.txt > $(RESULTS)/$(SOFTMAX_OUT)-benchstat.txt
	$(GO) run ./cmd/focal choose $(RESULTS)/$(SOFTMAX_OUT)-bench.txt > $(RESULTS)/$(SOFTMAX_OUT)-choose.txt
	@echo "wrote $(RESULTS)/$(SOFTMAX_OUT)-bench.txt, $(SOFTMAX_OUT)-benchstat.txt, $(SOFTMAX_OUT)-choose.txt"

benchcmp:
	@if [ -z "$(OLD)" ] || [ -z "$(NEW)" ]; then echo "usage: make benchcmp OLD=before.txt NEW=after.txt"; exit 2; fi
	$(GO) tool benchstat -row /n -table .name,/type,/gamma,/targets,/kernel $(OLD) $(NEW)

# bench-rows: the sigmoid rows form (SumRows, LossRows, LossGradRows), every kernel and the
# checked API, on the mmcv-style head (8192 rows of 80 classes) and the streaming one (16Mi
# logits; scalar kernels skip it unless FOCAL_BENCH_FULL=1), each beside its flat form on the
# equivalent one-hot targets (targets=onehot), COUNT passes into results/$(MACHINE)/rows-bench.txt,
# then rows-benchstat.txt (a kernel's variants side by side, against onehot) and rows-choose.txt.
# ROWS_OUT= names the three files another way (rows-16Mi: rows-16Mi-bench.txt, …), so that a
# run of one size beside the others keeps theirs.
ROWS_BENCH ?= ^Benchmark(SumRows|LossRows|LossGradRows)$$
ROWS_OUT ?= rows
.PHONY: bench-rows
bench-rows:
	$(PASSES) $(RESULTS)/$(ROWS_OUT)-bench.txt "" "make bench-rows ROWS_BENCH='$(ROWS_BENCH)' ROWS_OUT=$(ROWS_OUT)" '$(ROWS_BENCH)'
	$(GO) tool benchstat -filter '.unit:sec/op' -col /targets -row /kernel -table .name,/type,/gamma,/n,/c $(RESULTS)/$(ROWS_OUT)-bench.txt > $(RESULTS)/$(ROWS_OUT)-benchstat.txt
	$(GO) run ./cmd/focal choose $(RESULTS)/$(ROWS_OUT)-bench.txt > $(RESULTS)/$(ROWS_OUT)-choose.txt
	@echo "wrote $(RESULTS)/$(ROWS_OUT)-bench.txt, $(ROWS_OUT)-benchstat.txt, $(ROWS_OUT)-choose.txt"

# bench-purego: what CPUs without a vector level get (riscv64, ppc64le, s390x, loong64, -tags
# purego): Best (asm-purego, impl/internal/fast) beside stable, Sum and LossGrad at N = 65536,
# every target kind, type and γ, COUNT passes of a -tags purego build, into
# results/$(MACHINE)/purego-bench.txt and purego-benchstat.txt (stable / Best is the bar).
PUREGO_BENCH ?= ^Benchmark(Sum|LossGrad)$$/kernel=(stable|asm-purego)/n=65536/
.PHONY: bench-purego
bench-purego:
	$(PASSES) $(RESULTS)/purego-bench.txt "-tags purego" "make bench-purego PUREGO_BENCH='$(PUREGO_BENCH)'" '$(PUREGO_BENCH)'
	$(GO) tool benchstat -filter '.unit:sec/op' -col /kernel -row /targets,/gamma -table .name,/type $(RESULTS)/purego-bench.txt > $(RESULTS)/purego-benchstat.txt
	@echo "wrote $(RESULTS)/purego-bench.txt, purego-benchstat.txt"

# bench-bars: the flat form's speed bars at N = 65536 and 1024, γ = 2, in one run: the vector
# levels' soft targets beside hard (Sum and LossGrad, both types), the checked API beside its
# kernel, and the C peers (BENCHTAGS=cpeer) beside the levels; COUNT passes into
# results/$(MACHINE)/bars-bench.txt, then bars-benchstat.txt (targets side by side per kernel)
# and bars-peers.txt (kernels side by side per target kind).
BARS_BENCH ?= ^Benchmark(Sum|LossGrad)$$/kernel=(asm-avx2|asm-avx512|checked|c-avx2|c-avx512|c-avx2-hard|c-avx512-hard)/n=(1024|65536)/gamma=2/
.PHONY: bench-bars
bench-bars:
	$(PASSES) $(RESULTS)/bars-bench.txt "-tags=cpeer" "make bench-bars BARS_BENCH='$(BARS_BENCH)'" '$(BARS_BENCH)'
	$(GO) tool benchstat -filter '.unit:sec/op' -col /targets -row /kernel -table .name,/type,/n $(RESULTS)/bars-bench.txt > $(RESULTS)/bars-benchstat.txt
	$(GO) tool benchstat -filter '.unit:sec/op' -col /kernel -row /targets -table .name,/type,/n $(RESULTS)/bars-bench.txt > $(RESULTS)/bars-peers.txt
	@echo "wrote $(RESULTS)/bars-bench.txt, bars-benchstat.txt, bars-peers.txt"

# bench-revs: the same benchmarks at several git revisions, interleaved (.ci/bench-revs), into
# results/$(MACHINE)/revs/<rev>.txt and benchstat.txt (the first revision is the base). By default
# Sum and LossGrad at N = 65536 of stable and the amd64 vector levels: a before/after of a change is
# make bench-revs REVS="<before> <after>".
REVS ?= HEAD~1 HEAD
REVS_BENCH ?= ^Benchmark(Sum|LossGrad)$$/kernel=(stable|asm-avx2|asm-avx512)/n=65536/
REVS_OUT ?= $(RESULTS)/revs
.PHONY: bench-revs
bench-revs:
	.ci/bench-revs $(REVS_OUT) '$(REVS_BENCH)' $(COUNT) $(BENCHTIME) $(REVS)

# bench-simd: impl/archsimd beside impl/asm (GOEXPERIMENT=simd), Sum and
# LossGrad at N = 65536, every target kind and type, both γ, COUNT passes,
# built at GOAMD64=v1 and v3 (the compiler's scalar code differs there), into
# results/$(MACHINE)/archsimd-bench-v1.txt and -v3.txt with their benchstat tables.
SIMD_BENCH ?= ^Benchmark(Sum|LossGrad)$$/kernel=(asm|archsimd)-avx[0-9]*/n=65536/
.PHONY: bench-simd
bench-simd:
	mkdir -p $(RESULTS)
	for v in v1 v3; do \
		GOEXPERIMENT=simd GOAMD64=$$v $(GO) test -c -o $(RESULTS)/simd-$$v.test ./bench || exit 1; \
		echo "# github.com/focalkernels/focal at $$(git describe --always --dirty 2>/dev/null || echo unknown), make bench-simd GOAMD64=$$v COUNT=$(COUNT) BENCHTIME=$(BENCHTIME)" > $(RESULTS)/archsimd-bench-$$v.txt; \
	done
	for i in $$(seq $(COUNT)); do for v in v1 v3; do \
		echo "pass $$i of $(COUNT), GOAMD64=$$v" >&2; \
		$(RESULTS)/simd-$$v.test -test.run '^$$' -test.bench '$(SIMD_BENCH)' -test.benchtime $(BENCHTIME) -test.count 1 -test.timeout 0 >> $(RESULTS)/archsimd-bench-$$v.txt || exit 1; \
	done; done
	rm -f $(RESULTS)/simd-v1.test $(RESULTS)/simd-v3.test
	for v in v1 v3; do $(GO) tool benchstat -filter '.unit:sec/op' -col /kernel -row /targets,/gamma -table .name,/type $(RESULTS)/archsimd-bench-$$v.txt > $(RESULTS)/archsimd-benchstat-$$v.txt; done

report:
	$(GO) run -tags '$(BENCHTAGS)' ./cmd/focal report -out $(RESULTS)

# impl/asm: the assembly is generated by impl/asm/_asm (avo for amd64, its
# package neon for arm64; its own module). generate-check fails if
# regenerating changes the committed files, and runs the generator's tests
# (TestWords decodes every WORD of focal_arm64.s); CI runs it.
# sweep runs every finite float32 logit through every asm level against stable
# for hard targets, every 1024th for soft ones (about an hour on two cores);
# sweep-strided every 64th and every 4096th (soft), in about ten minutes.
# sweep64 runs every 2^40-th finite float64 bit pattern of either sign (16.8M
# logits) through every level's float64 functions, against stable and, on
# every 4096th, the math/big truth (a few minutes on two cores).
.PHONY: generate generate-check sweep sweep-strided sweep64
generate:
	cd impl/asm && $(GO) generate

generate-check: generate
	git diff --exit-code -- impl/asm
	cd impl/asm/_asm && $(GO) vet ./... && $(GO) test -count=1 ./...

sweep:
	mkdir -p results/$(MACHINE)
	$(GO) run ./internal/sweep/cmd/sweep -shift 0 -softshift 10 -o results/$(MACHINE)/sweep-full.txt

sweep-strided:
	mkdir -p results/$(MACHINE)
	$(GO) run ./internal/sweep/cmd/sweep -shift 6 -softshift 12 -o results/$(MACHINE)/sweep.txt

sweep64:
	mkdir -p results/$(MACHINE)
	$(GO) run ./internal/sweep/cmd/sweep -f64 -shift 40 -refshift 12 -o results/$(MACHINE)/sweep64.txt

# The AVX-512 levels of impl/asm and impl/archsimd (built with GOEXPERIMENT=simd)
# on an emulated CPU (Bochs), on any x86-64 machine, in one boot of about 20 minutes:
# see .ci/avx512-emu (AVX512_EMU_TESTFLAGS, AVX512_EMU_TIMEOUT, ...).
.PHONY: avx512-emu
avx512-emu:
	GOEXPERIMENT=simd GO=$(GO) .ci/avx512-emu ./impl/asm ./impl/archsimd

# asm-neon's speed as llvm-mca estimates it (qemu, which runs it here, is no
# timing model): cycles per element of the hard step of the Sum kernels on
# arm64 cores and of the x86 kernels on an x86 core, for calibration against
# a measured time; see .ci/neon-estimate and results/<machine>/neon.md.
.PHONY: neon-estimate
neon-estimate:
	.ci/neon-estimate
