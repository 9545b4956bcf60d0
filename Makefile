# Cairn: `make run` starts the app, `make test` runs the tests. `make help` lists the rest.
.DEFAULT_GOAL := help
SHELL := /bin/sh

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# Service mode: the local PostgreSQL, Redis and an S3 endpoint that `make s3` starts.
SERVICE_ENV := DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cairn} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/15} \
	S3_BUCKET=$${S3_BUCKET:-cairn-test} \
	S3_REGION=$${S3_REGION:-us-east-1} \
	S3_ENDPOINT_URL=$${S3_ENDPOINT_URL:-http://127.0.0.1:9100} \
	S3_ACCESS_KEY_ID=$${S3_ACCESS_KEY_ID:-testing} \
	S3_SECRET_ACCESS_KEY=$${S3_SECRET_ACCESS_KEY:-testing}

.PHONY: help run test test-services test-browser lint format messages worker beat bench bench-load bench-smoke demo migrate vendor clean

help: ## List the commands
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/.base: requirements/base.txt
	@test -x $(PY) || { python=$$(scripts/find-python) && "$$python" -m venv $(VENV); }
	$(PIP) install -r requirements/base.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.base requirements/dev.txt
	$(PIP) install -r requirements/dev.txt
	@touch $@

# axe-core, which the accessibility browser test injects into every page (npm registry).
AXE := tests/browser/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/axe/package-lock.json
	cd tests/browser/axe && npm ci --no-audit --no-fund
	@touch $@

# Links in emails point at where `make run` serves, unless SITE_URL says otherwise.
RUN_ENV := DEBUG=true SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}

run: $(VENV)/.base ## Install, migrate, load the demo data and serve on http://127.0.0.1:8000 (SQLite, in-process tasks; PORT=8001 for another port)
	$(RUN_ENV) $(MANAGE) migrate --no-input
	$(RUN_ENV) $(MANAGE) load_demo
	$(RUN_ENV) $(PY) -m celery -A config beat --loglevel=warning --schedule=var/celerybeat-schedule & \
		beat=$$!; trap 'kill $$beat 2>/dev/null' EXIT INT TERM; \
		$(RUN_ENV) $(MANAGE) runserver $(HOST):$(PORT)

test: $(VENV)/.dev ## Run the test suite on the embedded default (SQLite, in-process tasks, no services)
	$(PY) -m pytest -n auto

test-services: $(VENV)/.dev $(AXE) ## Run the whole suite on PostgreSQL, Redis, a Celery worker, S3 and headless Chromium
	$(SERVICE_ENV) CAIRN_SERVICES=1 CAIRN_BROWSER=1 $(PY) -m pytest

test-browser: $(VENV)/.dev $(AXE) ## Run only the browser tests (headless Chromium at /usr/bin/chromium)
	CAIRN_BROWSER=1 $(PY) -m pytest -m browser

lint: $(VENV)/.dev ## Check code style (ruff lint and format), the app dependency rules and that migrations are up to date
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=tests.settings $(MANAGE) makemigrations --check --dry-run

format: $(VENV)/.dev ## Fix what ruff can fix and format the code
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# locale/third_party holds Cairn's own wording for django-allauth's text, edited by hand and
# never regenerated.
messages: $(VENV)/.dev ## Collect the text to translate into locale/de and compile the catalogs (needs GNU gettext)
	DEBUG=true $(MANAGE) makemessages -l de --add-location file --no-obsolete \
		--ignore=.venv --ignore=tests --ignore=bench --ignore=node_modules --ignore=var --ignore=test-artifacts
	DEBUG=true $(MANAGE) compilemessages --ignore=.venv

worker: $(VENV)/.base ## Run a Celery worker (needs REDIS_URL)
	$(PY) -m celery -A config worker --loglevel=info

beat: $(VENV)/.base ## Run Celery beat, the periodic-job scheduler (needs REDIS_URL)
	$(PY) -m celery -A config beat --loglevel=info --schedule=var/celerybeat-schedule

BENCHMARKS = $$(ls bench/*.py | grep -v "harness\|delivery\|seed\|load")

bench: $(VENV)/.dev ## Run every in-process benchmark under bench/ and print its figures
	@for script in $(BENCHMARKS); do echo "== $$script"; $(PY) $$script || exit 1; done

bench-load: $(VENV)/.dev ## The load test: gunicorn on PostgreSQL, hammered by wrk
	$(PY) bench/load.py

bench-smoke: $(VENV)/.dev ## Every benchmark and the load test at a tiny size: do they still run?
	@for script in $(BENCHMARKS); do echo "== $$script"; BENCH_SMOKE=1 $(PY) $$script || exit 1; done
	$(PY) bench/load.py --participants 20 --seconds 2

demo: $(VENV)/.base ## Load (or refresh) the demo data set
	DEBUG=true $(MANAGE) load_demo

migrate: $(VENV)/.base ## Apply database migrations
	DEBUG=true $(MANAGE) migrate

# The browser libraries the app serves itself (the pages allow scripts from their own origin
# only), at the versions pinned in vendor/package-lock.json. To update one: change its version
# in vendor/package.json, run `cd vendor && npm install`, then `make vendor`, and commit.
vendor: ## Copy the pinned browser libraries (vendor/package.json) into static/vendor/
	cd vendor && npm ci --no-audit --no-fund
	cp vendor/node_modules/sortablejs/Sortable.min.js vendor/node_modules/sortablejs/LICENSE static/vendor/sortablejs/

clean: ## Remove the virtual environment, the local database and uploaded files
	rm -rf $(VENV) var
