# Two commands: `make run` (set up, then start the app) and `make test` (set up, then test).
# Every step is idempotent and skips what is already installed.
VENV    ?= .venv
PYTHON  ?= python3
HOST    ?= 127.0.0.1
PORT    ?= 7860
STAMP   := $(VENV)/.installed

.PHONY: run test test-fast setup setup-test system system-test python languagetool languagetool-if-possible \
	bench lint fixtures clean

run: setup
	$(VENV)/bin/coach serve --host $(HOST) --port $(PORT)

# The whole suite, in tiers that stop at the first that fails: lint and types, the unit tier
# (pure logic, under a minute), then the real engines and the browser, spread over the cores
# (TEST_WORKERS=1: one at a time).
TEST_WORKERS ?= auto
test: setup-test lint
	$(VENV)/bin/python -m pytest tests/unit -q -n $(TEST_WORKERS)
	$(VENV)/bin/python -m pytest tests/integration tests/browser -n $(TEST_WORKERS) --dist loadscope --durations=20

# The unit tier alone: no model, browser or JVM. For the edit-test loop.
test-fast: python
	$(VENV)/bin/python -m pytest tests/unit -q -n $(TEST_WORKERS)

setup: system python languagetool-if-possible
setup-test: system-test python languagetool

# Homebrew's openjdk is keg-only: put its java on PATH for LanguageTool and the app.
BREW_JAVA := $(firstword $(wildcard /opt/homebrew/opt/openjdk/bin /usr/local/opt/openjdk/bin))
ifneq ($(BREW_JAVA),)
export PATH := $(BREW_JAVA):$(PATH)
endif

system:
	@scripts/setup_system.sh run

system-test:
	@scripts/setup_system.sh test

python: $(STAMP)

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	$(VENV)/bin/coach models --check
	touch $(STAMP)

languagetool:
	@scripts/install_languagetool.sh

# `make run` goes on without LanguageTool (no Java or Maven here): grammar is then checked by
# Harper, and the app says so when it starts. The tests need LanguageTool (target above).
languagetool-if-possible:
	@scripts/install_languagetool.sh || echo "coach: LanguageTool is not installed;" \
		"grammar will be checked by Harper instead (the message above says how to get it)."

bench: setup
	$(VENV)/bin/python benchmarks/speed.py --json benchmarks/results/speed.json
	$(VENV)/bin/python benchmarks/transcription_speed.py
	$(VENV)/bin/python benchmarks/whole_file_speed.py
	$(VENV)/bin/python benchmarks/decode_stages.py
	$(VENV)/bin/python benchmarks/streaming.py
	$(VENV)/bin/python benchmarks/browser_latency.py
	$(VENV)/bin/python benchmarks/live_load.py
	$(VENV)/bin/python benchmarks/accuracy.py --compare --models tiny.en,base \
		--json benchmarks/results/accuracy.json
	$(VENV)/bin/python benchmarks/grammar_speed.py
	$(VENV)/bin/python benchmarks/grammar_repair.py
	$(VENV)/bin/python benchmarks/polish_fidelity.py
	$(VENV)/bin/python benchmarks/record_speed.py
	PYTHONPATH=. $(VENV)/bin/python benchmarks/pronunciation_calibration.py
	$(VENV)/bin/python benchmarks/pronunciation_speed.py \
		--json benchmarks/results/pronunciation_speed.json
	$(VENV)/bin/python benchmarks/room_accuracy.py \
		--systems baseline,benchmarks.coach_system:factory

lint: python
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

fixtures: python
	$(VENV)/bin/python scripts/make_fixtures.py

clean:
	rm -rf $(VENV) .pytest_cache
