# Everyday verbs. Only Python 3.11+ and make are needed: the venv is created here.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-only lint messages bench serve worker clean vendor

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/abwab migrate --no-input
	$(BIN)/abwab territory load
	ABWAB_DEBUG=$${ABWAB_DEBUG:-1} $(BIN)/abwab demo load
	ABWAB_DEBUG=$${ABWAB_DEBUG:-1} REQUIRE_2FA=$${REQUIRE_2FA:-0} $(BIN)/abwab demo serve --port $(PORT)

test: $(STAMP)
	@scripts/ensure-system-packages
	$(MAKE) --no-print-directory test-only

test-only: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/abwab makemigrations --check --dry-run
	$(BIN)/python scripts/check_messages.py

messages: $(STAMP)
	cd abwab && ../$(BIN)/abwab makemessages -l ar -l fr --no-obsolete --no-location -i "names/*"
	cd abwab && ../$(BIN)/abwab compilemessages

bench: $(STAMP)
	$(BIN)/python -m bench

vendor:
	scripts/vendor

clean:
	rm -rf $(VENV) var .pytest_cache screenshots
