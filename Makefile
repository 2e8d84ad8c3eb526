# Everyday tasks. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app qa_app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-dev assets migrate templates demo serve worker lint format bench loadtest clean audit-security

run: install assets migrate templates demo ## Set up and serve on http://127.0.0.1:5000 (PORT=... to change) with SQLite, with a job worker beside it
	@# The job worker runs in the background and stops with the web server (Ctrl+C). The address
	@# and the demo sign-ins are printed last, once the server answers, after its own messages.
	@$(FLASK) jobs worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) demo sign-ins --wait-for http://$(HOST):$(PORT) & $(FLASK) run --host $(HOST) --port $(PORT)

# Test processes side by side: each starts its own PostgreSQL, SQLite files and browser server.
TEST_WORKERS ?= auto

test: install-dev assets ## Install what the tests need and run the whole suite (TEST_WORKERS=0 for one process)
	$(BIN)/pytest -n $(TEST_WORKERS) --maxprocesses 4

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

assets: node_modules/.package-lock.json ## Build the GOV.UK Frontend styles and scripts
	npm run build --silent

migrate: install ## Apply database migrations
	$(FLASK) db upgrade

templates: install ## Load the audit templates in audit_templates/
	$(FLASK) templates load

demo: install ## Create synthetic demo data (once) and print the demo sign-ins
	$(FLASK) demo seed

serve: install assets migrate ## Serve with gunicorn (set SECRET_KEY and DATABASE_URL first); run `make worker` beside it
	QA_APP_ENV=production $(BIN)/gunicorn --workers 4 --bind $(HOST):$(PORT) 'qa_app:create_app()'

worker: install ## Run the background job worker (production: one or more per machine, under a service manager)
	QA_APP_ENV=production $(FLASK) jobs worker --workers $${JOB_WORKERS:-2}

lint: install-dev
	$(BIN)/ruff check qa_app tests tools
	$(BIN)/ruff format --check qa_app tests tools

format: install-dev
	$(BIN)/ruff format qa_app tests
	$(BIN)/ruff check --fix qa_app tests

clean:
	rm -rf $(VENV) node_modules qa_app/static

bench: install-dev ## Run the benchmarks (case import, sampling) and print their figures
	$(BIN)/python -m tests.benchmarks

loadtest: install-dev ## 50 auditors autosaving for 60 s on gunicorn, a worker killed midway; fails on any lost save
	$(BIN)/python -m tests.load

audit-security: install-dev node_modules/.package-lock.json ## Known advisories in Python and npm packages
	$(BIN)/python tools/audit_security.py
