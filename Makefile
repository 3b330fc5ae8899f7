# Two set-up commands: `make demo` (install, run on the bundled examples) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
DEMO_DB ?= demo.duckdb

.PHONY: install demo test lint bench train clean

$(VENV)/.installed: pyproject.toml constraints.txt
	python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev,spark,train]'
	touch $@

# Country outlines for the web app's map: Natural Earth 1:110m as TopoJSON from the npm
# package world-atlas (ISC licence; Natural Earth is public domain), checked by its hash.
OUTLINES := $(VENV)/share/newsevents/countries-110m.json
OUTLINES_SHA256 := 2516c915867c7baf18ddec727aec46c315541a07cfb3d79a6559b05d5e94eee8
$(OUTLINES): $(VENV)/.installed
	rm -rf $(VENV)/share/newsevents/npm && mkdir -p $(VENV)/share/newsevents/npm
	cd $(VENV)/share/newsevents/npm && npm pack --silent world-atlas@2.0.2 >/dev/null && tar xzf world-atlas-2.0.2.tgz
	echo "$(OUTLINES_SHA256)  $(VENV)/share/newsevents/npm/package/countries-110m.json" | sha256sum -c --quiet
	cp $(VENV)/share/newsevents/npm/package/LICENSE $(VENV)/share/newsevents/world-atlas.LICENSE
	mv $(VENV)/share/newsevents/npm/package/countries-110m.json $@
	rm -rf $(VENV)/share/newsevents/npm

install: $(VENV)/.installed $(OUTLINES)

demo: install
	rm -f $(DEMO_DB)
	$(BIN)/newsevents ingest examples/articles examples/html examples/feeds examples/warc/11_crawl.warc.gz --db $(DEMO_DB)
	$(BIN)/newsevents articles --db $(DEMO_DB)
	$(BIN)/newsevents events --db $(DEMO_DB)
	$(BIN)/newsevents timeline IDN VNM --db $(DEMO_DB)

test: install
	$(BIN)/ruff check src tests bench scripts examples
	$(BIN)/ruff format --check src tests bench scripts examples
	$(BIN)/pytest

# Fit the sentence model on the article gold's train part (never its test part) and write
# src/newsevents/data/models/sentence_model.json; deterministic. Needs ../shared.
train: install
	$(BIN)/newsevents train ../shared/gold/articles

bench: install
	$(PY) bench/ingest.py --limit 3000
	$(PY) bench/code.py --limit 150
	$(PY) bench/merge.py
	$(PY) bench/throughput.py --limit 2000 --small 500 --baseline-limit 200
	$(PY) bench/runners.py

clean:
	rm -rf $(VENV) $(DEMO_DB) .pytest_cache
