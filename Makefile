# The commands README.md documents. Everything installs into .venv/ from PyPI.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test lint wheel-check install clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(VENV)/bin/neurokg ask blepharospasm "multiple sclerosis"

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests
	$(VENV)/bin/mypy

wheel-check: install
	bash scripts/check-wheel.sh

clean:
	rm -rf $(VENV) dist build .mypy_cache .ruff_cache .pytest_cache
