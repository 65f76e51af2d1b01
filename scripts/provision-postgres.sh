#!/usr/bin/env bash
# Makes PostgreSQL 15 with pgvector available on 127.0.0.1:5432 for Pulse's tests and demo,
# then prints the JDBC URL it serves on the last line of stdout.
#
# Debian bookworm ships no pgvector package, so the extension is built from Debian's own
# source package (trixie) against postgresql-server-dev-15. Every step checks first and
# does nothing when already done, so a second run takes well under a second.
#
# Settings (environment): PULSE_PG_USER, PULSE_PG_PASSWORD, PULSE_PG_DB (default pulse/pulse/pulse).
set -euo pipefail

PG_MAJOR=15
PG_USER=${PULSE_PG_USER:-pulse}
PG_PASSWORD=${PULSE_PG_PASSWORD:-pulse}
PG_DB=${PULSE_PG_DB:-pulse}
PG_PORT=5432
BUILD_DIR=/var/tmp/pulse-pgvector-build
SRC_LIST=/etc/apt/sources.list.d/pulse-trixie-src.list

log() { echo "provision-postgres: $*" >&2; }

# as_root, as_postgres, apt_update_once, ensure_packages (they call log)
. "$(dirname "$0")/lib/apt.sh"

ensure_pgvector() {
  if [ -f "/usr/share/postgresql/$PG_MAJOR/extension/vector.control" ]; then
    return
  fi
  ensure_packages "postgresql-server-dev-$PG_MAJOR" build-essential dpkg-dev
  if [ ! -f "$SRC_LIST" ]; then
    log "adding a deb-src entry for trixie (source only: no binary package comes from it)"
    echo "deb-src http://deb.debian.org/debian trixie main" | as_root tee "$SRC_LIST" >/dev/null
    apt_updated=false
  fi
  apt_update_once
  as_root rm -rf "$BUILD_DIR"
  as_root mkdir -p "$BUILD_DIR"
  log "building pgvector from Debian's source package"
  (cd "$BUILD_DIR" && as_root apt-get source -qq pgvector >&2)
  local src
  src=$(find "$BUILD_DIR" -maxdepth 1 -mindepth 1 -type d -name 'pgvector-*' | head -n 1)
  [ -n "$src" ] || { log "apt-get source pgvector produced no source tree"; exit 1; }
  (cd "$src" && as_root make -s PG_CONFIG="/usr/lib/postgresql/$PG_MAJOR/bin/pg_config" >&2 \
    && as_root make -s install PG_CONFIG="/usr/lib/postgresql/$PG_MAJOR/bin/pg_config" >&2)
}

ensure_cluster_running() {
  if ! pg_lsclusters -h 2>/dev/null | awk -v v="$PG_MAJOR" '$1==v && $2=="main"' | grep -q .; then
    log "creating cluster $PG_MAJOR/main"
    as_root pg_createcluster "$PG_MAJOR" main >&2
  fi
  if ! pg_lsclusters -h | awk -v v="$PG_MAJOR" '$1==v && $2=="main" {print $4}' | grep -q online; then
    log "starting cluster $PG_MAJOR/main"
    as_root pg_ctlcluster "$PG_MAJOR" main start >&2
  fi
  for _ in $(seq 1 50); do
    as_postgres psql -p "$PG_PORT" -qAtc 'select 1' >/dev/null 2>&1 && return
    sleep 0.2
  done
  log "PostgreSQL did not accept connections; see /var/log/postgresql/postgresql-$PG_MAJOR-main.log"
  exit 1
}

ensure_role_and_database() {
  local psql=(as_postgres psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -qAt)
  # The test role is not a superuser; it may cancel/terminate backends (error firewall tests)
  # and create databases. The vector extension is created by the superuser.
  if [ "$("${psql[@]}" -c "select 1 from pg_roles where rolname = '$PG_USER'")" != 1 ]; then
    log "creating role $PG_USER"
    "${psql[@]}" -c "create role \"$PG_USER\" login createdb password '$PG_PASSWORD'" >/dev/null
  else
    "${psql[@]}" -c "alter role \"$PG_USER\" login password '$PG_PASSWORD'" >/dev/null
  fi
  "${psql[@]}" -c "grant pg_signal_backend to \"$PG_USER\"" >/dev/null
  if [ "$("${psql[@]}" -c "select 1 from pg_database where datname = '$PG_DB'")" != 1 ]; then
    log "creating database $PG_DB"
    "${psql[@]}" -c "create database \"$PG_DB\" owner \"$PG_USER\"" >/dev/null
  fi
  "${psql[@]}" -d "$PG_DB" -c "create extension if not exists vector" >/dev/null
}

check_login() {
  PGPASSWORD="$PG_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -qAt \
    -c "select extversion from pg_extension where extname = 'vector'"
}

main() {
  local version
  if version=$(check_login 2>/dev/null) && [ -n "$version" ]; then
    log "already provisioned (pgvector $version)"
  else
    ensure_packages "postgresql-$PG_MAJOR" "postgresql-client-$PG_MAJOR"
    ensure_pgvector
    ensure_cluster_running
    ensure_role_and_database
    version=$(check_login) || { log "cannot log in as $PG_USER over 127.0.0.1"; exit 1; }
    log "ready (pgvector $version)"
  fi
  echo "jdbc:postgresql://127.0.0.1:$PG_PORT/$PG_DB?user=$PG_USER&password=$PG_PASSWORD"
}

main "$@"
