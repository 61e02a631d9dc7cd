# Every target builds .venv when missing and installs the core and every plugin, editable.
# `make demo` installs only what the demo runs; the other targets add the dev tools.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PLUGINS := $(wildcard plugins/*/pyproject.toml)
PLUGIN_DIRS := $(patsubst %/pyproject.toml,%,$(PLUGINS))
STAMP := $(VENV)/.installed
RUNTIME_STAMP := $(VENV)/.installed-runtime
PYTEST_ARGS ?=

.PHONY: demo test bench lint format install clean

$(STAMP): pyproject.toml $(PLUGINS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' $(foreach p,$(PLUGIN_DIRS),-e '$(p)[dev]')
	touch $(STAMP)

$(RUNTIME_STAMP): pyproject.toml $(PLUGINS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e . $(foreach p,$(PLUGIN_DIRS),-e '$(p)')
	touch $(RUNTIME_STAMP)

install: $(STAMP)

demo: $(RUNTIME_STAMP)
	$(BIN)/e20kit demo --out demo-output

test: $(STAMP)
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks

lint: $(STAMP)
	$(BIN)/ruff check src plugins tests examples benchmarks
	$(BIN)/ruff format --check src plugins tests examples benchmarks
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format src plugins tests examples benchmarks
	$(BIN)/ruff check --fix src plugins tests examples benchmarks

clean:
	rm -rf $(VENV) .bench demo-output .pytest_cache .mypy_cache .ruff_cache
