# Two commands for a fresh Debian 12 machine: `make serve` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Directory of a built Cytomine Web UI (web-ui/dist) to serve from the same origin.
WEB_UI ?=

.PHONY: serve test test-fast fault-suite loadtest-mixed lint typecheck contracts postgis clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

postgis:
	@scripts/ensure-postgis

serve: $(STAMP) postgis
	$(BIN)/lamina serve --host $(HOST) --port $(PORT) $(if $(WEB_UI),--web-ui "$(WEB_UI)")

contracts: $(STAMP)
	$(BIN)/python -m contracts.codegen

lint: $(STAMP)
	$(BIN)/python -m contracts.codegen --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test: $(STAMP) postgis lint
	$(BIN)/python -m pytest

# The inner loop: the package tests only (no official-client drivers under tests/clients, no
# benchmarks under tests/bench, nothing marked client or slow), without the lint step.
FAST_TESTS := tests/contracts tests/spatial tests/tiling tests/server tests/sql
test-fast: $(STAMP) postgis
	$(BIN)/python -m pytest $(FAST_TESTS) -m "not client and not slow"

# The fault and abuse suite, heavy cases included (`make test` runs its light part), with the
# bounded schemathesis run; it ends with the counts of each part.
fault-suite: $(STAMP) postgis
	$(BIN)/python -m pytest tests/faults tests/server/test_openapi_conformance.py -m "" -q

# The mixed load profile: viewers panning and zooming while bulk importers grow one image, for
# MINUTES against the server at HOST:PORT (LOADTEST_* keys in the environment, see
# loadtests/README.md); rewrites loadtests/results/mixed_*.csv and mixed.png.
MINUTES ?= 5
loadtest-mixed: $(STAMP)
	$(BIN)/python -c "import locust" 2>/dev/null || $(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python -m loadtests.mixed --minutes $(MINUTES) --host http://$(HOST):$(PORT)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
