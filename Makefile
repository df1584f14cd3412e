# Hazard Ledger. `make demo` runs the system; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export HAZARDLEDGER_DATA_DIR ?= $(CURDIR)/var

.PHONY: install demo serve test lint format e2e clean bench worker

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

demo: install
	@mkdir -p "$(HAZARDLEDGER_DATA_DIR)"
	HAZARDLEDGER_DEMO=1 $(BIN)/python manage.py migrate --noinput
	HAZARDLEDGER_DEMO=1 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	HAZARDLEDGER_DEMO=1 $(BIN)/python manage.py load_demo
	@echo "隐患台账已启动：http://127.0.0.1:$(PORT)/  （后台任务同时运行；Ctrl+C 停止）"
	HAZARDLEDGER_DEMO=1 $(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	HAZARDLEDGER_DEMO=1 $(BIN)/gunicorn hazardledger.wsgi:application \
		--bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile -

# The task worker and scheduler alone (a deployment runs it beside gunicorn).
worker: install
	HAZARDLEDGER_DEMO=$${HAZARDLEDGER_DEMO:-1} exec $(BIN)/python manage.py run_worker

test: install
	$(BIN)/pytest

# Browser journeys against gunicorn on loopback, in Debian's chromium (apt-get install chromium).
e2e: install
	$(BIN)/pytest tests/e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var

# Province-scale benchmarks on PostgreSQL: DATABASE_URL names a database filled by
# `bench/generate.py` (see docs/PERFORMANCE.md).
bench: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	@test -n "$(DATABASE_URL)" || { echo "set DATABASE_URL to a PostgreSQL database"; exit 1; }
	@mkdir -p "$(HAZARDLEDGER_DATA_DIR)"
	HAZARDLEDGER_DEMO=1 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python bench/run.py
