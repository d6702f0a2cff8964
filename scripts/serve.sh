#!/usr/bin/env bash
# Serve the portal for `make run`, printing the demo accounts first. With REDIS_URL set, a Celery
# worker and beat run beside the web server and stop with it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"

# The QR codes and links of issued documents point to the address being served (unless set otherwise). A
# wildcard address is no place to go back to: this machine's first address stands for it.
public_host="$HOST"
if [ "$HOST" = 0.0.0.0 ]; then
  public_host="$(hostname -I 2>/dev/null | awk '{print $1}')"
fi
export PORTAL_BASE_URL="${PORTAL_BASE_URL:-http://${public_host:-127.0.0.1}:${PORT}}"

if [ -n "${REDIS_URL:-}" ]; then
  # The beat's schedule file belongs to this checkout (another checkout's beat keeps its own).
  mkdir -p .celery
  .venv/bin/celery -A config worker --loglevel=INFO --concurrency=2 &
  .venv/bin/celery -A config beat --loglevel=INFO --schedule=.celery/beat-schedule &
  trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
  echo "Celery worker and beat started on ${REDIS_URL}."
else
  echo "No REDIS_URL: background tasks run in-process."
fi

$PY manage.py demo_accounts
echo "Serving on http://${HOST}:${PORT}/ (Ctrl+C to stop)"
$PY manage.py runserver "${HOST}:${PORT}"
