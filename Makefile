# Tutorbase. `make run` builds and serves at http://127.0.0.1:8090 on
# ./pb_data (seeding the demo school on a fresh data dir); `make test` runs
# every test, installing what the tests need.

GO      ?= go
BIN     := bin/tutorbase
DATA    ?= ./pb_data
HTTP    ?= 127.0.0.1:8090

.PHONY: all build run seed test vet bench clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN) .

run: build
	@if [ ! -f $(DATA)/data.db ]; then \
		$(BIN) seed --demo --dir $(DATA); \
	else \
		echo "Using the existing $(DATA). Demo accounts (if seeded): make seed"; \
	fi
	$(BIN) serve --http $(HTTP) --dir $(DATA)

seed: build
	$(BIN) seed --demo --dir $(DATA)

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1)

test: vet
	$(GO) test -count=1 ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/...

clean:
	rm -rf bin
