# Set-up and the two commands the README opens with.
#   make demo   - create .venv, install everything, code the bundled samples into DuckDB, print a summary
#   make test   - create .venv if needed, install everything, run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
DB     ?= events.duckdb

.PHONY: demo test install browser serve bench eval train train-quotes clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -U pip
	$(PY) -m pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed

# The browser tests drive Debian's chromium through Playwright (never `playwright install`).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "install Debian's chromium (sudo apt-get install chromium) to run the browser tests"; fi; }

demo: install
	$(VENV)/bin/eventcoder ingest samples/ --db $(DB)
	$(VENV)/bin/eventcoder query --db $(DB) summary

serve: install
	$(VENV)/bin/eventcoder serve --db $(DB)

test: install browser
	$(PY) -m pytest -q

bench: install
	$(PY) benchmarks/throughput.py --articles 500 --processes 2

# Retrain the shipped event model from data/labels/ and the texts in ../shared (about 3 minutes).
train: install
	$(VENV)/bin/eventcoder train

# Retrain the shipped attribution model from PolNeAR train, thresholds tuned on dev (about 6 minutes).
train-quotes: install
	$(VENV)/bin/eventcoder train quotes

eval: install
	$(VENV)/bin/eventcoder eval leads
	$(VENV)/bin/eventcoder eval plover-gsr
	$(VENV)/bin/eventcoder eval conflibert

clean:
	rm -rf $(VENV) build *.egg-info $(DB)
