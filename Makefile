# Portal Layanan Pekerja Migran. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
MANAGE := $(PY) manage.py
# Both cores of the CI machine: each pytest-xdist worker has its own test database and Redis db.
# `--dist load` keeps pytest-django's order in each worker (transactional tests, which flush the
# reference data, after all the others); `loadfile` would run a file's flushes before another file.
TEST_WORKERS ?= 2

.DEFAULT_GOAL := help
.PHONY: help run prod css test lint fmt bench load fuzz worker beat messages makemessages install migrate demo

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml build-constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade 'pip>=25.3'
	$(PIP) install -q --build-constraint build-constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the portal with its dev tools

messages: $(STAMP) ## compile the translation catalogues (locale/*.po -> .mo)
	$(PY) scripts/compile_messages.py

makemessages: $(STAMP) ## refresh locale/*.po from the source (then translate, then `make messages`)
	$(PY) scripts/make_messages.py

migrate: messages
	DEBUG=$${DEBUG:-1} $(MANAGE) migrate --noinput

demo: migrate ## load regions and demo data (idempotent)
	DEBUG=$${DEBUG:-1} $(MANAGE) load_regions
	DEBUG=$${DEBUG:-1} $(PY) scripts/run_dev.py --seed-only

run: migrate ## set up and serve the portal on http://127.0.0.1:8000 with a Celery worker and beat
	DEBUG=$${DEBUG:-1} $(MANAGE) load_regions
	DEBUG=$${DEBUG:-1} $(PY) scripts/run_dev.py

prod: messages ## production shape on https://127.0.0.1:8443 (PROD_PORT): nginx TLS, gunicorn, workers, one beat
	$(PY) scripts/run_prod.py

css: $(STAMP) ## cut Bootstrap to the classes in use (PurgeCSS via npx) after template changes; commit the output
	$(PY) scripts/build_css.py

test: messages ## the whole suite on DATABASE_URL (TEST_WORKERS=2 processes; 0: one), and the SQLite leg
	@# The SQLite leg (the tests marked `sqlite`, again on `make run`'s default set-up) runs beside
	@# the main leg: it is mostly migrations on one core, in about 20 s. Its output comes after.
	@lite_log=$$(mktemp); \
	env -u DATABASE_URL -u DATABASE_REPLICA_URL -u REDIS_URL \
	  $(PY) -m pytest -m sqlite -q $(SQLITE_PYTEST_ARGS) >"$$lite_log" 2>&1 & lite=$$!; \
	$(PY) -m pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist load) $(PYTEST_ARGS); \
	main=$$?; wait $$lite; sqlite=$$?; \
	echo "--- SQLite leg (pytest -m sqlite on the default set-up): exit $$sqlite"; \
	cat "$$lite_log"; rm -f "$$lite_log"; \
	test $$main -eq 0 && test $$sqlite -eq 0

lint: $(STAMP) ## ruff, Django checks, migrations up to date, the layers contract, mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(MANAGE) check
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/lint-imports
	DEBUG=1 $(VENV)/bin/mypy

fmt: $(STAMP) ## format and autofix with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: migrate ## run every benchmark in bench/ (migrates DATABASE_URL first; PostgreSQL for real figures)
	$(PY) bench/run_all.py

load: messages ## load test on 127.0.0.1 + reconciliation (DATABASE_URL, REDIS_URL; LOAD_SECONDS=600 LOAD_USERS=20)
	$(PY) bench/load.py

fuzz: messages ## a long schemathesis run over the whole API
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-500} $(PY) -m pytest tests/test_api_fuzz.py -x

worker: $(STAMP) ## run a Celery worker (production: one or more)
	$(VENV)/bin/celery -A portal worker --loglevel=INFO

beat: $(STAMP) ## run Celery beat (production: exactly one)
	$(VENV)/bin/celery -A portal beat --loglevel=INFO
