# Set-up and everyday commands. `make play` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: play play-text test lint typecheck bench bench-research screenshots fonts schema docs authoring clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

play: $(STAMP)
	$(BIN)/negotiation play

play-text: $(STAMP)
	$(BIN)/negotiation play --text

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/mypy
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py

# workers, memory, sweeps (local and on a Dask LocalCluster), the Gymnasium environment, light imports
bench-research: $(STAMP)
	$(BIN)/python benchmarks/bench_research.py

screenshots: $(STAMP)
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python -m pytest tests/ui --update-screenshots

fonts: $(STAMP)
	$(BIN)/python tools/subset_fonts.py

schema: $(STAMP)
	$(BIN)/negotiation schema -o schemas/scenario.schema.json
	$(BIN)/negotiation schema --tests -o schemas/scenario-tests.schema.json

docs: $(STAMP)
	$(BIN)/negotiation docs -o docs/reference.md
	$(BIN)/negotiation docs --lint-codes -o docs/lint-codes.md

# what an author runs before a review: lint every bundled scenario, then their playthrough tests
authoring: $(STAMP)
	$(BIN)/negotiation lint --strict scenarios
	$(BIN)/negotiation test scenarios

clean:
	rm -rf $(VENV) build dist src/*.egg-info .mypy_cache .ruff_cache .pytest_cache
