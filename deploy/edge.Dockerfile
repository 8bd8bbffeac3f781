# The edge worker in local workerd, for networks not on Cloudflare yet (compose.yaml;
# docs/deploy.md states what it does not do). `wrangler dev` bundles edge/src and runs it in
# workerd with KV, Queues and Durable Objects simulated on SQLite under /data (persisted).
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
RUN npm install -g pnpm@10.34.8
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json ./
COPY shared/package.json shared/
COPY edge/package.json edge/
# wrangler and workerd are the edge's devDependencies, and they are its runtime here.
RUN pnpm install --frozen-lockfile --filter @tas/edge...
COPY shared shared
COPY edge edge
COPY wrangler.toml ./

FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The code stays root's, read-only to the worker's user. wrangler dev writes its bundles to
# .wrangler/tmp beside wrangler.toml, so only that folder (and /data) is the node user's: the
# image's first run failed with EACCES on mkdir /app/.wrangler/tmp, /app being root's.
COPY --from=build /src /app
RUN mkdir -p /data /app/.wrangler \
 && chown node:node /data /app/.wrangler
USER node
# The secrets (CLICK_ID_KEYS, INGEST_SIGNING_SECRET, CONFIG_SIGNING_SECRET) come from the
# container's environment, as .dev.vars gives them locally (CLOUDFLARE_INCLUDE_PROCESS_ENV).
ENV WRANGLER_SEND_METRICS=false \
    CLOUDFLARE_CF_FETCH_ENABLED=false \
    WRANGLER_LOG_PATH=/data/wrangler-logs \
    XDG_CONFIG_HOME=/data/config \
    WRANGLER_CACHE_DIR=/data/cache \
    CLOUDFLARE_INCLUDE_PROCESS_ENV=true
EXPOSE 8787
VOLUME ["/data"]
# HOST and PORT as in the other images: where wrangler dev listens (a container on the host's
# network takes a loopback address and a free port).
ENV HOST=0.0.0.0 \
    PORT=8787
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8787)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["sh", "-c", "exec edge/node_modules/.bin/wrangler dev --config wrangler.toml --ip ${HOST} --port ${PORT} --persist-to /data/state --var CONTROL_PLANE_URL:${CONTROL_PLANE_URL:-http://control-plane:8788} --var DEFAULT_FALLBACK_URL:${DEFAULT_FALLBACK_URL:-https://example.com/} --show-interactive-dev-session=false --log-level ${WRANGLER_LOG_LEVEL:-warn}"]
