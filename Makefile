# HER2 mCRC treatment planner. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SYSTEM_PACKAGES := chromium chromium-driver poppler-utils fonts-dejavu-core fonts-liberation libpango-1.0-0 libpangoft2-1.0-0

FHIR_VALIDATOR := tests/fhir_validator

.PHONY: run worker test test-fast bench bench-scale lint install system-deps fhir-validator migrate demo loadtest clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Chromium (browser tests), poppler (PDF to PNG) and fonts (WeasyPrint), from Debian.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# The independent FHIR validator (Node.js): npm packages from the lockfile, then
# the mCODE 4.0.0 package checked against its pinned SHA-512. Debian's nodejs
# and npm are installed only when npm is missing.
$(FHIR_VALIDATOR)/node_modules/.installed: $(FHIR_VALIDATOR)/package-lock.json $(FHIR_VALIDATOR)/ig.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing system packages: nodejs npm"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }
	cd $(FHIR_VALIDATOR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

fhir-validator: $(FHIR_VALIDATOR)/node_modules/.installed
	cd $(FHIR_VALIDATOR) && node fetch-ig.mjs

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(PY) manage.py load_demo

# The PDF worker runs beside the server; Ctrl-C (or the server stopping) stops both.
run: system-deps demo
	@echo "Serving http://127.0.0.1:8000 with a PDF worker beside it; Ctrl-C stops both."
	DEBUG=1 $(PY) manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# A PDF worker alone (production runs these under a process manager: docs/operations.md).
worker: migrate
	$(PY) manage.py run_worker

# Tests keep Python's bytecode cache (__pycache__, ignored by git) even where the environment turns it off:
# every test worker and every process a test starts would otherwise compile the project again (~15 s a run).
PYTEST := PYTHONDONTWRITEBYTECODE= $(PY) -m pytest

test: system-deps install fhir-validator
	$(PYTEST)

# The inner loop: everything but the browser journeys (`make test` still runs them).
test-fast: install fhir-validator
	$(PYTEST) -m "not e2e"

bench: system-deps install
	$(PY) -m tests.bench

# 100,000 synthetic cases on PostgreSQL (SCALE_DATABASE_URL, default her2_scale on 127.0.0.1).
# Generated cases with migrations still to apply are refused: `$(PY) -m tests.bench.scale --reset` generates afresh (~4 min).
bench-scale: install
	$(PY) -m tests.bench.scale

loadtest: system-deps install
	$(PY) -m tests.bench.loadtest

lint: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache .hypothesis $(FHIR_VALIDATOR)/node_modules $(FHIR_VALIDATOR)/ig
