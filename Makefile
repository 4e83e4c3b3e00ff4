# diurna: `make run` codes the sample corpus into diurna.db; `make test` runs the linters and the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= diurna.db

.PHONY: run extract test lint install install-dev schema train evaluation clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

HOST ?= 127.0.0.1
PORT ?= 8000

extract: install
	$(BIN)/diurna extract examples/articles --db $(DB)

run: extract
	@echo "Stored in $(DB). Dashboard and API: http://$(HOST):$(PORT)/ (Ctrl-C stops the server)"
	$(BIN)/diurna serve --db $(DB) --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check src tests bench

test: install-dev lint
	$(BIN)/python -m pytest

schema: install
	$(BIN)/python -m diurna.contract > src/diurna/data/extraction.schema.json

train: install
	$(BIN)/python -m diurna.train

evaluation: install
	$(BIN)/python -m diurna.evaluation_report

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache .ruff_cache
