# coursesite: `make run` serves the site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# xstatic-bootstrap's sdist still imports pkg_resources while building.
PIP_ENV := PIP_CONSTRAINT=$(CURDIR)/constraints-build.txt PIP_DISABLE_PIP_VERSION_CHECK=1
SEED := content/military-diplomacy-in-south-america.txt
QUESTIONS := content/military-diplomacy.questions.json
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate content bench lint format messages clean \
	cluster cluster-stop cluster-smoke loadtest

$(BIN)/.installed: requirements.txt constraints-build.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_ENV) $(BIN)/pip install --quiet -r requirements.txt
	touch $@

install: $(BIN)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

content: migrate
	$(PY) manage.py import_document $(SEED) --slug military-diplomacy --publish
	$(PY) manage.py import_questions $(QUESTIONS) --course military-diplomacy

run: export DEBUG ?= 1
run: content
	$(PY) manage.py create_demo_accounts
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest

bench: install
	$(PY) bench/run.py

# A cluster on this machine: nginx, two app servers, PostgreSQL, Redis (ops/cluster.sh).
cluster: install
	PYTHON_BIN=$(abspath $(PY)) ops/cluster.sh start

cluster-stop:
	PYTHON_BIN=$(abspath $(PY)) ops/cluster.sh stop

$(BIN)/.installed-bench: $(BIN)/.installed requirements-bench.txt
	$(PIP_ENV) $(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@

cluster-smoke: $(BIN)/.installed-bench
	$(PY) bench/cluster/smoke.py

# The class-sized load on the running cluster, with faults, then the audit
# (bench/cluster/loadtest.py; e.g. LOADTEST_ARGS="--students 30 --staff 5").
loadtest: $(BIN)/.installed-bench
	$(PY) bench/cluster/loadtest.py $(LOADTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	DEBUG=1 $(PY) manage.py makemessages -l es -l pt_BR --ignore=.venv --ignore=staticfiles --ignore=var --ignore=bench --ignore=tests
	DEBUG=1 $(PY) manage.py makemessages -d djangojs -l es -l pt_BR --ignore=.venv --ignore=staticfiles --ignore=var
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
