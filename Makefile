# make run   — set everything up and serve the portal on http://127.0.0.1:8000/
# make test  — run the whole test suite
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The newest python3 (>= 3.11) that actually runs here.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; done)

.PHONY: run serve test lint format setup messages bench bench-printing sample-pdf loadtest clean-venv

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer with venv is required" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

setup: $(VENV)/.installed
	mkdir -p var
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_framework
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo --if-empty

run: setup
	@echo
	@echo "  Competency portal: http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password demo-2569):"
	@echo "    hr.demo     HR officer (rounds, people, finalising)"
	@echo "    head.demo   division head who rates her team"
	@echo "    staff.demo  member of staff (self-assessment)"
	@echo "  A task worker runs beside the server (batch printing)."
	@echo
	@export DJANGO_DEBUG=1 PORTAL_URL="$${PORTAL_URL:-http://$(HOST):$(PORT)}"; \
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production on this machine (README, "Deploy"): debug off, against DATABASE_URL; migrates,
# collects the static files and loads the framework, then serves with gunicorn
# (deploy/gunicorn.conf.py) on $(HOST):$(PORT) beside a task worker, both logging to stdout.
serve: export DJANGO_DEBUG := 0
serve: $(VENV)/.installed
	@test -n "$$DATABASE_URL" || { echo "make serve: set DATABASE_URL, e.g. postgres://portal@127.0.0.1:5432/portal" >&2; exit 1; }
	@test -n "$$DJANGO_SECRET_KEY" || { echo "make serve: set DJANGO_SECRET_KEY, e.g. to the output of: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'" >&2; exit 1; }
	mkdir -p var/media
	PORTAL_DB_STATEMENT_TIMEOUT=0 $(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input
	$(BIN)/python manage.py load_framework
	@exec 2>&1; $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/gunicorn competency_portal.wsgi --config deploy/gunicorn.conf.py --bind $(HOST):$(PORT)

# A demo person's form and a blank paper form under var/, for a reviewer to open.
sample-pdf: setup
	DJANGO_DEBUG=1 $(BIN)/python manage.py sample_pdf --output-dir var

# Speed of the printed forms: seconds per form, pages per second, 200 forms in a batch.
# The portal's figures against their budgets (issue 14), sizes side by side; SQLite, or the
# PostgreSQL server DATABASE_URL names. bench-printing: the printed forms' own benchmark.
SIZES ?= 1000
REPEAT ?= 15
bench: $(VENV)/.installed-dev
	mkdir -p var
	$(BIN)/python benchmarks/portal.py --sizes "$(SIZES)" --repeat $(REPEAT)

bench-printing: $(VENV)/.installed-dev
	mkdir -p var
	$(BIN)/python benchmarks/printing.py

# The portal under load: gunicorn (4 workers) on PostgreSQL on loopback, 50 users saving while
# 8 clients guess passwords; figures and "0 lost" (docs/reliability.md). Not part of `test`.
loadtest: $(VENV)/.installed
	$(BIN)/python -m loadtest.run

test: $(VENV)/.installed-dev
	mkdir -p var
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(VENV)/.installed-dev
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l th --no-location --ignore=.venv --ignore=var
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages -l th --ignore=.venv

clean-venv:
	rm -rf $(VENV)
