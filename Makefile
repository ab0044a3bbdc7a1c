# Vocational skills training assistant — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
RASA_VENV := .venv-rasa
PY := $(VENV)/bin/python
export RASA_TELEMETRY_ENABLED := false
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.DEFAULT_GOAL := help
.PHONY: help setup run stop train test lint validate lexicon index eval-nlu eval-calibration eval-retrieval eval-answers eval-wordings eval-real eval-holdout eval-turns bench-retrieval bench-courses bench-assist bench-review bench-stats bench soak

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

setup: $(VENV)/.installed $(RASA_VENV)/.installed miniprogram/node_modules/.installed lexicon index ## Create both environments, the policy index and the mini-program's test tools (idempotent)

$(VENV)/.installed: requirements/app.lock requirements/app-nodeps.txt
	bash scripts/install-debian-packages.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements/app.lock
	$(PY) -m pip install -q --no-deps -r requirements/app-nodeps.txt
	touch $@

$(RASA_VENV)/.installed: requirements/rasa.lock requirements/rasa-constraints.txt requirements/mplsetup.cfg
	bash scripts/install-debian-packages.sh
	test -x $(RASA_VENV)/bin/python || $(PYTHON) -m venv $(RASA_VENV)
	MPLSETUPCFG=$(CURDIR)/requirements/mplsetup.cfg $(RASA_VENV)/bin/python -m pip install -q \
		--ignore-requires-python -c requirements/rasa-constraints.txt -r requirements/rasa.lock
	touch $@

# Node comes with the machine; Debian's packages are the fallback where it does not.
miniprogram/node_modules/.installed: miniprogram/package-lock.json
	command -v npm >/dev/null || bash scripts/install-debian-packages.sh nodejs npm
	npm --prefix miniprogram ci --no-audit --no-fund --loglevel=error
	touch $@

lexicon: $(VENV)/.installed ## Write the jieba user dictionary Rasa and retrieval share
	@$(PY) -m bot lexicon

index: $(VENV)/.installed ## Build the policy retrieval index when missing or stale
	@$(PY) -m bot index ensure

train: setup ## Train the Rasa model into models/
	$(PY) -m bot train

run: setup ## Set up, train if needed, start action server + Rasa + gateway (Ctrl-C stops all)
	$(PY) -m bot run

stop: ## Stop what `make run` started
	@$(PY) -m bot stop

validate: setup ## Check the Rasa training data and domain
	$(PY) -m bot validate

test: setup ## Set up and run all tests (starts and stops the servers it needs)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m bot train --if-needed
	$(PY) -m bot validate
	$(PY) -m bot test-stories
	$(PY) -m pytest
	npm --prefix miniprogram test --silent

eval-nlu: setup ## NLU on held-out data: intent accuracy, macro-F1, entity P/R/F1, confusions (CV=1 adds 5-fold CV, ~45 min)
	$(PY) -m bot train --if-needed
	$(PY) -m bot eval-nlu $(if $(CV),--cross-validation)

eval-calibration: setup ## Intent confidence calibration: ECE, reliability table, fallback and wrong-but-confident rates
	$(PY) -m bot train --if-needed
	$(PY) -m bot calibration

eval-retrieval: setup ## Retrieval quality: hit@1, hit@5, MRR for BM25, dense and hybrid; out-of-scope declined
	$(PY) -m retrieval.evaluate

eval-answers: setup ## Policy answer layer on the development questions: right / wrong clause, declined, scope kept (SWEEP=1 tunes)
	$(PY) -m bot.answers.evaluate $(if $(SWEEP),--sweep)

eval-wordings: setup ## The same question in other words (cue, hedge, courtesy, place) gets the same answer (SHOW=1 lists the groups that differ)
	$(PY) -m bot.answers.eval_wordings $(if $(SHOW),--show)

eval-real: setup ## Real questions end to end through /api/chat: out-of-scope and off-question citations, covered answered right (own stack; QUESTIONS=file… for other sets)
	$(PY) -m bot train --if-needed
	$(PY) -m bot.answers.eval_real $(if $(QUESTIONS),--questions $(QUESTIONS)) $(if $(SHOW),--show)

eval-holdout: setup ## The held-out real questions (second to thirteenth annotators) end to end, as eval-real, each set and all together
	$(PY) -m bot train --if-needed
	$(PY) -m bot.answers.eval_real --questions $(sort $(wildcard knowledge/eval/real_questions_holdout*.yml)) $(if $(SHOW),--show)

eval-turns: setup ## One-breath messages end to end through /api/chat: turns to the amount and the course cards (own stack)
	$(PY) -m bot train --if-needed
	$(PY) -m bot.answers.eval_turns

bench-retrieval: setup ## Retrieval latency p50/p95, and a 100x synthetic corpus with FAISS index types
	$(PY) -m retrieval.bench

bench-courses: setup ## Nearest-course search p50/p95 over a synthetic 100 000-course catalogue
	$(PY) -m bot.courses.bench

bench-assist: setup ## Assist-pane suggestion latency p50/p95 (starts its own stack)
	$(PY) -m bot.assist.bench

bench-review: setup ## Review console list/filter p95 and sync time at 100 000 synthetic conversations
	$(PY) -m bot review bench

bench-stats: setup ## Stats page and command, and the retention purge, timed at 100 000 synthetic conversations
	$(PY) -m bot review bench-stats

bench: setup ## Chat load: p50/p95, throughput, errors at 10 and 50 concurrent conversations (own stack)
	$(PY) -m bot.bench.chat

soak: setup ## 10-minute chat load at 10 concurrent conversations; resident memory growth per process
	$(PY) -m bot.bench.chat --levels 10 --turns 100 --soak 600

lint: setup ## Lint and check formatting
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
