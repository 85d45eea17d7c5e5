# make run   - set everything up (.venv) and start ANTQ Desktop on the embedded SQLite database
# make test  - set everything up and run the whole test suite offscreen
# make bench - run the benchmarks and print their figures
# make frozen-smoke - build the PyInstaller folder (dist/ANTQ Desktop) and smoke-test its programs
# make test-postgres - the database and service tests again, on a PostgreSQL server: set
#                      ANTQ_TEST_POSTGRES_URL to an administrator's URL (.ci/run starts one), e.g.
#                      postgresql+psycopg://postgres@127.0.0.1:5433/postgres
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
BUILD_INSTALLED := $(VENV)/.installed-build

.PHONY: run test test-postgres bench frozen-smoke clean

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

# Each test gets a database of its own on the server, made from templates built once (tests/conftest.py).
test-postgres: $(INSTALLED)
	@if [ -z "$$ANTQ_TEST_POSTGRES_URL" ]; then \
		echo "make test-postgres: ANTQ_TEST_POSTGRES_URL is not set. Give the URL of a PostgreSQL server where" >&2; \
		echo "  this login may create databases, e.g. postgresql+psycopg://postgres@127.0.0.1:5433/postgres" >&2; \
		exit 2; \
	fi
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest tests/db tests/services

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
