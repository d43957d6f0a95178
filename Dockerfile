# Tutorbase's container image (docs/operations.md, "Install with a container").
#   make docker     (docker build --build-arg VERSION=$(git describe) -t tutorbase:VERSION .)
# Build stage: the same static build as `make build` (deploy/build.sh).
FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN VERSION="$VERSION" OUT=/out/tutorbase sh deploy/build.sh && mkdir -p /out/pb_data

# Runtime: no shell, no package manager, CA certificates only; user
# 65532 (nonroot). The binary carries the web app and the time zones.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tutorbase /tutorbase
COPY --from=build --chown=65532:65532 /out/pb_data /pb_data
USER 65532:65532
VOLUME /pb_data
EXPOSE 8090
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["/tutorbase", "healthcheck", "--url", "http://127.0.0.1:8090/api/health"]
ENTRYPOINT ["/tutorbase"]
CMD ["serve", "--http", "0.0.0.0:8090", "--dir", "/pb_data"]
