# One command runs the app, one command runs every test. Both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint bench browser clean

# The bind address comes from the app's settings (MAGNESIUM_ADDRESS or secrets.toml); unset: Streamlit's default.
run: $(VENV)/.runtime
	@addr="$$($(PY) -m lib.settings bind-address)" || exit 1; \
	set -x; $(PY) -m streamlit run server.py --server.port $(PORT) $${addr:+--server.address "$$addr"}

test: $(VENV)/.test browser
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: $(VENV)/.test
	$(PY) -m ruff check .

bench: $(VENV)/.test
	$(PY) -m bench

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test: requirements.txt requirements-test.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

# A Chromium for the browser tests: $$MAGNESIUM_CHROMIUM, else Debian's chromium, else Playwright's own.
browser: $(VENV)/.test
	@if [ -n "$$MAGNESIUM_CHROMIUM" ]; then echo "browser: $$MAGNESIUM_CHROMIUM"; \
	elif [ -x /usr/lib/chromium/chromium ]; then echo "browser: Debian's chromium"; \
	else echo "browser: installing Playwright's Chromium"; $(PY) -m playwright install chromium; fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
