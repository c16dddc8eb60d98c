# PersonFirst: the two commands a newcomer needs are `make run` and `make test`.
# Everything else here is what those two stand on.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
FRONTEND_SOURCES := $(shell find frontend -type f 2>/dev/null)

.PHONY: run test setup test-sqlite test-postgres lint lock clean serve

## make run: set up, load the instruments and the demo area, and serve on 127.0.0.1:$(PORT)
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test: set up (Chromium and PostgreSQL included), then the whole suite
test: setup
	scripts/run-tests

setup: $(VENV)/.installed build/static/css/app.css
	@mkdir -p var

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt -r requirements/dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/static/css/app.css: node_modules/.installed $(FRONTEND_SOURCES)
	npm run --silent build

## make test-sqlite / test-postgres: one database only (developers' shortcuts)
test-sqlite: setup
	PERSONFIRST_TEST_DATABASES=sqlite scripts/run-tests

test-postgres: setup
	PERSONFIRST_TEST_DATABASES=postgres scripts/run-tests

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
