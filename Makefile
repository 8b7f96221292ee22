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

race:
	$(GO) test -race ./...

cover:
	$(GO) test -coverprofile=cover.out ./...
	$(GO) tool cover -func=cover.out | tail -1
	$(GO) tool cover -html=cover.out -o cover.html

MACHINE ?= $(shell $(GO) run ./cmd/focal machine)

.PHONY: accuracy
accuracy:
	mkdir -p results/$(MACHINE)
	$(GO) run ./cmd/focal compare -time 0 > results/$(MACHINE)/accuracy.txt
	cat results/$(MACHINE)/accuracy.txt

# props/: property suite and fuzz targets (see props/doc.go).
# props-long runs every property with 100,000 cases and a random seed (FOCAL_PROPS_SEED=n reruns seed n).
# fuzz runs each fuzz target of props/ in turn for FUZZTIME (go test -fuzz takes one target per run).
PROPS_N ?= 100000
FUZZTIME ?= 10m
FUZZFLAGS ?=

.PHONY: props-long fuzz

props-long:
	FOCAL_PROPS_SEED=$${FOCAL_PROPS_SEED:-random} FOCAL_PROPS_N=$(PROPS_N) $(GO) test -count=1 -timeout 60m -run '^TestProps' ./props/

fuzz:
	@for t in $$($(GO) test -list '^Fuzz' ./props/ | grep '^Fuzz'); do \
		echo "== $$t ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $(FUZZFLAGS) ./props/ || exit 1; \
	done

# --- Benchmarks: bench/, focal report, focal choose (see README, "Benchmarks and choosing a kernel") ---
# make bench                 Sum and LossGrad, every kernel, COUNT passes into results/$(MACHINE)/bench.txt, then
#                            the benchstat tables (benchstat.txt, benchstat-sum-float32-64Ki.txt) and focal
#                            choose's verdicts (choose.txt) beside it
# make bench BENCH=Sum/kernel=asm COUNT=20 BENCHTIME=1s BENCHTAGS=     any regex, count, time; no C peer
# make benchcmp OLD=a.txt NEW=b.txt   benchstat before/after of a kernel change
# make report                go run ./cmd/focal report: report.md, speed.png, accuracy.png in results/$(MACHINE)
# The COUNT samples are COUNT passes over the whole matrix (one test binary, run COUNT times with
# -count 1), not COUNT runs in a row of each benchmark: a burst of load from another process then
# spreads over every kernel instead of landing on one, and the U test's samples are closer to independent.
BENCH ?= ^Benchmark(Sum|LossGrad)$$
BENCHTIME ?= 200ms
COUNT ?= 10
BENCHTAGS ?= cpeer
RESULTS ?= results/$(MACHINE)
BENCHSTAT_FLAGS ?= -col /kernel -row /n -table .name,/type,/gamma

.PHONY: bench benchcmp report
bench:
	mkdir -p $(RESULTS)
	$(GO) test -tags '$(BENCHTAGS)' -c -o $(RESULTS)/bench.test ./bench
	rm -f $(RESULTS)/bench.txt.tmp
	for i in $$(seq $(COUNT)); do \
		echo "pass $$i of $(COUNT)" >&2; \
		$(RESULTS)/bench.test -test.run '^$$' -test.bench '$(BENCH)' -test.benchtime $(BENCHTIME) -test.count 1 -test.timeout 0 >> $(RESULTS)/bench.txt.tmp || exit 1; \
	done
	rm -f $(RESULTS)/bench.test
	mv $(RESULTS)/bench.txt.tmp $(RESULTS)/bench.txt
	$(GO) tool benchstat $(BENCHSTAT_FLAGS) $(RESULTS)/bench.txt > $(RESULTS)/benchstat.txt
	$(GO) tool benchstat -filter '/n:65536 /gamma:2 /type:float32 .unit:sec/op' -col /kernel -row .name $(RESULTS)/bench.txt > $(RESULTS)/benchstat-sum-float32-64Ki.txt
	$(GO) run ./cmd/focal choose $(RESULTS)/bench.txt > $(RESULTS)/choose.txt
	@echo "wrote $(RESULTS)/bench.txt, benchstat.txt, benchstat-sum-float32-64Ki.txt, choose.txt"

benchcmp:
	@if [ -z "$(OLD)" ] || [ -z "$(NEW)" ]; then echo "usage: make benchcmp OLD=before.txt NEW=after.txt"; exit 2; fi
	$(GO) tool benchstat -row /n -table .name,/type,/gamma,/kernel $(OLD) $(NEW)

report:
	$(GO) run ./cmd/focal report -out $(RESULTS)
