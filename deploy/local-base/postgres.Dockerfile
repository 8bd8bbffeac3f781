# A stand-in for postgres:15-bookworm, made without a container registry (scripts/docker-local.sh):
# Debian's postgresql-15 on the debootstrap base, with an entrypoint that honours the official
# image's POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB and data folder, so compose.yaml's
# postgres service runs on either image unchanged. Build context: deploy/local-base.
ARG DEBIAN_IMAGE=tas-local/debian:bookworm
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh
VOLUME ["/var/lib/postgresql/data"]
EXPOSE 5432
# postgres stops with a fast shutdown on SIGINT (the official image's choice too).
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/postgres-entrypoint.sh"]
CMD ["postgres"]
