# Two commands set everything up on a fresh machine:
#   make run    install into .venv (first time only), ingest the archive, show what is loaded and a few answers
#   make test   install into .venv (first time only) and run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

EVAL_STAMP := $(VENV)/.installed-eval

.PHONY: run test install lint eval clean

install: $(STAMP)

$(STAMP): requirements-dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/newsdesk ingest
	$(BIN)/newsdesk stats
	$(BIN)/newsdesk search "referendum"
	$(BIN)/newsdesk actor McGurk
	$(BIN)/newsdesk quotes --speaker al-Abadi
	$(BIN)/newsdesk timeline referendum --from 2017-09-01
	$(BIN)/newsdesk summary Kurdish referendum

test: $(STAMP)
	$(BIN)/python -m pytest

# Quality figures on ../shared/eval, with the baselines (textacy) installed beside.
eval: $(STAMP) $(EVAL_STAMP)
	$(BIN)/python -m bench.eval

$(EVAL_STAMP): requirements-eval.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-eval.lock
	touch $(EVAL_STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) data
