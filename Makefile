# PersonFirst: the two commands a newcomer needs are `make run` and `make test`.
# Everything else here is what those two stand on.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
FRONTEND_SOURCES := $(shell find frontend -type f 2>/dev/null)

.PHONY: run test setup test-sqlite test-postgres test-browser test-explore screenshot lint lock clean

## make run: set up, load the instruments and the demo area, and serve on 127.0.0.1:$(PORT)
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_instruments
	$(PY) manage.py load_postcodes
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test: set up (Chromium and PostgreSQL included), then the whole suite,
## on SQLite and then on a throwaway PostgreSQL. Extra pytest arguments: make test ARGS="-k crawl"
test: setup
	scripts/run-tests $(ARGS)

## make setup: the virtualenv (from the hashed lock files), node_modules and the front-end build
setup: $(VENV)/.installed build/.built
	@mkdir -p var/static

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt -r requirements/dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# build/static (CSS, JS, images) and build/axe.min.js for the browser tests.
build/.built: node_modules/.installed $(FRONTEND_SOURCES)
	npm run --silent build
	touch $@

## make test-sqlite / test-postgres: one database only (developers' shortcuts)
test-sqlite: setup
	PERSONFIRST_TEST_DATABASES=sqlite scripts/run-tests $(ARGS)

test-postgres: setup
	PERSONFIRST_TEST_DATABASES=postgres scripts/run-tests $(ARGS)

## make test-browser: only the browser tests (Chromium, axe-core), on SQLite
test-browser: setup
	PERSONFIRST_TEST_DATABASES=sqlite scripts/run-tests -m browser $(ARGS)

## make test-explore: the property tests (hypothesis) with fresh random seeds and ten times
## the examples, on SQLite, then the suite's self-check (a hang or a crash fails by name);
## run it before each release (docs/testing.md). A failure prints how to replay it, and
## .hypothesis/ keeps it to try first next time.
test-explore: setup
	PERSONFIRST_TEST_DATABASES=$${PERSONFIRST_TEST_DATABASES:-sqlite} PERSONFIRST_TEST_TIMEOUT=$${PERSONFIRST_TEST_TIMEOUT:-3600} \
		scripts/run-tests -m hypothesis --hypothesis-profile=explore --timeout=1800 $(ARGS)
	PERSONFIRST_SELF_CHECK=1 $(PY) -m pytest tests/test_suite_guards.py

## make screenshot: docs/images/home.png, dashboard.png and each role's dashboard-<role>.png, from the demo
screenshot: setup
	scripts/screenshot

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## make lock: recompile the pinned, hashed requirements after editing requirements/*.in
lock:
	$(PYTHON) -m venv /tmp/personfirst-lock && /tmp/personfirst-lock/bin/pip install --quiet pip-tools
	cd requirements && /tmp/personfirst-lock/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url -o base.txt base.in
	cd requirements && /tmp/personfirst-lock/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url -o dev.txt dev.in

clean:
	rm -rf $(VENV) node_modules build var/static
