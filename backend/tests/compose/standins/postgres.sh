# postgres:16-alpine: Debian bookworm's PostgreSQL 15 (the client tools included) and an
# entrypoint that initialises the data directory from POSTGRES_* as the official image does.
source "$(dirname "$0")/common.sh"
bootstrap bookworm postgresql-15,ca-certificates
# The package's post-install made a cluster of its own; the entrypoint makes ours in PGDATA.
rm -rf "$ROOTFS"/var/lib/postgresql/15 "$ROOTFS"/etc/postgresql/15
install -m 0755 "$(dirname "$0")/postgres-entrypoint.sh" "$ROOTFS/usr/local/bin/docker-entrypoint.sh"
finish
