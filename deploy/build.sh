#!/bin/sh
# The build of Tutorbase's binary, shared by `make build` and the
# Dockerfile's build stage: static (CGO_ENABLED=0, SQLite is pure Go),
# reproducible paths (-trimpath), the version stamped in (`tutorbase --version`).
#   VERSION  the version to stamp (default: git describe, else "dev")
#   OUT      where the binary goes (default: bin/tutorbase)
set -eu
VERSION="${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}"
OUT="${OUT:-bin/tutorbase}"
CGO_ENABLED=0 exec "${GO:-go}" build -trimpath -ldflags "-X main.version=${VERSION}" -o "$OUT" .
