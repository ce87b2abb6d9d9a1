"""Session fixtures shared by the conformance and integration suites: one pangolin_api process
(binary from PANGOLIN_BIN, default build/src/pangolin_api) with a local warehouse "wh" and a
catalog "lake" in it, created through the management API."""

from __future__ import annotations

import faulthandler
import os
import subprocess
import sys
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pangolin_harness import (AZURITE_SCRIPT, DEFAULT_BINARY, FAKE_GCS_SCRIPT, FERRETDB_SCRIPT,
                              MINIO_SCRIPT, POSTGRES_SCRIPT, Http, PangolinServer, PostgresServer,
                              S3Service, create_catalog, create_warehouse)

# Whole-session deadline: a hung request must fail the run, not stall it. The server is tied
# to this process (parent-death signal), so it goes down with it.
SESSION_TIMEOUT_S = int(os.environ.get("PANGOLIN_TEST_TIMEOUT", "1200"))

WAREHOUSE = "wh"
CATALOG = "lake"


def pytest_configure(config: pytest.Config) -> None:
    if SESSION_TIMEOUT_S > 0:
        faulthandler.dump_traceback_later(SESSION_TIMEOUT_S, exit=True, file=sys.stderr)


def pytest_unconfigure(config: pytest.Config) -> None:
    faulthandler.cancel_dump_traceback_later()


@dataclass(frozen=True)
class CatalogInfo:
    """A catalog created for the tests: its name (the REST prefix) and storage root on disk."""

    name: str
    warehouse: str
    root: Path

    @property
    def storage_location(self) -> str:
        return f"file://{self.root}"


@pytest.fixture(scope="session")
def pangolin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PangolinServer]:
    binary = Path(os.environ.get("PANGOLIN_BIN", str(DEFAULT_BINARY))).resolve()
    server = PangolinServer(binary=binary, root=tmp_path_factory.mktemp("pangolin"))
    failure = None
    try:
        server.start()
    except Exception as e:  # noqa: BLE001 - reported as one clear failure for every test
        failure = str(e)
        if server.process is not None and server.process.poll() is None:
            server.process.kill()
            server.process.wait()
    if failure is not None:
        pytest.fail(f"could not start pangolin_api: {failure}", pytrace=False)
    yield server
    server.assert_stopped_cleanly()


@pytest.fixture(scope="session")
def http(pangolin_server: PangolinServer) -> Http:
    return Http(pangolin_server.base_url)


@pytest.fixture(scope="session")
def warehouse(pangolin_server: PangolinServer, http: Http) -> str:
    pangolin_server.warehouse_root.mkdir(parents=True, exist_ok=True)
    create_warehouse(http, WAREHOUSE, pangolin_server.warehouse_root)
    return WAREHOUSE


@pytest.fixture(scope="session")
def lake(pangolin_server: PangolinServer, http: Http, warehouse: str) -> CatalogInfo:
    """The catalog "lake" in warehouse "wh", rooted at <tmp>/warehouse/lake."""
    info = CatalogInfo(CATALOG, warehouse, pangolin_server.warehouse_root / CATALOG)
    create_catalog(http, info.name, warehouse, info.storage_location)
    return info


@pytest.fixture(scope="session")
def make_test_catalog(pangolin_server: PangolinServer, http: Http, warehouse: str):
    """Creates another catalog in warehouse "wh" (for suites that need one to themselves)."""

    def make(name: str) -> CatalogInfo:
        info = CatalogInfo(name, warehouse, pangolin_server.warehouse_root / name)
        create_catalog(http, info.name, warehouse, info.storage_location)
        return info

    return make




@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """PANGOLIN_TEST_POSTGRES_URL (and PANGOLIN_TEST_POSTGRES_DATA), as `make test` sets them, else
    a throwaway cluster started here. Never skipped: without PostgreSQL the tests that need it
    fail."""
    url = os.environ.get("PANGOLIN_TEST_POSTGRES_URL")
    if url:
        data = os.environ.get("PANGOLIN_TEST_POSTGRES_DATA")
        yield PostgresServer(url, Path(data) if data else None)
        return
    data = tmp_path_factory.mktemp("postgres")
    started = subprocess.run([str(POSTGRES_SCRIPT), "start", str(data)], capture_output=True,
                             text=True)
    if started.returncode != 0:
        pytest.fail(f"could not start PostgreSQL: {started.stderr.strip()}", pytrace=False)
    yield PostgresServer(started.stdout.strip(), data)
    subprocess.run([str(POSTGRES_SCRIPT), "stop", str(data)], check=False)


@pytest.fixture
def postgres_database(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database on the PostgreSQL server, dropped afterwards; yields its URL."""
    name = f"pangolin_{uuid.uuid4().hex[:16]}"
    server = urllib.parse.urlsplit(postgres_server.url)

    def psql(sql: str) -> None:
        subprocess.run(["psql", "--quiet", "--no-psqlrc", "--dbname", postgres_server.url,
                        "--command", sql], check=True, capture_output=True)

    psql(f'CREATE DATABASE "{name}"')
    yield urllib.parse.urlunsplit(server._replace(path="/" + name))
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def mongo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a MongoDB wire-protocol server: PANGOLIN_TEST_MONGO_URL, as `make test` sets it,
    else a FerretDB started here (scripts/services/ferretdb.sh). Never skipped."""
    url = os.environ.get("PANGOLIN_TEST_MONGO_URL")
    if url:
        yield url
        return
    data = tmp_path_factory.mktemp("ferretdb")
    started = subprocess.run([str(FERRETDB_SCRIPT), "start", str(data)], capture_output=True,
                             text=True)
    if started.returncode != 0:
        pytest.fail(f"could not start FerretDB: {started.stderr.strip()}", pytrace=False)
    yield started.stdout.strip()
    subprocess.run([str(FERRETDB_SCRIPT), "stop", str(data)], check=False)


@pytest.fixture
def mongo_database(mongo_server: str) -> Iterator[str]:
    """A fresh database on the MongoDB server, dropped afterwards; yields its URL."""
    import pymongo
    name = f"pangolin_{uuid.uuid4().hex[:16]}"
    server = urllib.parse.urlsplit(mongo_server)
    yield urllib.parse.urlunsplit(server._replace(path="/" + name))
    with pymongo.MongoClient(mongo_server) as client:
        client.drop_database(name)


@pytest.fixture(scope="session")
def s3_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Service]:
    """MinIO: PANGOLIN_TEST_S3_ENDPOINT, as `make test` sets it, else a server started here
    (scripts/services/minio.sh, with its fixed test credentials). Never skipped."""
    endpoint = os.environ.get("PANGOLIN_TEST_S3_ENDPOINT")
    if endpoint:
        yield S3Service(endpoint)
        return
    data = tmp_path_factory.mktemp("minio")
    started = subprocess.run([str(MINIO_SCRIPT), "start", str(data)], capture_output=True,
                             text=True)
    if started.returncode != 0:
        pytest.fail(f"could not start MinIO: {started.stderr.strip()}", pytrace=False)
    yield S3Service(started.stdout.strip())
    subprocess.run([str(MINIO_SCRIPT), "stop", str(data)], check=False)


def emulator(variable: str, script: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The endpoint in `variable`, as `make test` sets it, else a server `script` starts here."""
    if os.environ.get(variable):
        yield os.environ[variable]
        return
    data = tmp_path_factory.mktemp(script.stem)
    started = subprocess.run([str(script), "start", str(data)], capture_output=True, text=True)
    if started.returncode != 0:
        pytest.fail(f"could not start {script.name}: {started.stderr.strip()}", pytrace=False)
    yield started.stdout.strip()
    subprocess.run([str(script), "stop", str(data)], check=False)


@pytest.fixture(scope="session")
def azurite_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Azurite's Blob endpoint (PANGOLIN_TEST_AZURE_ENDPOINT or scripts/services/azurite.sh)."""
    yield from emulator("PANGOLIN_TEST_AZURE_ENDPOINT", AZURITE_SCRIPT, tmp_path_factory)


@pytest.fixture(scope="session")
def fake_gcs_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """fake-gcs-server's endpoint (PANGOLIN_TEST_GCS_ENDPOINT or scripts/services/fake_gcs.sh),
    with its bucket "warehouse"."""
    yield from emulator("PANGOLIN_TEST_GCS_ENDPOINT", FAKE_GCS_SCRIPT, tmp_path_factory)
