# Two commands for a fresh machine (Python 3.11+, package registries only):
#   make run   - install, build the warehouse from the embedded snapshot, serve the dashboard
#   make test  - install with test extras and axe-core (npm), run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: run test install build serve clean plotly-bundle

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

build: install
	$(BIN)/bezpieczny build

run: build
	$(BIN)/bezpieczny serve --host $(HOST) --port $(PORT)

# axe-core (pinned in package-lock.json) for the accessibility tests; needs npm (Debian: apt-get install npm).
node_modules/axe-core/axe.min.js: package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

test: install node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest

# Rebuild the committed partial plotly.js bundle (dashboard/plotlyjs_bundle/build.mjs; needs npm). Not part of run
# or test: the built file is committed.
plotly-bundle:
	cd dashboard/plotlyjs_bundle && npm ci --no-audit --no-fund --silent && npm run --silent build

clean:
	rm -rf $(VENV) data/warehouse
