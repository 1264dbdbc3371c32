# OCOP Hub: `make run` serves the platform with demo data; `make test` runs everything.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
export DJANGO_SETTINGS_MODULE := ocophub.settings

.PHONY: run test setup venv messages lint format test-sqlite test-postgres system-deps bench fuzz clean

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

venv: $(VENV)/.installed

messages: venv
	$(PY) scripts/compile_messages.py

setup: venv messages
	mkdir -p var
	$(PY) manage.py setup_platform --demo
	$(PY) manage.py collectstatic --noinput --verbosity 0

# Links in QR codes, labels and emails point at the address being served.
# The task worker runs beside gunicorn and is stopped when gunicorn ends (Ctrl+C).
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: setup
	@$(PY) scripts/print_demo_logins.py $(HOST) $(PORT)
	$(PY) manage.py db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	$(VENV)/bin/gunicorn ocophub.wsgi:application --bind $(HOST):$(PORT) \
		--workers $${WEB_WORKERS:-3} --threads 4 --access-logfile - --forwarded-allow-ips '*'

# Style, the layers contract, type hints, and no model change without its migration.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

system-deps:
	@bash scripts/system-deps.sh

test-sqlite: venv messages
	OCOP_VAR_DIR=$$(mktemp -d) $(VENV)/bin/pytest

# No persistent connections in tests: each live-server request runs in a thread of its
# own, and connections kept for CONN_MAX_AGE pile up towards PostgreSQL's limit.
test-postgres: venv messages
	CONN_MAX_AGE=0 bash scripts/with-postgres.sh bash scripts/with-redis.sh $(VENV)/bin/pytest

test: system-deps lint test-sqlite test-postgres

# A longer Schemathesis run over every API operation than the one in the suite.
fuzz: venv messages
	OCOP_VAR_DIR=$$(mktemp -d) SCHEMATHESIS_EXAMPLES=$${SCHEMATHESIS_EXAMPLES:-50} \
		$(VENV)/bin/pytest ocophub/core/tests/test_api_schema_fuzz.py

bench: venv
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
