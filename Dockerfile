# imap-gateway: static release build in the official Swift image, run on Debian slim.
#
#   docker build -t imap-gateway .
#   docker run -p 8080:8080 -e IMAP_HOST=imap.example.com imap-gateway
#
# The binary is built with --static-swift-stdlib; the only shared libraries it needs beyond
# glibc/libstdc++ are OpenSSL's (libssl3). scripts/check-docker.sh verifies that against `ldd`.
#
# Package versions are not pinned (hadolint DL3008 is ignored on purpose): Debian stable
# replaces package versions with security updates and drops the old ones from the archive, so
# exact pins break the build within weeks. The base image tags pin the release (bookworm).

FROM swift:6.3-bookworm AS build
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so source edits do not refetch them.
COPY Package.swift Package.resolve[d] ./
RUN swift package resolve
COPY . .
RUN swift build -c release --static-swift-stdlib --product imap-gateway \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/imap-gateway" /out/imap-gateway \
    && install -D -m 0644 openapi.yaml /out/openapi.yaml

FROM debian:bookworm-slim
# libssl3: the only shared library the binary needs beyond the base image (see above).
# ca-certificates: to verify IMAP servers' certificates. curl: the HEALTHCHECK.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl libssl3 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 gateway \
    && useradd --system --uid 10001 --gid gateway --home-dir /nonexistent --no-create-home \
       --shell /usr/sbin/nologin gateway
COPY --from=build /out/imap-gateway /usr/local/bin/imap-gateway
COPY --from=build /out/openapi.yaml /app/openapi.yaml
WORKDIR /app

# Configuration through the environment; every variable has a matching `serve` flag.
# Passthrough auth (HTTP Basic = IMAP login) over plain HTTP on 0.0.0.0 is refused unless you
# terminate TLS here (TLS_CERT/TLS_KEY), use AUTH_MODE=account, or run behind a TLS proxy and
# set ALLOW_INSECURE_PASSTHROUGH=1.
ENV LISTEN=0.0.0.0:8080 \
    IMAP_HOST=imap \
    IMAP_TLS=implicit \
    AUTH_MODE=passthrough \
    POOL_PER_ACCOUNT=3 \
    POOL_GLOBAL=50 \
    LOG_FORMAT=json \
    LOG_LEVEL=info \
    OPENAPI_PATH=/app/openapi.yaml

# Numeric, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["/bin/sh", "-c", "curl -fsS \"http://127.0.0.1:${LISTEN##*:}/health\" > /dev/null || exit 1"]
ENTRYPOINT ["/usr/local/bin/imap-gateway"]
CMD ["serve"]
