# Set-up and everyday commands. `make play` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: play play-text test fuzz lint typecheck bench bench-frames bench-research screenshots fonts schema docs authoring dist clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
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

# the fuzz suite with a larger budget than `make test` gives it (docs/robustness.md):
# FUZZ_SCALE multiplies every property's examples, FUZZ_KILLS is the number of kill -9s during saves
FUZZ_SCALE ?= 20
FUZZ_KILLS ?= 200
FUZZ_REPORT ?= fuzz-report.json
fuzz: $(STAMP)
	NEGOTIATION_FUZZ_SCALE=$(FUZZ_SCALE) NEGOTIATION_FUZZ_KILLS=$(FUZZ_KILLS) NEGOTIATION_FUZZ_REPORT=$(FUZZ_REPORT) \
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python -m pytest tests/fuzz -W ignore::hypothesis.errors.HypothesisWarning
	@echo "tally written to $(FUZZ_REPORT)"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py

# frame times of the window's screens against a bare blit (dummy driver; see the script for X11)
bench-frames: $(STAMP)
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python benchmarks/bench_frames.py

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
	$(BIN)/negotiation schema --script -o schemas/script.schema.json

docs: $(STAMP)
	$(BIN)/negotiation docs -o docs/reference.md
	$(BIN)/negotiation docs --lint-codes -o docs/lint-codes.md

# what an author runs before a review: lint every bundled scenario, then their playthrough tests
authoring: $(STAMP)
	$(BIN)/negotiation lint --strict scenarios
	$(BIN)/negotiation test scenarios

# the release: dist/negotiation-<version>.tar.gz, then the wheel built from that sdist (README: Releasing)
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist

clean:
	rm -rf $(VENV) build dist src/*.egg-info .mypy_cache .ruff_cache .pytest_cache
