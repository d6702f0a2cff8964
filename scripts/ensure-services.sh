#!/usr/bin/env bash
# Make sure the services `make test` will use are there: PostgreSQL at DATABASE_URL and Redis at REDIS_URL (the
# Makefile passes TEST_DATABASE_URL / TEST_REDIS_URL unless those are set), starting local ones that are
# installed but stopped, and Debian's Chromium and DejaVu fonts, installed if missing. Anything that cannot be
# had stops the run with one line naming it. With SENTINEL_KEY set, leaves that key in the Redis database for
# `make test` to find again after the suite (scripts/redis_sentinel.py).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

fail() { echo "make test: $*" >&2; exit 1; }

: "${DATABASE_URL:?make test: DATABASE_URL is not set (the Makefile sets it from TEST_DATABASE_URL)}"
: "${REDIS_URL:?make test: REDIS_URL is not set (the Makefile sets it from TEST_REDIS_URL)}"

# "host port url" of a service URL: the port defaulted, the password hidden in the url shown in messages.
url_parts() {
  "$PY" - "$1" "$2" <<'PY'
import sys
from urllib.parse import urlsplit

url = urlsplit(sys.argv[1])
shown = url._replace(netloc=url.netloc.replace(f":{url.password}@", ":***@")) if url.password else url
print(url.hostname or "localhost", url.port or sys.argv[2], shown.geturl())
PY
}
read -r db_host db_port db_url < <(url_parts "$DATABASE_URL" 5432 2>/dev/null) \
  || fail "DATABASE_URL is not a URL that names a host and port: check TEST_DATABASE_URL or DATABASE_URL."
read -r redis_host redis_port redis_url < <(url_parts "$REDIS_URL" 6379 2>/dev/null) \
  || fail "REDIS_URL is not a URL that names a host and port: check TEST_REDIS_URL or REDIS_URL."

is_local() { case "$1" in localhost | 127.* | ::1) return 0 ;; *) return 1 ;; esac; }
wait_for() { for _ in $(seq 1 30); do "$@" && return 0; sleep 1; done; return 1; }

postgres_up() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$db_host" -p "$db_port"
  else
    timeout 2 bash -c "exec 3<>/dev/tcp/$db_host/$db_port" 2>/dev/null
  fi
}

redis_up() {
  "$PY" -c 'import sys, redis; redis.Redis.from_url(sys.argv[1], socket_timeout=2).ping()' "$REDIS_URL" 2>/dev/null
}

if ! postgres_up; then
  if is_local "$db_host" && command -v pg_lsclusters >/dev/null 2>&1; then
    # The installed cluster that listens on that port.
    cluster=$(pg_lsclusters --no-header 2>/dev/null | awk -v port="$db_port" '$3 == port {print $1, $2; exit}')
    if [ -n "$cluster" ]; then
      echo "Starting PostgreSQL $cluster on port $db_port..."
      # shellcheck disable=SC2086 # "version name"
      pg_ctlcluster --skip-systemctl-redirect $cluster start >/dev/null 2>&1 || true
      wait_for postgres_up || true
    fi
  fi
  postgres_up || fail "PostgreSQL is not reachable at $db_url and no local one could be started (install postgresql, or set TEST_DATABASE_URL or DATABASE_URL)."
fi

if ! redis_up; then
  if is_local "$redis_host" && command -v redis-server >/dev/null 2>&1; then
    echo "Starting Redis on port $redis_port..."
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$redis_port" --save "" --appendonly no \
      --dir "${TMPDIR:-/tmp}" --logfile "${TMPDIR:-/tmp}/redis-$redis_port.log" >/dev/null 2>&1 || true
    wait_for redis_up || true
  fi
  redis_up || fail "Redis is not reachable at $redis_url and no local one could be started (install redis-server, or set TEST_REDIS_URL or REDIS_URL)."
fi

# Debian packages the suite needs: Chromium for the browser tests, DejaVu for the issued PDFs.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}..."
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null \
      || fail "could not install Debian packages: ${missing[*]} (apt-get install ${missing[*]})."
  else
    fail "missing Debian packages: run 'sudo apt-get install ${missing[*]}'."
  fi
fi

if [ -n "${SENTINEL_KEY:-}" ]; then
  "$PY" scripts/redis_sentinel.py set "$SENTINEL_KEY"
fi
