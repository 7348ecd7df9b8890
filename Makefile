# Maillage: `make run` starts the demo, `make test` runs every check. Nothing else is needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench messages chromium system-deps migrate demo clean venv fuzz

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

venv: $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput -v0

demo: system-deps migrate
	$(PY) manage.py load_demo --if-empty

# The web server and one background worker beside it (survey e-mails, reports: docs/deployment.md, "Background
# tasks"); Ctrl-C stops both. The worker has no request to take the site's address from: SITE_URL gives it.
run: demo
	@echo "Maillage on http://$(HOST):$(PORT)/ (with a background worker: manage.py db_worker)"
	@export SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"; $(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' INT TERM EXIT; $(PY) manage.py runserver $(HOST):$(PORT)

# Debian's Chromium for the browser tests; installed once, never downloaded by the test tools.
chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# Pango for WeasyPrint (minutes as PDF), from Debian's packages when missing.
system-deps:
	@ldconfig -p | grep -q libpango-1.0 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0)

lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports  # the layers: [tool.importlinter] in pyproject.toml
	$(VENV)/bin/mypy  # core/ and the actions modules: [tool.mypy] in pyproject.toml

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: $(STAMP) system-deps chromium lint
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(VENV)/bin/pytest
	$(MAKE) --no-print-directory fuzz

# Schemathesis against a live server on a throwaway copy of the demo, as an administrator and as a representative
# (fuzz/run.py; checks and budget in fuzz/schemathesis.toml; reports and server logs in var/fuzz/).
fuzz: $(STAMP)
	$(PY) fuzz/run.py

bench: $(STAMP)
	$(PY) bench/run.py

# Rebuild the translation catalogues after changing user-facing strings (needs GNU gettext).
messages: $(STAMP)
	$(PY) manage.py makemessages -l fr -l en --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
