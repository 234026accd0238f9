# The two commands of the README: `make site` (set up, then build site/ from dumps/) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# A pinned torch: unpinned, pip may pick a multi-GB CUDA build. On a GPU machine, `make site TORCH=torch`.
TORCH  ?= torch==2.13.0

.PHONY: site test serve lint bench bench-scale bench-gpu clean

site: $(VENV)/.installed
	$(BIN)/digest build

test: lint
	$(BIN)/python -m pytest

# ruff for the Python, ESLint (with Node, from package.json) for the site's own scripts.
lint: $(VENV)/.installed node_modules/.installed
	$(BIN)/ruff check .
	npx --no-install eslint site_config/overrides/assets/javascripts tests/js

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

serve: $(VENV)/.installed
	$(BIN)/digest serve

bench: $(VENV)/.installed
	$(BIN)/python bench/seeds_build.py
	$(BIN)/python bench/parse.py
	$(BIN)/python bench/keyphrases.py
	$(BIN)/pip install --quiet -e ".[bench]"
	$(BIN)/python bench/topics.py
	$(BIN)/python bench/tldr.py

# Cold, warm and increment builds of 2,000 / 5,000 / 20,000 synthetic papers: about an hour on 2 CPUs.
bench-scale: $(VENV)/.installed
	$(BIN)/python bench/build.py

# Keyphrases for 20,000 abstracts on CUDA: abstracts/s and agreement with the CPU (bench/gpu.py).
bench-gpu:
	bash bench/gpu.sh $(GPU_ARGS)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet "$(TORCH)"
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

clean:
	rm -rf site .cache node_modules
