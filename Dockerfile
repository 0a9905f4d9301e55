# syntax=docker/dockerfile:1

# Build: cgo is on because the SQLite driver (mattn/go-sqlite3) is C.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/parley .

# Run: the same Debian release as the builder, so the binary's glibc matches.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin parley \
    && mkdir -p /data && chown parley:parley /data
COPY --from=build /out/parley /usr/local/bin/parley
ENV PARLEY_DB=/data/parley.db \
    PARLEY_ADDR=0.0.0.0:8080
VOLUME /data
EXPOSE 8080
USER parley:parley
WORKDIR /data
# The slim image has no curl: the binary checks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 CMD ["parley", "healthcheck"]
ENTRYPOINT ["parley"]
CMD ["serve"]
