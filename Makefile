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
