# Werkbaar: `make run` sets up and serves the app, `make test` sets up and runs every test.
# Both work on a fresh Debian machine with Python 3.11+ (Debian packages are installed with
# apt-get when missing, which needs root or sudo: the DejaVu font the PDF reports embed for
# both; chromium and poppler-utils for the tests).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run demo test test-fast lint bench chromium fonts report-tools postgresql

$(BIN)/werkbaar: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

run: $(BIN)/werkbaar fonts
	$(BIN)/werkbaar run

demo: $(BIN)/werkbaar
	$(BIN)/werkbaar demo

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

# fonts-dejavu-core: the font the PDF reports embed
fonts:
	@[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || { $(SUDO) apt-get update -qq \
		&& DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-dejavu-core; }

# poppler-utils: pdftotext and pdftoppm, with which the report tests read the PDFs; zbar-tools:
# zbarimg, with which the slips tests decode the QR codes
report-tools:
	@command -v pdftotext >/dev/null && command -v zbarimg >/dev/null \
		&& [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] \
		|| { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install \
		-y -qq poppler-utils zbar-tools fonts-dejavu-core; }

# postgresql: the server the PostgreSQL pass of the tests starts a throwaway cluster of
# (tests/pg_cluster.py: initdb into a temporary folder, 127.0.0.1 only, stopped at the end)
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null \
		|| { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get \
		install -y -qq postgresql; }

# Every test on SQLite (the embedded default), then the domain and AppTest suites and the
# browser smoke set again on PostgreSQL, in two workers (pytest-xdist; each its own cluster).
test: $(BIN)/werkbaar chromium report-tools postgresql
	$(BIN)/ruff check .
	$(BIN)/python -m pytest
	WERKBAAR_TEST_BACKEND=postgresql $(BIN)/python -m pytest -m "not e2e or pg_smoke" -n 2

test-fast: $(BIN)/werkbaar
	$(BIN)/python -m pytest -m "not e2e"

bench: $(BIN)/werkbaar report-tools
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/report.py
