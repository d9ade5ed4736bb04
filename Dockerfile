# driftwatch: multi-stage build on Node 24 (LTS); the runtime image runs as a non-root user.
#
#   docker build -t driftwatch .                          # with the embedded engine (chDB, ~540 MB)
#   docker build -t driftwatch-server --build-arg ENGINE=none .   # server-only: ClickHouse via clickhouse.url
#
# The server-only image has no embedded engine: set clickhouse.url, and either rollups.database
# (rollups on the ClickHouse server) or rollups.enabled: false.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
ARG ENGINE=embedded
WORKDIR /app
COPY package.json package-lock.json ./
RUN if [ "$ENGINE" = "none" ]; then omit="--omit=optional"; else omit=""; fi \
 && npm ci --omit=dev $omit --no-audit --no-fund

FROM ${NODE_IMAGE}
# `container` tells driftwatch to listen on every interface by default (loopback would be unreachable).
ENV NODE_ENV=production container=oci
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY docs ./docs
COPY config/driftwatch.example.yaml ./config/
RUN useradd --system --uid 10001 --home-dir /var/lib/driftwatch --create-home driftwatch \
 && chown -R driftwatch /var/lib/driftwatch
USER driftwatch
WORKDIR /var/lib/driftwatch
# Alert state, the outbox and the embedded engine live here: mount a volume to keep them.
VOLUME /var/lib/driftwatch
EXPOSE 9464
# The port comes from the config (server.port), so a changed port keeps the check right.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD ["node", "/app/bin/driftwatch.js", "healthcheck", "--config", "/config/driftwatch.yaml"]
ENTRYPOINT ["node", "/app/bin/driftwatch.js", "run"]
CMD ["--config", "/config/driftwatch.yaml"]
