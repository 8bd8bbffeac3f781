# The dashboard: `docker build -f deploy/dashboard.Dockerfile .` from the repository root.
# Stage 1 runs `react-router build` (build/server and build/client); stage 2 keeps the build and
# the production dependencies and serves it with react-router-serve (Express) as the `node` user.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
RUN npm install -g pnpm@10.34.8
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json ./
COPY shared/package.json shared/
COPY dashboard/package.json dashboard/
RUN pnpm install --frozen-lockfile --filter @tas/dashboard...
COPY shared shared
COPY dashboard dashboard
RUN pnpm --filter @tas/dashboard run build \
 && pnpm --filter @tas/dashboard deploy --prod --legacy /out

FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build /out/package.json ./package.json
COPY --from=build /out/node_modules ./node_modules
COPY --from=build /src/dashboard/build ./build
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/login').then(r=>process.exit(r.status<500?0:1),()=>process.exit(1))"
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "node_modules/@react-router/serve/bin.js", "build/server/index.js"]
