# Werkbaar: `make run` sets up and serves the app, `make test` sets up and runs every test.
# Both work on a fresh Debian machine with Python 3.11+ (Debian packages are installed with
# apt-get when missing, which needs root or sudo: the DejaVu font the PDF reports embed for
# both; chromium and poppler-utils for the tests).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: i18n samples run demo test test-fast test-calendar test-days test-december lint bench chromium fonts \
	report-tools postgresql

$(BIN)/werkbaar: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

# The Dutch data texts copied into nl.yaml (the translators' base file), then every file checked.
i18n: $(BIN)/werkbaar
	$(BIN)/werkbaar translations --write-source
	$(BIN)/werkbaar check

# The sample documents in docs/ (French; add languages: make samples LANGS="fr nl").
LANGS ?= fr
samples: $(BIN)/werkbaar fonts
	$(BIN)/python docs/make_samples.py $(LANGS)

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

# Every test on SQLite (the embedded default): the domain and AppTest suites in two workers
# (pytest-xdist), the browser tests in two workers, a test module (its own server) each; the calendar's tests again on 31 December and
# 1 January; then the domain and AppTest suites and the browser smoke set on PostgreSQL, in two
# workers (each its own cluster). The two SQLite passes list their 20 slowest tests.
test: $(BIN)/werkbaar chromium report-tools postgresql
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "not e2e" -n 2 --durations=20
	$(BIN)/python -m pytest -m e2e -n 2 --dist loadfile --durations=20
	$(MAKE) test-calendar
	WERKBAAR_TEST_BACKEND=postgresql $(BIN)/python -m pytest -m "not e2e or pg_smoke" -n 2

# The tests marked `calendar` (tests/conftest.py) with the clock moved to this year's last day
# and next year's first (tests/frozen_clock.py: $$WERKBAAR_TEST_NOW, 10:00 in Brussels).
YEAR := $(shell date +%Y)
test-calendar: $(BIN)/werkbaar
	WERKBAAR_TEST_NOW=$(YEAR)-12-31 $(BIN)/python -m pytest -m "calendar and not e2e" -n 2 -q
	WERKBAAR_TEST_NOW=$(shell echo $$(($(YEAR) + 1)))-01-01 $(BIN)/python -m pytest \
		-m "calendar and not e2e" -n 2 -q

# Not in `make test` (about 3 minutes a day): the whole non-browser suite on awkward days (a
# year's turn, a leap day and the day a year after one, a quarter's last day, both changes of
# summer time started a minute before them, a Sunday, December's first days), and the
# calendar's tests on every day of this December.
AWKWARD_DAYS := $(YEAR)-12-31 $(shell echo $$(($(YEAR) + 1)))-01-01 2028-02-29 2029-02-28 \
	2027-03-31 2027-03-28T01:59 2026-10-25T02:59 2026-12-01 2026-12-03 2026-12-20
test-days: $(BIN)/werkbaar
	status=0; for day in $(AWKWARD_DAYS); do WERKBAAR_TEST_NOW=$$day $(BIN)/python -m pytest \
		-m "not e2e" -n 2 -q || status=1; done; exit $$status
test-december: $(BIN)/werkbaar
	status=0; for day in $$(seq -w 1 31); do WERKBAAR_TEST_NOW=$(YEAR)-12-$$day \
		$(BIN)/python -m pytest -m "calendar and not e2e" -n 2 -q || status=1; done; exit $$status

test-fast: $(BIN)/werkbaar
	$(BIN)/python -m pytest -m "not e2e"

bench: $(BIN)/werkbaar report-tools
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/report.py
