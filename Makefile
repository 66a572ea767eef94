# Regionet: the two commands of the README are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_HOST ?= 127.0.0.1:8000
export DJANGO_SETTINGS_MODULE := regionet.settings

.PHONY: demo demo-reset test test-postgres lint install frontend messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

build/static/regionet/tokens.css: node_modules/.package-lock.json frontend/build-tokens.mjs
	npm run --silent build

install: $(STAMP) build/static/regionet/tokens.css messages

frontend: build/static/regionet/tokens.css

# Compiles the .po catalogues with Babel, so no system gettext is needed.
messages: $(STAMP)
	@for dir in $$(find regionet -type d -name locale); do \
	  $(BIN)/pybabel -q compile -d $$dir -D django || exit 1; \
	done

# The demo runs in debug mode (known passwords, static files served from the source);
# the settings' default is off, as in production.
demo: install
	DEBUG=true $(BIN)/regionet demo $(DEMO_HOST)

demo-reset: install
	DEBUG=true $(BIN)/regionet demo --reset $(DEMO_HOST)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) node_modules build staticfiles var
