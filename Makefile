# make run   - set everything up (.venv) and start ANTQ Desktop on the embedded SQLite database
# make test  - set everything up and run the whole test suite offscreen
# make bench - run the benchmarks and print their figures
# make frozen-smoke - build the PyInstaller folder (dist/ANTQ Desktop) and smoke-test its programs
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
BUILD_INSTALLED := $(VENV)/.installed-build

.PHONY: run test bench frozen-smoke clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/python -m antq_desktop

test: $(INSTALLED)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: $(INSTALLED)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks

$(BUILD_INSTALLED): $(INSTALLED)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,build]'
	touch $(BUILD_INSTALLED)

# The same spec as the Windows build (installer/antq.spec), built into build/ and dist/.
frozen-smoke: $(BUILD_INSTALLED)
	QT_QPA_PLATFORM=offscreen $(BIN)/python installer/build.py folder --smoke

clean:
	rm -rf $(VENV) build dist .pytest_cache .hypothesis
