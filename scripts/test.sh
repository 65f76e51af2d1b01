#!/usr/bin/env bash
# The one test command. Installs and starts what the tests need, each step only when missing (a
# second run is quiet and quick): PostgreSQL 15 + pgvector (scripts/provision-postgres.sh),
# Debian's Chromium and chromedriver (the dashboard's browser test), Debian's Prometheus server
# (the scrape test runs its own instance on loopback ports). Then runs the whole suite; extra
# arguments go to Maven (bash scripts/test.sh -Plong).
#
# PULSE_TEST_JDBC_URL, when set, names the database to use instead of provisioning one.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "test: $*" >&2; }
. scripts/lib/apt.sh

if [ -z "${PULSE_TEST_JDBC_URL:-}" ]; then
  PULSE_TEST_JDBC_URL=$(bash scripts/provision-postgres.sh | tail -n 1)
fi
export PULSE_TEST_JDBC_URL

ensure_packages chromium chromium-driver

# The package would start a Prometheus of its own on :9090 for every interface; the tests need only
# the binary, so daemons are held back while it installs (Debian's policy-rc.d), and its
# recommendations (node exporter) are left out.
if ! dpkg-query -W -f='${Status}' prometheus 2>/dev/null | grep -q "install ok installed"; then
  log "installing prometheus (the server binary; its service is not started)"
  apt_update_once
  held=false
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
    held=true
    trap 'as_root rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >&2
  if [ "$held" = true ]; then
    as_root rm -f /usr/sbin/policy-rc.d
    trap - EXIT
  fi
fi

mvn -B -ntp verify "$@"
