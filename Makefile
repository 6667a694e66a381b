# Two commands set everything up on a fresh machine:
#   make run    install into .venv (first time only) and start the bot (without a token: how to get one, and
#               the same answers in the terminal)
#   make test   install into .venv (first time only) and run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

EVAL_STAMP := $(VENV)/.installed-eval

.PHONY: run demo test charts install lint eval clean container-check

install: $(STAMP)

$(STAMP): requirements-pip.lock requirements-dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-pip.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# With DISCORD_TOKEN set (in .env or the environment) this starts the bot, which ingests the archive folder in
# the background. Without one it says how to get one, then ingests and shows the same answers in the terminal.
run: $(STAMP)
	@if $(BIN)/python -c "import sys; from bot.config import load_settings; sys.exit(not load_settings().discord_token)"; \
	then $(BIN)/newsdesk run; \
	else $(BIN)/newsdesk run || true; echo; $(MAKE) --no-print-directory demo; fi

demo: $(STAMP)
	$(BIN)/newsdesk ingest
	$(BIN)/newsdesk archive
	$(BIN)/newsdesk search "referendum"
	$(BIN)/newsdesk actor McGurk
	$(BIN)/newsdesk quotes --speaker al-Abadi
	$(BIN)/newsdesk timeline referendum --from 2017-09-01
	$(BIN)/newsdesk summary Kurdish referendum

test: $(STAMP)
	$(BIN)/python -m pytest

# The README's example pictures, drawn from the seed archive (a database of their own, made afresh).
CHARTS_DB := $(CURDIR)/.charts/seeds.db
charts: $(STAMP)
	rm -rf .charts && mkdir -p docs/charts
	DATABASE_PATH=$(CHARTS_DB) ARCHIVE_DIR=seeds $(BIN)/newsdesk ingest > /dev/null
	DATABASE_PATH=$(CHARTS_DB) $(BIN)/newsdesk timeline referendum --chart docs/charts/timeline.png > /dev/null
	DATABASE_PATH=$(CHARTS_DB) $(BIN)/newsdesk actor McGurk --chart docs/charts/actor.png > /dev/null
	DATABASE_PATH=$(CHARTS_DB) $(BIN)/newsdesk archive --chart docs/charts/archive.png > /dev/null
	rm -rf .charts

# Quality figures on ../shared/eval, with the baselines (textacy) installed beside.
eval: $(STAMP) $(EVAL_STAMP)
	$(BIN)/python -m bench.eval

$(EVAL_STAMP): requirements-eval.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-eval.lock
	touch $(EVAL_STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/hadolint Dockerfile

# Builds the Dockerfile for real (buildah, no Docker engine needed) and checks inside the image, as its user, that
# the database migrates into /data, the bundled archive ingests, the CLI answers, and `newsdesk run` and
# `newsdesk health` say what is missing (.ci/container-check.sh).
container-check:
	../shared/tools/container-check --run "$$(cat .ci/container-check.sh)"

clean:
	rm -rf $(VENV) data
