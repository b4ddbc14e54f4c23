# Two commands set everything up on a fresh machine (Python 3.11 + pip, no services, no root):
#   make demo   serves the demo MIS with the Privacy tab on embedded SQLite + Redis
#   make test   lint, types and the test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
DEPS_STAMP := $(VENV)/.deps-stamp
SYS_STAMP := $(VENV)/.system-stamp

.PHONY: install test lint types pytest demo eval bench bench-pack clean system-deps wheel-check fuzz eval-faces bench-media

$(PY):
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip setuptools wheel

# Full dependency install only when the declared dependencies change.
$(DEPS_STAMP): pyproject.toml setup.cfg | $(PY)
	$(PIP) install -q -e '.[test,demo]' --config-settings editable_mode=strict
	touch $@

# OCR (tesseract), PDF rendering (poppler), qpdf, libGL for OpenCV and a browser for browser
# tests come from Debian; re-run when the script changes (a new package reaches old checkouts).
# Installed when we are root and apt works; otherwise the features say they are unavailable.
$(SYS_STAMP): scripts/system-deps.sh | $(PY)
	@bash scripts/system-deps.sh || true
	touch $@

system-deps: $(SYS_STAMP)

# x-ray (Free Law Project) reads the browser test's packs for bad redactions. Every release
# pins one exact PyMuPDF older than ours, so it gets its own venv and runs as a program; its
# range is in pyproject.toml ([tool.pupil_privacy.test-tools]).
XRAY_VENV := .venv-xray
XRAY_STAMP := $(XRAY_VENV)/.stamp
XRAY_SPEC = $(shell $(PY) -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["tool"]["pupil_privacy"]["test-tools"]["x-ray"])')
$(XRAY_STAMP): pyproject.toml | $(PY)
	$(PYTHON) -m venv $(XRAY_VENV)
	$(XRAY_VENV)/bin/python -m pip install -q "$(XRAY_SPEC)"
	touch $@

# The strict editable install is a link tree: re-link every time so new modules and
# templates are seen (and mypy can follow the package_dir mapping).
install: $(DEPS_STAMP) $(SYS_STAMP) $(XRAY_STAMP)
	$(PIP) install -q --no-deps --no-build-isolation -e . --config-settings editable_mode=strict

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: install
	$(VENV)/bin/mypy -p pupil_privacy.redaction -p pupil_privacy.worker -p pupil_privacy.plugin -p pupil_privacy.demo

pytest: install
	$(VENV)/bin/pytest

test: lint types pytest

demo: install
	$(PY) -m pupil_privacy.demo

eval: install
	$(PY) scripts/eval_redaction.py
	$(MAKE) eval-faces

bench: install
	$(PY) scripts/bench_redaction.py
	$(MAKE) bench-media

bench-pack: install
	$(PY) scripts/bench_pack.py

# Faces in photos and video (issue 13): recall, faces left, the pupil kept, speed.
eval-faces: install
	$(PY) scripts/eval_faces.py

# A 60-second 720p clip: time per minute of video and peak memory (< 1 GiB).
bench-media: install
	$(PY) scripts/bench_media.py

# Parser fuzzing (issue 11): random hypothesis examples, then byte-flip mutation of sample
# PDF, DOCX and EML for FUZZ_SECONDS; findings go to fuzz-findings/.
FUZZ_SECONDS ?= 600
fuzz: install
	HYPOTHESIS_PROFILE=long $(VENV)/bin/pytest -q -p no:cacheprovider tests/redaction/hardening/test_hardening_properties.py
	$(PY) scripts/fuzz.py --seconds $(FUZZ_SECONDS) --out fuzz-findings

clean:
	rm -rf $(VENV) $(XRAY_VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache
