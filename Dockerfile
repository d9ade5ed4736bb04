# driftwatch: multi-stage build; the runtime image runs as a non-root user.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY config ./config
RUN useradd --system --uid 10001 --home /var/lib/driftwatch --create-home driftwatch \
 && mkdir -p /var/lib/driftwatch && chown driftwatch /var/lib/driftwatch
USER driftwatch
WORKDIR /var/lib/driftwatch
EXPOSE 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:9464/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
ENTRYPOINT ["node", "/app/bin/driftwatch.js", "run"]
CMD ["--config", "/config/driftwatch.yaml"]
