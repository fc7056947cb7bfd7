# Werkbaar: `make run` sets up and serves the app, `make test` sets up and runs every test.
# Both work on a fresh Debian machine with Python 3.11+ (chromium for the browser tests is
# installed with apt-get when missing; that needs root or sudo).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run demo test test-fast lint bench chromium

$(BIN)/werkbaar: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

run: $(BIN)/werkbaar
	$(BIN)/werkbaar run

demo: $(BIN)/werkbaar
	$(BIN)/werkbaar demo

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

test: $(BIN)/werkbaar chromium
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

test-fast: $(BIN)/werkbaar
	$(BIN)/python -m pytest -m "not e2e"

bench: $(BIN)/werkbaar
	$(BIN)/python benchmarks/run.py
