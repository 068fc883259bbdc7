# One command runs the app, one command runs every test. Both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test test-fast lint bench browser clean

# The bind address comes from the app's settings (MAGNESIUM_ADDRESS or secrets.toml; default 127.0.0.1,
# this machine only). A named address also spares Streamlit its outside call for an "External URL".
run: $(VENV)/.runtime
	@addr="$$($(PY) -m lib.settings bind-address)" || exit 1; \
	set -x; $(PY) -m streamlit run server.py --server.port $(PORT) --server.address "$$addr"

# The full run (CI): ruff and every test, browser tests included.
test: $(VENV)/.test browser
	$(PY) -m ruff check .
	$(PY) -m pytest

# The inner loop: ruff and every test except the browser tests (no Chromium needed).
test-fast: $(VENV)/.test
	$(PY) -m ruff check .
	$(PY) -m pytest --ignore=tests/browser

lint: $(VENV)/.test
	$(PY) -m ruff check .

bench: $(VENV)/.test
	$(PY) -m bench

$(VENV)/bin/python:
	@echo "make: creating the virtual environment $(VENV)"
	$(PYTHON) -m venv $(VENV)
	@echo "make: updating pip in $(VENV)"
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	@echo "make: installing the app's packages (requirements.txt) into $(VENV); the first time takes about half a minute"
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test: requirements.txt requirements-test.txt $(VENV)/.runtime
	@echo "make: installing the test tools (requirements-test.txt) into $(VENV)"
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

# A Chromium for the browser tests, found where the test harness looks (tests/browser/harness.py):
# $$MAGNESIUM_CHROMIUM, Debian's /usr/lib/chromium/chromium or /usr/bin/chromium, `chromium` on the PATH;
# else Playwright's own download.
browser: $(VENV)/.test
	@found="$$($(PY) -c 'from tests.browser.harness import chromium_executable as c; print(c() or "")')" || exit 1; \
	if [ -n "$$found" ]; then echo "browser: $$found"; \
	else echo "browser: no Chromium found; installing Playwright's Chromium"; $(PY) -m playwright install chromium; fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts
