# The commands README.md documents. Everything installs into .venv/ from PyPI.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test lint wheel-check install clean imports

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

# Refresh ontology/imports/*_import.obo and ontology/mappings/neurokg.sssom.tsv from release files
# in $(IMPORT_SOURCES) (offline; docs/DEVELOPING.md 'Import modules' says where each file is read).
IMPORT_SOURCES ?= import-sources
imports: install
	$(PY) scripts/make_mappings.py $(IMPORT_SOURCES)/sssom
	$(PY) scripts/make_imports.py --out ontology/imports \
	  hp=$(IMPORT_SOURCES)/hp.obo \
	  mondo=$(IMPORT_SOURCES)/class-stats.tsv:$(IMPORT_SOURCES)/mondo-rare_edges.tsv:$(IMPORT_SOURCES)/obsoletes.tsv \
	  doid=$(IMPORT_SOURCES)/HumanDO.tsv uberon=$(IMPORT_SOURCES)/uberon_import.obo \
	  uberon-efo-slim=$(IMPORT_SOURCES)/efo-slim.obo \
	  uberon-vertebrate-head=$(IMPORT_SOURCES)/vertebrate-head.obo \
	  uberon-2010=$(IMPORT_SOURCES)/uberon_edit.obo maxo=$(IMPORT_SOURCES)/maxo.obo \
	  eco=$(IMPORT_SOURCES)/eco.obo ro=$(IMPORT_SOURCES)/ro.obo

wheel-check: install
	bash scripts/check-wheel.sh

clean:
	rm -rf $(VENV) dist build .mypy_cache .ruff_cache .pytest_cache
