# LEV — the two commands: `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
PORT ?= 8000
# The test suite always runs against PostgreSQL and Redis.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/lev
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: install run test lint format messages bench system-packages services otp clean

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

messages: install
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

# Starts LEV with demo data on the embedded default (SQLite + the in-process job runner) unless
# DATABASE_URL / REDIS_URL are set, in which case the same code runs against PostgreSQL and Redis.
run: install
	@bash scripts/run.sh

# The current two-factor code of a demo account of `make run`: make otp ACCOUNT=leerkracht.regenboog
otp: install
	@test -n "$(ACCOUNT)" || { echo "usage: make otp ACCOUNT=username"; exit 2; }
	@test -s var/secret_key || { echo "Start LEV with 'make run' first."; exit 2; }
	@LEV_DEMO=true DJANGO_SECRET_KEY_FILE=var/secret_key $(PY) manage.py demo_otp "$(ACCOUNT)"

system-packages:
	@bash scripts/ensure-system-packages.sh

services:
	@bash scripts/ensure-services.sh

test: system-packages install services
	@DJANGO_SECRET_KEY=compile-only $(MAKE) --no-print-directory messages
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy lev communications incidents crisis misconduct escalation meldcode

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install services
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) bench/run.py

clean:
	rm -rf var/lev.sqlite3* var/static
