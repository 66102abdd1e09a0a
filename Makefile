# Binôme: `make run` serves the demo on SQLite; `make test` runs every check and the whole suite.
SHELL := /bin/bash
PYTHON := $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# The settings refuse to start without SECRET_KEY: the demo and the checks sign with a key of
# this clone's own, made once, kept in .secret_key (out of git, readable by its owner only).
# A SECRET_KEY already in the environment wins; a production server always sets its own.
ifeq ($(strip $(SECRET_KEY)),)
SECRET_KEY := $(shell test -s .secret_key || (umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > .secret_key); cat .secret_key)
endif
export SECRET_KEY

.PHONY: run serve-prod test check install messages translations chromium bench clean

$(BIN)/activate:
	@test -n "$(PYTHON)" || { echo "Python 3.12+ is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

# Installing compiles the translations too: a fresh clone runs `pytest` right after it.
install: $(VENV)/.installed
	$(BIN)/python scripts/translations.py compile

translations: install

run: install translations
	$(MANAGE) migrate --noinput --verbosity 0
	$(MANAGE) load_demo
	@echo
	@echo "Binôme is starting on http://$(HOST):$(PORT)/  (stop it with Ctrl+C)"
	$(MANAGE) demo_logins
	@# The task worker runs beside the server: matching runs, and the e-mail job (reminders,
	@# check-ins…) it enqueues every minute, printing the e-mails with the console backend; the
	@# trap stops it when the server stops (Ctrl+C).
	@# --insecure: serve /static/ from runserver although DEBUG stays off (no tracebacks shown).
	$(MANAGE) db_worker --verbosity 0 & job=$$!; \
	trap 'kill $$job 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver --insecure $(HOST):$(PORT)

# The production profile on this machine (README, "Running in production"): gunicorn, DEBUG off,
# static files collected, hashed and compressed; workers from WEB_CONCURRENCY and WEB_THREADS.
serve-prod: install translations
	$(MANAGE) migrate --noinput --verbosity 0
	STATIC_COLLECTED=true $(MANAGE) collectstatic --noinput --verbosity 0
	STATIC_COLLECTED=true HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn -c config/gunicorn.py config.wsgi

chromium:
	@scripts/ensure-chromium

check: install translations
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy .
	$(MANAGE) makemigrations --check --dry-run --verbosity 1
	$(BIN)/python scripts/translations.py check
	$(BIN)/pytest -n 2 --dist loadgroup

test: chromium check

# For developers: collect new strings into the .po files (needs GNU gettext's xgettext).
messages: install
	$(MANAGE) makemessages --all --no-location --ignore '.venv/*' --ignore 'matching_engine/*' --ignore 'bench/*'

bench: install
	$(BIN)/python bench/import.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
