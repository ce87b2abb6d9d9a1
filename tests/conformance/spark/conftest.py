"""Fixtures for the Spark end-to-end suite: one local SparkSession (Spark 3.5 with Apache
Iceberg's Spark runtime and SQL extensions) whose catalog "pangolin" is an Iceberg REST catalog
pointed at the session's pangolin_api, on the Pangolin catalog "spark_lake" (a local-filesystem
warehouse that the server and Spark share, as both run on this host).

It needs pyspark and the Iceberg runtime jar, which scripts/run_spark.sh installs and fetches
before running pytest on this directory (`make test` and `make spark` call it), so it runs only
when its directory or one of its files is named on the command line; the pytest run over
tests/conformance skips it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pangolin_harness import Http, PangolinServer, expect_status, unique_name

SUITE_DIR = Path(__file__).resolve().parent
JARS_DIR = SUITE_DIR / "jars"

# The Spark catalog name used in SQL (pangolin.<namespace>.<table>) and the Pangolin catalog it
# maps to (the client's `warehouse` property; the server answers with it as overrides.prefix).
SPARK_CATALOG = "pangolin"
PANGOLIN_CATALOG = "spark_lake"

_VERSIONS = pytest.StashKey[str]()


def _named_on_command_line(config: pytest.Config) -> bool:
    for arg in config.args:
        path = Path(arg.split("::", 1)[0])
        if not path.is_absolute():
            path = config.invocation_params.dir / path
        path = path.resolve()
        if path == SUITE_DIR or SUITE_DIR in path.parents:
            return True
    return False


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    return True if not _named_on_command_line(config) else None


def pytest_report_header(config: pytest.Config) -> str | None:
    if not _named_on_command_line(config):
        return None
    try:
        import pyspark
        spark = f"pyspark {pyspark.__version__}"
    except ImportError:
        spark = "pyspark not installed"
    return f"spark suite: {spark}; runtime jars: {_runtime_jars() or 'none found'}"


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    versions = config.stash.get(_VERSIONS, None)
    if versions:
        terminalreporter.write_sep("-", "versions under test")
        terminalreporter.write_line(versions)


def _runtime_jars() -> str:
    """Comma-separated jar list: PANGOLIN_SPARK_JARS, else the runtime jar(s) in jars/."""
    configured = os.environ.get("PANGOLIN_SPARK_JARS", "")
    if configured:
        return configured
    return ",".join(str(p) for p in sorted(JARS_DIR.glob("iceberg-spark-runtime-*.jar")))


@pytest.fixture(scope="session")
def spark_catalog(make_test_catalog):
    """The Pangolin catalog the Spark catalog "pangolin" points at."""
    return make_test_catalog(PANGOLIN_CATALOG)


@pytest.fixture(scope="session")
def spark(pytestconfig: pytest.Config, pangolin_server: PangolinServer, spark_catalog,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    jars = _runtime_jars()
    if not jars:
        pytest.fail(f"no Iceberg Spark runtime jar: set PANGOLIN_SPARK_JARS or put one in "
                    f"{JARS_DIR} (scripts/run_spark.sh does)", pytrace=False)
    for jar in jars.split(","):
        if not Path(jar).is_file():
            pytest.fail(f"runtime jar {jar} not found", pytrace=False)
    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    scratch = tmp_path_factory.mktemp("spark")
    prefix = f"spark.sql.catalog.{SPARK_CATALOG}"
    builder = (
        SparkSession.builder.master("local[2]").appName("pangolin-spark-e2e")
        .config("spark.jars", jars)
        .config("spark.driver.memory", "1g")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", str(scratch / "spark-warehouse"))
        .config("spark.local.dir", str(scratch / "local"))
        .config("spark.sql.extensions",
                "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
        .config(prefix, "org.apache.iceberg.spark.SparkCatalog")
        .config(f"{prefix}.type", "rest")
        .config(f"{prefix}.uri", pangolin_server.base_url)
        .config(f"{prefix}.warehouse", spark_catalog.name)
        # Every statement loads the table from the server rather than from a client cache.
        .config(f"{prefix}.cache-enabled", "false")
        # A response that never comes fails the statement instead of stalling the run.
        .config(f"{prefix}.rest.client.socket-timeout-ms", "60000")
        .config(f"{prefix}.rest.client.connection-timeout-ms", "10000")
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("WARN")
    iceberg = session.sparkContext._jvm.org.apache.iceberg.IcebergBuild.fullVersion()
    versions = f"Spark {session.version}, {iceberg}, Java {_java_version(session)}"
    pytestconfig.stash[_VERSIONS] = versions
    yield session
    session.stop()


def _java_version(session: Any) -> str:
    return session.sparkContext._jvm.java.lang.System.getProperty("java.version")


@pytest.fixture(scope="session")
def sql(spark, pangolin_server: PangolinServer) -> Callable[..., list[tuple]]:
    """Runs one Spark SQL statement and returns its rows as tuples; a failure carries the end
    of the server log, which shows the REST requests the statement made."""

    def run(statement: str) -> list[tuple]:
        try:
            return [tuple(row) for row in spark.sql(statement).collect()]
        except Exception as e:  # noqa: BLE001 - re-raised with the server's side of the story
            raise AssertionError(
                f"Spark SQL failed: {statement}\n{e}\n"
                f"--- last lines of {pangolin_server.log_path} ---\n"
                f"{pangolin_server.log_tail(30)}") from e

    return run


@pytest.fixture
def namespace(sql) -> str:
    """A namespace that exists only for the calling test, created through Spark."""
    name = unique_name("ns")
    sql(f"CREATE NAMESPACE {SPARK_CATALOG}.{name}")
    return name


@pytest.fixture
def load_table(http: Http, spark_catalog) -> Callable[[str, str], dict]:
    """GET /v1/{prefix}/namespaces/{ns}/tables/{table}: the table metadata as the server has it."""

    def load(namespace: str, table: str) -> dict:
        path = f"/v1/{spark_catalog.name}/namespaces/{namespace}/tables/{table}"
        return expect_status(http.get(path), 200)["metadata"]

    return load
