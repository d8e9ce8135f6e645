# The two set-up commands of the README: `make generate` and `make test`.
# Everything they need is installed here (a venv with oagen and its test tools, and Prism from npm).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.oagen-installed
NODE_STAMP := node_modules/.oagen-installed

.PHONY: generate check test test-unit lint bench bench-quick bench-scale clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

generate: $(STAMP)
	$(VENV)/bin/oagen generate

check: $(STAMP)
	$(VENV)/bin/oagen generate --check

lint: $(STAMP)
	$(VENV)/bin/ruff check generator tests bench
	$(VENV)/bin/mypy

test: $(STAMP) $(NODE_STAMP)
	$(PY) -m pytest -q -p no:cacheprovider

# the inner loop: one generator module at a time, about 15 s
test-unit: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider tests/unit

# BENCH_ARGS: e.g. --quick, or --runs 3 --big-runs 1 (see python bench/run.py --help);
# SCALING_ARGS: e.g. --runs 1 --peers "" (see python bench/scaling.py --help)
IMPORTS_BENCH = $(PY) bench/imports.py --generate scale/github.json \
	$(or $(TMPDIR),/tmp)/oagen-bench-imports github_api repos_get '{"owner": "o", "repo": "r"}' \
	--cli repos get-2 --output bench/results-imports.md
SCALING_GITHUB = $(PY) bench/scaling.py --source scale/github.json --sizes 150,300,600,1200 \
	--runs 1 --output bench/scaling-github.md

# everything: all specs (github.json and jira.json included) against both peers, the growth
# curves, the import and --help times of the generated github package, and peak memory on
# every OpenAPI 3 spec of the corpus against openapi-python-client
bench: $(STAMP)
	$(PY) bench/run.py $(BENCH_ARGS)
	$(PY) bench/scaling.py $(SCALING_ARGS)
	$(SCALING_GITHUB)
	$(IMPORTS_BENCH)
	$(PY) bench/corpus_memory.py

# minutes, not the hour of `make bench`: small specs, one run, no scaling
bench-quick: $(STAMP)
	$(PY) bench/run.py --quick

# the largest specs (github.json, jira.json) against both peers, and github.json's growth
# from 150 to 1,200 operations; one run each (about 15 minutes on 2 cores)
bench-scale: $(STAMP)
	$(PY) bench/run.py --scale --output bench/results-scale.md
	$(SCALING_GITHUB)
	$(IMPORTS_BENCH)

clean:
	rm -rf $(VENV) node_modules
