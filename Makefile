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

.PHONY: run serve-prod test check install lock audit messages translations chromium bench clean

$(BIN)/activate:
	@test -n "$(PYTHON)" || { echo "Python 3.12+ is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Every dependency, the development tools included, comes from requirements.lock: exact versions,
# each file checked against its hash. `make lock` writes it from pyproject.toml. `pip check` fails
# when pyproject.toml asks for what the lock lacks (a dependency added without `make lock`).
LOCK := requirements.lock
UV := $(BIN)/uv

$(VENV)/.installed: $(LOCK) pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@$(BIN)/python -m pip check >/dev/null || { $(BIN)/python -m pip check; \
	  echo "$(LOCK) lacks what pyproject.toml asks for: run make lock"; exit 1; }
	@touch $@

# The tool that writes the lock (uv), pinned by hash too, in the project's virtualenv.
$(UV): scripts/uv-requirements.txt | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --require-hashes -r scripts/uv-requirements.txt
	@touch $@

# The lock holds every platform's files, for Python 3.12 and newer. It keeps the versions already
# locked that still fit pyproject.toml; `make lock UPGRADE=1` takes the newest that fit.
lock: $(UV)
	$(UV) pip compile pyproject.toml --extra dev --universal --python-version 3.12 \
	  --generate-hashes --custom-compile-command "make lock" --quiet \
	  $(if $(UPGRADE),--upgrade) --output-file $(LOCK)

# Known vulnerabilities of every locked version, from PyPI's advisory database (needs access to
# it). --strict: a package that could not be checked fails the audit instead of passing unseen.
audit: $(UV)
	$(UV) tool run --from pip-audit==2.10.1 pip-audit --strict --disable-pip --requirement $(LOCK)

# Installing compiles the translations too: a fresh clone runs `pytest` right after it. And the
# bytecode, which an editable install leaves to the first import: where PYTHONDONTWRITEBYTECODE
# is set, every run would compile the sources again (25 ms of the engine's 0.3 s at 1,000 people).
install: $(VENV)/.installed
	$(BIN)/python scripts/translations.py compile
	$(BIN)/python -m compileall -q -j 0 matching_engine binome config

translations: install

# Links in the demo's e-mails point at the address the server listens on.
run: export SITE_URL ?= http://$(HOST):$(PORT)
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
