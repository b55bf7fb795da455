# The portal's commands. `make help` lists them. CI (.ci/run) calls these same targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# Used by `make test-postgres`; override on the command line to point elsewhere.
PG_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ogp_portal
PG_REDIS_URL ?= redis://127.0.0.1:6379/1

.DEFAULT_GOAL := help
.PHONY: help install demo run worker beat demo-code test test-postgres lint fmt migrations-check messages bench bench-quick

help: ## List the commands
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(VENV)/.installed ## Create the virtualenv and install the pinned dependencies

demo: install ## Migrate, load demo data, start web + Celery worker + beat (Ctrl-C stops all)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo --quiet-logins
	@$(MANAGE) load_demo
	@echo
	@echo "  The portal:   http://127.0.0.1:8000/"
	@echo "  Admin:        http://127.0.0.1:8000/admin/ (secretariat login)"
	@echo "  Health:       http://127.0.0.1:8000/health/"
	@echo "  Public API:   http://127.0.0.1:8000/api/v1/ (docs: /api/v1/docs/)"
	@echo "  2FA code for the secretariat login: make demo-code"
	@echo "  E-mails (sign-up, password reset) are printed in this terminal."
	@echo
	$(BIN)/honcho --procfile Procfile.dev start

run: install ## Only the web server (development)
	$(MANAGE) runserver 127.0.0.1:8000

worker: install ## Only a Celery worker
	$(BIN)/celery -A ogp_portal worker --loglevel=INFO --concurrency=2

beat: install ## Only Celery beat
	$(BIN)/celery -A ogp_portal beat --loglevel=INFO

demo-code: install ## Print the demo secretariat's current two-factor code
	@$(MANAGE) demo_totp

lint: install migrations-check ## ruff (lint + format check), the migrations check, mypy, djLint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/djlint templates --lint

fmt: install ## Format and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install ## Fail if a model change has no migration
	DEBUG=true $(MANAGE) makemigrations --check --dry-run

test: lint ## Lint, then the whole test suite on SQLite with the embedded broker
	env -u DATABASE_URL -u REDIS_URL $(BIN)/pytest

test-postgres: install ## The same suite on PostgreSQL and Redis (PG_DATABASE_URL, PG_REDIS_URL)
	DATABASE_URL=$(PG_DATABASE_URL) REDIS_URL=$(PG_REDIS_URL) $(BIN)/pytest

messages: install ## Re-extract translatable strings and compile the catalogues
	DEBUG=true $(MANAGE) makemessages --all --ignore='.venv/*' --ignore='staticfiles/*'
	DEBUG=true $(MANAGE) compilemessages --ignore='.venv/*'

$(VENV)/.bench-installed: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	touch $@

# Full size: seeds ogp_bench once (about 10 min; re-runs reuse it), then every scenario.
# BENCH_SCALE, BENCH_DURATION, BENCH_DATABASE_URL, BENCH_REDIS_URL...: tests/perf/README.md
# Ends with the "two instances" section: a few scenarios on one instance, then on two behind
# HAProxy (BENCH_INSTANCES=1 leaves it out).
bench: $(VENV)/.bench-installed ## Load benchmarks against gunicorn + Celery (tests/perf/README.md)
	BENCH_INSTANCES=$${BENCH_INSTANCES:-2} $(BIN)/python tests/perf/run_bench.py

bench-quick: $(VENV)/.bench-installed ## The same at 1% scale with short runs (a few minutes)
	BENCH_SCALE=$${BENCH_SCALE:-0.01} BENCH_DURATION=$${BENCH_DURATION:-10} \
	BENCH_FLOOD_DURATION=$${BENCH_FLOOD_DURATION:-15} $(BIN)/python tests/perf/run_bench.py
