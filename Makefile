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

.PHONY: run test lint format setup messages bench sample-pdf clean-venv

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
	@DJANGO_DEBUG=1 $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# A demo person's form and a blank paper form under var/, for a reviewer to open.
sample-pdf: setup
	DJANGO_DEBUG=1 $(BIN)/python manage.py sample_pdf --output-dir var

# Speed of the printed forms: seconds per form, pages per second, 200 forms in a batch.
bench: $(VENV)/.installed-dev
	mkdir -p var
	$(BIN)/python benchmarks/printing.py

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
