# Tutorbase. `make run` builds and serves at http://127.0.0.1:8090 on
# ./pb_data (seeding the demo school on a fresh data dir); `make test` runs
# every test, installing what the tests need.

GO      ?= go
BIN     := bin/tutorbase
DATA    ?= ./pb_data
HTTP    ?= 127.0.0.1:8090

# Tools the tests run for real (an SMTP server, mailpit; Stripe's API mock,
# stripe-mock) and the linter (staticcheck), installed into .tools/bin with
# go install.
TOOLS := $(CURDIR)/.tools/bin
export PATH := $(TOOLS):$(PATH)

.PHONY: all build run seed test vet bench clean tools webapp-vendor e2e e2e-deps screenshots cover debian-tools drill docker soak realtime

all: build

build:
	GO=$(GO) OUT=$(BIN) sh deploy/build.sh

# The container image (Dockerfile; needs a Docker daemon).
docker:
	docker build --build-arg VERSION=$$(git describe --tags --always --dirty 2>/dev/null || echo dev) -t tutorbase:latest .

run: build
	@if [ ! -f $(DATA)/data.db ]; then \
		$(BIN) seed --demo --dir $(DATA); \
	else \
		echo "Using the existing $(DATA) (a demo school's accounts are printed once it serves)."; \
	fi
	$(BIN) serve --http $(HTTP) --dir $(DATA)

seed: build
	$(BIN) seed --demo --dir $(DATA)

vet: $(TOOLS)/staticcheck
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1)
	staticcheck ./...


tools: $(TOOLS)/mailpit $(TOOLS)/stripe-mock $(TOOLS)/staticcheck $(TOOLS)/litestream

$(TOOLS)/mailpit:
	GOBIN=$(TOOLS) $(GO) install github.com/axllent/mailpit@v1.33.1

$(TOOLS)/stripe-mock:
	GOBIN=$(TOOLS) $(GO) install github.com/stripe/stripe-mock@v0.203.0

$(TOOLS)/staticcheck:
	GOBIN=$(TOOLS) $(GO) install honnef.co/go/tools/cmd/staticcheck@v0.8.2

# Litestream, the continuous replication of data.db (deploy/litestream.yml).
$(TOOLS)/litestream:
	GOBIN=$(TOOLS) $(GO) install github.com/benbjohnson/litestream/cmd/litestream@v0.5.18

# Statement coverage of every package by the whole suite (-coverpkg), with
# the packages under their target (internal/ 90 %, jobs 85 %) flagged.
cover: tools debian-tools
	@mkdir -p bin
	TB_REQUIRE_TOOLS=1 $(GO) test -count=1 -timeout 30m -coverpkg=./internal/...,./jobs/...,./hooks/...,./cmd/... -coverprofile=bin/cover.out ./...
	$(GO) build -o bin/covertable ./tools/covertable
	bin/covertable bin/cover.out

test: vet tools debian-tools
	TB_REQUIRE_TOOLS=1 $(GO) test -count=1 -timeout 30m ./...
	$(MAKE) drill
	$(MAKE) e2e

# The restore drill (docs/operations.md): bookings under load while
# Litestream replicates to a file replica, the server and Litestream killed
# with SIGKILL, the replica restored into a new data dir and served; fails
# when a booking acknowledged more than 5 s before the kill is missing or
# the copy fails PRAGMA integrity_check. Prints the loss and restore time.
drill: build $(TOOLS)/litestream
	$(GO) build -o bin/loadtest ./bench/loadtest
	bin/loadtest -phases drill -scale=false -bookings 2000 -tutors 20 -students 200 -busy 0 -clients 8 -duration 10s \
		-litestream $(TOOLS)/litestream -litestream-config deploy/litestream.yml -out bin/drill.md

# The web app (pb_public) needs no build step; its dependencies, the
# PocketBase JS SDK and zxcvbn (the password strength estimator the server
# runs as its Go port), are pinned in e2e/package.json and copied
# (committed) into pb_public/vendor by this target. zxcvbn ships as a UMD
# bundle: it is wrapped into an ES module here.
webapp-vendor:
	cd e2e && npm ci --no-audit --no-fund
	sed '/^\/\/# sourceMappingURL=/d' e2e/node_modules/pocketbase/dist/pocketbase.es.mjs > pb_public/vendor/pocketbase.es.mjs
	{ printf '// zxcvbn 4.4.2 (MIT, Dropbox), wrapped as an ES module by make webapp-vendor.\nconst module = { exports: {} }; const exports = module.exports;\n'; \
	  sed '/^\/\/# sourceMappingURL=/d' e2e/node_modules/zxcvbn/dist/zxcvbn.js; \
	  printf '\nexport default module.exports;\n'; } > pb_public/vendor/zxcvbn.mjs

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian's tools the tests read documents back with: pdftotext
# (poppler-utils) for the invoice PDFs, xmllint (libxml2-utils) to validate
# the FatturaPA files against their schema.
debian-tools:
	@if ! command -v pdftotext >/dev/null || ! command -v xmllint >/dev/null; then \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends poppler-utils libxml2-utils; \
	fi

# Headless Chromium (Debian's) and the npm packages of the browser tests.
e2e-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; \
	fi
	cd e2e && npm ci --no-audit --no-fund

# End-to-end tests of the web app in headless Chromium against a real server
# on a temp data dir (see docs/webapp.md).
e2e: e2e-deps debian-tools build
	$(GO) build -o bin/fakegoogle ./testkit/fakegoogle/cmd/fakegoogle
	node e2e/run.mjs

# Screenshots of the main pages, desktop and phone, into docs/screenshots/.
screenshots: e2e-deps build
	node e2e/screenshots.mjs

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/...
	$(GO) test -run '^$$' -bench 'Search|Match|Busy' -benchtime 300x ./hooks/
	PATH=$(TOOLS):$$PATH $(GO) test -run '^$$' -bench EmailDeliveries -benchtime 20x ./hooks/
	$(GO) test -run '^$$' -bench 'Reports' -benchtime 20x ./hooks/
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN) .
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/plainpb ./bench/plainpb
	$(GO) build -o bin/loadtest ./bench/loadtest
	bin/loadtest -tutorbase $(BIN) -plain bin/plainpb -out $(or $(BENCH_OUT),bench/results.md) $(BENCH_FLAGS)

# The soak (not in make test; docs/benchmarks.md): 30 minutes (SOAK=2m for a
# short run) of mixed load at 30 % of capacity with the jobs running;
# memory, goroutines, open files, WAL and p95 sampled every 10 s, their
# slopes reported.
soak: build
	$(GO) build -o bin/loadtest ./bench/loadtest
	bin/loadtest -phases soak -scale=false -soak $(or $(SOAK),30m) -out $(or $(SOAK_OUT),bin/soak.md) $(SOAK_FLAGS)

# Realtime fan-out (not in make test; docs/scaling.md): 2,000 SSE clients
# subscribed as the web app's calendar page (my/bookings, my/notifications,
# my/messages; REALTIME_FLAGS='-realtime-topics bookings/*' as before) on
# Tutorbase, then to bookings/* on plain PocketBase, while the
# connected students book 5 lessons a second for 30 s; delivery latency and
# server memory reported.
realtime: build
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/plainpb ./bench/plainpb
	$(GO) build -o bin/loadtest ./bench/loadtest
	bin/loadtest -phases realtime,plain-realtime -scale=false -duration 30s -out $(or $(REALTIME_OUT),bin/realtime.md) $(REALTIME_FLAGS)

clean:
	rm -rf bin
