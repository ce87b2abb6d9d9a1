"""The backup and restore drill (scripts/backup_drill.py) against a live server with two tenants,
on SQLite, PostgreSQL and MongoDB (FerretDB): the backup is taken while the server runs, restored into a fresh
database, served by a second server and walked; the walk must match the source's. A store whose
audit trail was altered does not pass the drill."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pangolin_harness import (DEFAULT_BINARY, PangolinServer, create_local_catalog, create_tenant,
                              expect_status, login, simple_schema)

ROOT_PASSWORD = "root-password-for-backups"
PASSWORD = "password-for-backup-tests"
DRILL = Path(__file__).resolve().parents[2] / "scripts" / "backup_drill.py"
BINARY = Path(os.environ.get("PANGOLIN_BIN", str(DEFAULT_BINARY))).resolve()


def populate(server: PangolinServer) -> None:
    root = login(server, "root", ROOT_PASSWORD)[0]
    for t in ("a", "b"):
        admin = create_tenant(server, root, f"backup-{t}", f"admin-{t}", PASSWORD)[1]
        create_local_catalog(admin, server.root / f"wh-{t}")
        for ns in (["sales"], ["sales", "eu"]):
            expect_status(admin.post("/v1/lake/namespaces", json={"namespace": ns}), 200)
        for table in ("orders", "refunds"):
            expect_status(admin.post("/v1/lake/namespaces/sales%1Feu/tables", json={
                "name": table, "schema": simple_schema()}), 200)
        expect_status(admin.post("/v1/lake/namespaces/sales/views", json={
            "name": "daily", "schema": simple_schema(), "view-version": {
                "version-id": 1, "timestamp-ms": 1, "schema-id": 0, "summary": {},
                "default-namespace": ["sales"], "representations": [
                    {"type": "sql", "sql": "select 1", "dialect": "spark"}]}}), 200)
        expect_status(admin.post("/api/v1/branches", json={"name": "dev", "catalog": "lake"}), 201)
        expect_status(admin.post("/api/v1/tags", json={
            "name": "v1", "catalog": "lake", "commit_id": "main"}), 201)


def drop_database(url: str, name: str) -> None:
    if url.startswith("mongodb"):
        import pymongo
        with pymongo.MongoClient(url) as client:
            client.drop_database(name)
    else:
        subprocess.run(["psql", "--quiet", "--no-psqlrc", "--dbname", url, "--command",
                        f'DROP DATABASE "{name}" WITH (FORCE)'], check=True)


def drill(database_url: str, out: Path,
          source_url: str | None = None) -> subprocess.CompletedProcess:
    args = [sys.executable, str(DRILL), "--database-url", database_url, "--out", str(out),
            "--pangolin-bin", str(BINARY), "--root-password", ROOT_PASSWORD]
    if source_url:
        args += ["--source-url", source_url]
    return subprocess.run(args, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("backend", ["sqlite", "postgres", "mongo"])
def test_a_live_backup_restores_into_the_same_catalog(tmp_path: Path, backend: str,
                                                       request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue(f"{backend}_database") if backend != "sqlite" else None
    server = PangolinServer(binary=BINARY, root=tmp_path / "live", root_password=ROOT_PASSWORD,
                            database_url=url)
    server.root.mkdir()
    server.start()
    populate(server)
    result = drill(url or f"sqlite://{server.root / 'pangolin.db'}", tmp_path / "backups",
                   server.base_url)
    if backend != "sqlite":  # the drill leaves the restored database for the operator
        restored = re.search(r"restored into database (\S+)", result.stdout)
        assert restored, result.stdout + result.stderr
        drop_database(url, restored.group(1))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "restored copy verifies: 3 tenants, 2 catalogs, 4 namespaces, 4 tables, 2 views, " \
           "4 branches, 2 tags" in result.stdout, result.stdout
    assert "the restored copy matches the source" in result.stdout
    server.assert_stopped_cleanly()


def test_an_altered_audit_trail_fails_the_drill(tmp_path: Path) -> None:
    server = PangolinServer(binary=BINARY, root=tmp_path / "live", root_password=ROOT_PASSWORD)
    server.root.mkdir()
    server.start()
    populate(server)
    server.assert_stopped_cleanly()
    altered = tmp_path / "altered.db"
    shutil.copyfile(server.root / "pangolin.db", altered)
    with sqlite3.connect(altered) as db:
        db.execute("UPDATE audit_log SET action = 'login' WHERE seq = 2 AND action <> 'login'")
    result = drill(f"sqlite://{altered}", tmp_path / "backups")
    assert result.returncode == 1
    assert "audit chain broken" in result.stderr, result.stderr
