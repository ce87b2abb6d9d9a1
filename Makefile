# Thin entry points for building, running and testing Pangolin. The real work lives in CMake
# (build), scripts/ (dependencies, checks) and the test suites under tests/.

NINJA_JOBS ?= 2
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
PYTHON ?= python3
PYTEST_ARGS ?=
PORT ?= 8080

SERVER_BIN := $(BUILD_DIR)/src/pangolin_api
# The Release build `make bench` measures, in a build directory of its own.
RELEASE_DIR ?= build-release
# Arguments for the performance benchmark, e.g. BENCH_ARGS=--quick or BENCH_ARGS="--sizes 1k,100k".
BENCH_ARGS ?=
# Arguments for the branching benchmark, e.g. BENCH_BRANCHING_ARGS=--quick.
BENCH_BRANCHING_ARGS ?=
# The server binary the Python suites start (override to test another build).
PANGOLIN_BIN ?= $(abspath $(SERVER_BIN))
PY_SUITES := tests/conformance tests/integration
FORMAT_FILES = $(shell find src tests bench -type f \( -name '*.h' -o -name '*.cc' \) 2>/dev/null | sort)

.PHONY: all deps configure build run test test-unit test-py spark rck bench bench-branching \
	bench-backends fmt lint tidy clean

all: build

deps:
	scripts/deps.sh

configure: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: configure
	ninja -C $(BUILD_DIR) -j $(NINJA_JOBS)

# Development server: no authentication, SQLite store under ./data, loopback only.
run: build
	mkdir -p data
	exec env PANGOLIN_NO_AUTH=true DATABASE_URL=sqlite://$(CURDIR)/data/pangolin.db \
	  PANGOLIN_BIND_ADDRESS=127.0.0.1 PORT=$(PORT) $(SERVER_BIN)

# Recipes whose tests need servers run under scripts/services/with_services.sh, which starts
# PostgreSQL, FerretDB, MinIO, Azurite and fake-gcs-server on loopback (unless the PANGOLIN_TEST_*
# variables already name servers), exports where they are, and stops and removes them at the end.
WITH_SERVICES := scripts/services/with_services.sh

test: build
	@$(WITH_SERVICES) sh -ec '\
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(NINJA_JOBS); \
	$(PYTHON) scripts/check_includes.py; \
	PANGOLIN_BIN=$(PANGOLIN_BIN) $(PYTHON) -m pytest $(PYTEST_ARGS) $(PY_SUITES); \
	PANGOLIN_BIN=$(PANGOLIN_BIN) PYTHON=$(PYTHON) scripts/run_spark.sh; \
	PANGOLIN_BIN=$(PANGOLIN_BIN) scripts/run_rck.sh' 

test-unit:
	@$(WITH_SERVICES) ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(NINJA_JOBS)

test-py:
	PANGOLIN_BIN=$(PANGOLIN_BIN) $(PYTHON) -m pytest $(PYTEST_ARGS) $(PY_SUITES)

# Spark end-to-end suite alone (tests/conformance/spark; also run by `make test`): Spark SQL with
# Apache Iceberg's Spark runtime against the server through the Iceberg REST protocol.
# scripts/run_spark.sh installs pyspark and fetches the runtime jar on first use.
spark: configure
	ninja -C $(BUILD_DIR) -j $(NINJA_JOBS) pangolin_api
	PANGOLIN_BIN=$(PANGOLIN_BIN) PYTHON=$(PYTHON) scripts/run_spark.sh $(PYTEST_ARGS)

# Apache Iceberg's REST Compatibility Kit (1.11.0, from Maven Central) against the server
# (tests/conformance/rck/README.md); `make test` runs it too. RCK_ARGS go to scripts/run_rck.sh,
# e.g. RCK_ARGS=view or RCK_ARGS="catalog -- --include-methodname '.*Rename.*'".
RCK_ARGS ?=
rck: configure
	ninja -C $(BUILD_DIR) -j $(NINJA_JOBS) pangolin_api
	PANGOLIN_BIN=$(PANGOLIN_BIN) scripts/run_rck.sh $(RCK_ARGS)

# Performance benchmark (bench/README.md, docs/performance.md): a Release server with
# authentication on, loaded by wrk; reads beside nginx serving the same bytes, commits beside a raw
# file+fsync+transaction loop, reads at 1k, 100k and 1M tables. A measurement, not a test: not run
# by `make test`. Installs wrk and nginx when missing (scripts/deps.sh --bench).
bench:
	scripts/deps.sh --bench
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release
	ninja -C $(RELEASE_DIR) -j $(NINJA_JOBS) pangolin_api seed_tables raw_commit
	$(PYTHON) bench/perf_bench.py --pangolin-bin $(RELEASE_DIR)/src/pangolin_api \
	  --tools-dir $(RELEASE_DIR)/bench $(BENCH_ARGS)

# Branching benchmark (bench/README.md): branch creation and table@branch reads at 1k, 100k and
# 1M tables, beside raw SQLite and HTTP baselines. A measurement, not a test: not run by `make test`.
bench-branching: configure
	ninja -C $(BUILD_DIR) -j $(NINJA_JOBS) branching_bench pangolin_api
	$(BUILD_DIR)/bench/branching_bench --server $(SERVER_BIN) $(BENCH_BRANCHING_ARGS)

# Per-backend benchmark (bench/README.md): loadTable and commits on the memory, SQLite and
# PostgreSQL stores beside same-run baselines. BENCH_BACKENDS_ARGS, e.g. "--seconds 3".
BENCH_BACKENDS_ARGS ?=
bench-backends: configure
	ninja -C $(BUILD_DIR) -j $(NINJA_JOBS) pangolin_api
	$(PYTHON) bench/backends_bench.py --pangolin-bin $(SERVER_BIN) $(BENCH_BACKENDS_ARGS)

fmt:
	clang-format -i $(FORMAT_FILES)

lint:
	clang-format --dry-run --Werror $(FORMAT_FILES)
	$(PYTHON) scripts/check_includes.py --self-test
	$(PYTHON) scripts/check_includes.py

# clang-tidy over every translation unit (needs compile_commands.json from a build).
tidy: build
	run-clang-tidy -quiet -j $(NINJA_JOBS) -p $(BUILD_DIR) '$(CURDIR)/src/'

clean:
	rm -rf $(BUILD_DIR) tests/.pytest_cache
