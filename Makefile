# Two commands on a fresh machine with Python 3 and make:
#   make lab    set up .venv and open the course in JupyterLab
#   make test   set up .venv and run every check
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: lab test test-fast setup build lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the dependency list changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,instructor,browser,hub]'
	touch $(STAMP)

# configurable-http-proxy (npm) for the hub test, kept inside .venv: nothing global.
CHP := $(VENV)/node/node_modules/.bin/configurable-http-proxy
$(CHP): | $(BIN)/python
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --silent --no-audit --no-fund --prefix $(VENV)/node configurable-http-proxy@5; \
	else echo "npm not found: the hub test (tests/deploy) will skip (fails in CI)"; fi

# The kernel configuration that loads postsoviet.kernel_hints. A wheel installs it
# (pyproject's data-files); an editable install leaves data files out, so copy it here.
KERNEL_CONFIG := $(VENV)/etc/ipython/ipython_kernel_config.json
$(KERNEL_CONFIG): jupyter-config/ipython_kernel_config.json | $(STAMP)
	install -D -m 644 $< $@

setup: $(STAMP) $(CHP) $(KERNEL_CONFIG)

# JupyterLab refuses to run as root unless told to (containers, CI machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: setup
	$(BIN)/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir=. course/00-start-here.ipynb

lint: setup
	$(BIN)/ruff check .

SAMPLES := --source tests/samples/solutions --dest tests/samples/exercises

# Tests run on every core (pytest-xdist); a module whose tests share an expensive fixture
# (a graded class, a JupyterLab) is kept on one worker by its xdist_group mark.
# Every stored notebook is executed once, by tests/test_stored_notebooks.py.
PYTEST_PARALLEL := -n auto --dist loadgroup

test: lint
	$(BIN)/python -m postsoviet quiz-keys --check
	$(BIN)/python -m postsoviet exercise-keys --check
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)

# The inner loop for authors: unit tests only (no notebook runs, grading or browser), under
# two minutes. `make test` is still the one command that proves a change.
test-fast: setup
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not slow"

# Re-execute the committed notebooks after editing them (authors only).
build: setup
	$(BIN)/python -m postsoviet quiz-keys
	$(BIN)/python -m postsoviet exercise-keys
	$(BIN)/python -m postsoviet build course solutions tests/samples/solutions
	$(BIN)/python -m postsoviet exercises
	$(BIN)/python -m postsoviet exercises $(SAMPLES)

# Measure speed and write docs/performance.md (no timing is ever asserted in tests).
bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
