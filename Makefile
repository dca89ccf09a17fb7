# Two commands for a fresh machine (Python 3.11+, package registries only):
#   make run   - install, build the warehouse from the embedded snapshot, serve the dashboard
#   make test  - install with test extras and axe-core (npm), run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8050
TEST_WORKERS ?= 2

# Every run and test installs exactly the pinned versions of requirements.lock (runtime, test and dev extras, resolved
# by uv for Python 3.11+ on every platform); the project itself goes in editable, with no dependency of its own.
LOCK = requirements.lock
UV_COMPILE = UV_CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/uv pip compile pyproject.toml --extra test --extra dev --universal --python-version 3.11 \
	--quiet --output-file $(LOCK)

.PHONY: run test test-fast install build serve clean plotly-bundle lock upgrade

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
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

# The whole suite (browser, axe-core, nginx and redis tests included) on both cores: pytest-xdist, a file per worker
# at a time (module fixtures are built once), heaviest files first, each worker on its own ports (tests/conftest.py).
# Coverage is measured in the same run and fails the suite under the floor in pyproject.toml ([tool.coverage]).
# `make test COVERAGE=` runs it without.
COVERAGE ?= --cov --cov-report=
test: install node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=20 $(COVERAGE)

# The inner loop, about a minute: tests that need no browser, no warehouse build and are not marked slow.
test-fast: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not browser and not warehouse and not slow"

# Rebuild the committed partial plotly.js bundle (dashboard/plotlyjs_bundle/build.mjs; needs npm). Not part of run
# or test: the built file is committed.
plotly-bundle:
	cd dashboard/plotlyjs_bundle && npm ci --no-audit --no-fund --silent && npm run --silent build

# After changing the dependencies in pyproject.toml: re-resolve, keeping every pin that still fits.
lock: install
	$(UV_COMPILE)
	$(MAKE) install

# Move every pin to the newest release that fits pyproject.toml (then run `make test` before committing the lock).
upgrade: install
	$(UV_COMPILE) --upgrade
	$(MAKE) install

clean:
	rm -rf $(VENV) data/warehouse
