# The control plane: `docker build -f deploy/control-plane.Dockerfile .` from the repository root.
# Stage 1 installs the workspace and bundles the server (esbuild.config.ts: first-party code and
# @tas/shared bundled, npm packages external); stage 2 keeps the bundle, the migrations and the
# production dependencies only, and runs as the unprivileged `node` user under tini.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
RUN npm install -g pnpm@10.34.8
# Manifests first: the install layer is reused until a dependency changes.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json ./
COPY shared/package.json shared/
COPY control-plane/package.json control-plane/
RUN pnpm install --frozen-lockfile --filter @tas/control-plane...
COPY shared shared
COPY control-plane control-plane
COPY drizzle drizzle
RUN pnpm --filter @tas/control-plane run build \
 && pnpm --filter @tas/control-plane deploy --prod --legacy /out

FROM ${NODE_IMAGE} AS runtime
# tini reaps zombies and forwards SIGTERM to node, which then shuts down gracefully
# (runtime/shutdown.ts). Set WITH_FFMPEG=1 for MP4 creatives (about 250 MB more).
ARG WITH_FFMPEG=0
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini $([ "$WITH_FFMPEG" = 1 ] && echo ffmpeg) \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8788 \
    CREATIVE_STORAGE_DIR=/data/creatives \
    SECRETS_DIR=/data/secrets
WORKDIR /app
COPY --from=build /out/package.json ./package.json
COPY --from=build /out/node_modules ./node_modules
COPY --from=build /src/control-plane/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8788
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8788)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--enable-source-maps", "dist/server.js"]
