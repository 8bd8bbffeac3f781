#!/bin/sh
# Entrypoint of the local Postgres stand-in (postgres.Dockerfile). On an empty data folder it
# creates the cluster with POSTGRES_USER as superuser (password POSTGRES_PASSWORD, scram-sha-256
# over TCP) and POSTGRES_DB, as the official image does; then it runs the server as `postgres`.
# PGPORT, when set, is the port the server listens on (host networking picks one that is free).
set -eu
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ "${1:-}" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
  user="${POSTGRES_USER:-postgres}"
  db="${POSTGRES_DB:-$user}"
  pwfile="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb --username="$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  # Clients come over the network from other containers: every address, with the password.
  printf 'host all all all scram-sha-256\n' >> "$PGDATA/pg_hba.conf"
  if [ "$db" != postgres ]; then
    pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
    createdb --username="$user" "$db"
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  fi
  echo "postgres-entrypoint: created the cluster, user $user, database $db"
fi
if [ "${1:-}" = postgres ]; then
  shift
  exec postgres -c listen_addresses="${POSTGRES_LISTEN_ADDRESSES:-*}" "$@"
fi
exec "$@"
