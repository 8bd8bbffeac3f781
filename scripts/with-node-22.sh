#!/usr/bin/env bash
# Runs a command with Node 22 LTS, the production runtime (deploy/*.Dockerfile), first on PATH:
# the control-plane and e2e suites run on it (decision 033). The binary comes from the npm
# registry's `node` package through npx's cache, so nothing is installed system-wide and the
# machine's own Node (20 here) keeps running everything else.
set -euo pipefail
node22="$(npx -y -p node@22 -c 'command -v node')"
node22="$(readlink -f "$node22")"
echo "with node $("$node22" -v): $*"
PATH="$(dirname "$node22"):$PATH"
export PATH
exec "$@"
