#!/usr/bin/env bash
# Serve the portal for `make run`, printing the demo accounts first. With REDIS_URL set, a Celery
# worker and beat run beside the web server and stop with it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

if [ -n "${REDIS_URL:-}" ]; then
  .venv/bin/celery -A config worker --loglevel=INFO --concurrency=2 &
  .venv/bin/celery -A config beat --loglevel=INFO --schedule="${TMPDIR:-/tmp}/portal-celerybeat-schedule" &
  trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
  echo "Celery worker and beat started on ${REDIS_URL}."
else
  echo "No REDIS_URL: background tasks run in-process."
fi

$PY manage.py demo_accounts
echo "Serving on http://${HOST}:${PORT}/ (Ctrl+C to stop)"
$PY manage.py runserver "${HOST}:${PORT}"
