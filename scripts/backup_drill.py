#!/usr/bin/env python3
"""Backup and restore drill for Pangolin's metadata store (docs/operations.md).

Takes a consistent backup of the store at DATABASE_URL, restores it into a fresh database,
starts pangolin_api on the restored copy and walks it through the API: every tenant, catalog,
namespace, table and view (each loaded, and a local metadata file checked on disk), branch and
tag, and each tenant's audit hash chain. With --source-url (a running Pangolin on the original
store, unchanged since the backup) the same walk of the source must give the same answer.

  scripts/backup_drill.py --database-url sqlite:///var/lib/pangolin/pangolin.db --out /backups
  scripts/backup_drill.py --database-url postgresql://pangolin@db/pangolin --out /backups \\
      --root-password "$PANGOLIN_ROOT_PASSWORD" --source-url https://pangolin.internal
  scripts/backup_drill.py --database-url mongodb://db.internal/pangolin --out /backups

SQLite is backed up with SQLite's online backup API (safe while servers write), PostgreSQL with
pg_dump --format=custom and restored with pg_restore into a new database on the same server
(its name is printed; drop it when done). MongoDB is copied collection by collection with pymongo
into one BSON file and restored into a new database on the same server (its name is printed):
that copy is consistent only while no server writes (docs/operations.md gives the production
procedure). Exits 0 when the restored copy verifies."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def fail(message: str) -> None:
    print(f"backup_drill: error: {message}", file=sys.stderr)
    sys.exit(1)


# --- backup and restore ---

def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite://"))


def backup_sqlite(url: str, out: Path, stamp: str) -> Path:
    source = sqlite_path(url)
    if not source.is_file():
        fail(f"no SQLite database at {source}")
    target = out / f"pangolin-{stamp}.db"
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def restore_sqlite(backup: Path, out: Path, stamp: str) -> str:
    restored = out / f"restore-{stamp}" / "pangolin.db"
    restored.parent.mkdir(parents=True)
    shutil.copyfile(backup, restored)
    with sqlite3.connect(restored) as db:
        if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            fail(f"{restored}: integrity check failed")
    return f"sqlite://{restored}"


def with_database(url: str, database: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + database))


def backup_postgres(url: str, out: Path, stamp: str) -> Path:
    target = out / f"pangolin-{stamp}.dump"
    subprocess.run(["pg_dump", "--format=custom", "--file", str(target), "--dbname", url],
                   check=True)
    return target


def restore_postgres(url: str, backup: Path, stamp: str) -> str:
    database = f"pangolin_restore_{stamp}"
    subprocess.run(["psql", "--quiet", "--no-psqlrc", "--dbname", with_database(url, "postgres"),
                    "--command", f'CREATE DATABASE "{database}"'], check=True)
    restored = with_database(url, database)
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored,
                    str(backup)], check=True)
    print(f"restored into database {database} (drop it when done)")
    return restored


def mongo_database(url: str) -> str:
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    return name or "pangolin"


def backup_mongo(url: str, out: Path, stamp: str) -> Path:
    import bson  # pymongo's; imported here so that the other backends do not need it
    import pymongo
    target = out / f"pangolin-{stamp}.mongo.bson"
    with pymongo.MongoClient(url) as client, open(target, "wb") as f:
        database = client[mongo_database(url)]
        names = sorted(database.list_collection_names())
        if not names:
            fail(f"database {database.name} holds no collections")
        for name in names:
            for doc in database[name].find():
                f.write(bson.encode({"collection": name, "doc": doc}))
    return target


def restore_mongo(url: str, backup: Path, stamp: str) -> str:
    import bson
    import pymongo
    database = f"pangolin_restore_{stamp}"
    restored = with_database(url, database)
    with pymongo.MongoClient(url) as client:
        target = client[database]
        batches: dict[str, list] = {}
        for record in bson.decode_all(backup.read_bytes()):
            batches.setdefault(record["collection"], []).append(record["doc"])
        for name, docs in batches.items():
            target[name].insert_many(docs, ordered=True)
    print(f"restored into database {database} (drop it when done)")
    return restored  # the server recreates the indexes when it starts


# --- the walk ---

class Api:
    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def call(self, method: str, path: str, body: Any = None, tenant: str | None = None,
             allow: tuple[int, ...] = (200,)) -> Any:
        headers = dict(self.headers, **({"X-Pangolin-Tenant": tenant} if tenant else {}))
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base_url + path, data=data, method=method,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read()
                status = response.status
        except urllib.error.HTTPError as e:
            text, status = e.read(), e.code
        if status not in allow:
            fail(f"{method} {path} (tenant {tenant}): {status} {text[:300]!r}")
        return json.loads(text) if text else None

    def login(self, password: str) -> "Api":
        answer = self.call("POST", "/api/v1/users/login",
                           {"username": "root", "password": password})
        return Api(self.base_url, answer["token"])


def walk_catalog(api: Api, tenant: str | None, catalog: str, check_files: bool) -> dict:
    found: dict[str, Any] = {"tables": {}, "views": {}, "namespaces": []}
    pending: list[list[str]] = [[]]
    while pending:
        parent = pending.pop()
        query = "?parent=" + urllib.parse.quote("\x1f".join(parent)) if parent else ""
        for ns in api.call("GET", f"/v1/{catalog}/namespaces{query}", tenant=tenant)["namespaces"]:
            found["namespaces"].append(".".join(ns))
            pending.append(ns)
            path = urllib.parse.quote("\x1f".join(ns))
            for kind in ("tables", "views"):
                listed = api.call("GET", f"/v1/{catalog}/namespaces/{path}/{kind}", tenant=tenant)
                for ident in listed["identifiers"]:
                    loaded = api.call("GET", f"/v1/{catalog}/namespaces/{path}/{kind}/"
                                      f"{urllib.parse.quote(ident['name'])}", tenant=tenant)
                    location = loaded["metadata-location"]
                    if check_files and location.startswith("file://"):
                        if not Path(location.removeprefix("file://")).is_file():
                            fail(f"{catalog}.{'.'.join(ns)}.{ident['name']}: {location} missing")
                    found[kind][".".join(ns + [ident["name"]])] = location
    found["namespaces"].sort()
    found["branches"] = sorted(
        (b["name"], b["head_commit_id"]) for b in api.call(
            "GET", f"/api/v1/branches?catalog={catalog}&limit=100000", tenant=tenant))
    found["tags"] = sorted((t["name"], t["commit_id"]) for t in api.call(
        "GET", f"/api/v1/tags?catalog={catalog}&limit=100000", tenant=tenant))
    return found


def walk(api: Api, root: bool, check_files: bool) -> dict:
    tenants: list[str | None] = [None]
    if root:
        tenants = [t["id"] for t in api.call("GET", "/api/v1/tenants?limit=100000")]
    everything = {}
    for tenant in tenants:
        catalogs = api.call("GET", "/api/v1/catalogs?limit=100000", tenant=tenant)
        audit = api.call("GET", "/api/v1/audit/verify", tenant=tenant)
        if not audit["valid"]:
            fail(f"tenant {tenant}: audit chain broken: {audit}")
        everything[tenant or "default"] = {
            "audit_entries": audit["entries"],
            "catalogs": {c["name"]: walk_catalog(api, tenant, c["name"], check_files)
                         for c in catalogs}}
    return everything


def summary(state: dict) -> str:
    catalogs = [c for t in state.values() for c in t["catalogs"].values()]
    return (f"{len(state)} tenants, {len(catalogs)} catalogs, "
            f"{sum(len(c['namespaces']) for c in catalogs)} namespaces, "
            f"{sum(len(c['tables']) for c in catalogs)} tables, "
            f"{sum(len(c['views']) for c in catalogs)} views, "
            f"{sum(len(c['branches']) for c in catalogs)} branches, "
            f"{sum(len(c['tags']) for c in catalogs)} tags, "
            f"{sum(t['audit_entries'] for t in state.values())} audit entries")


# --- a server on the restored copy ---

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(binary: Path, url: str, workdir: Path, no_auth: bool) -> tuple[subprocess.Popen, str]:
    port = free_port()
    args = [str(binary), "--bind", "127.0.0.1", "--port", str(port), "--database-url", url]
    if no_auth:
        args.append("--no-auth")
    log = open(workdir / "drill-server.log", "wb")
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=workdir)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            fail(f"pangolin_api exited on the restored store (see {workdir}/drill-server.log)")
        try:
            with urllib.request.urlopen(base + "/health/ready", timeout=2) as r:
                if r.status == 200:
                    return process, base
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.1)
    process.kill()
    fail("the server on the restored store was not ready within 30 s")
    raise AssertionError  # unreachable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="the store to back up (default: $DATABASE_URL)")
    parser.add_argument("--out", type=Path, required=True, help="where backups are written")
    parser.add_argument("--pangolin-bin", type=Path,
                        default=ROOT / "build" / "src" / "pangolin_api")
    parser.add_argument("--root-password", help="walk every tenant as root (else: development "
                        "mode, the default tenant only)")
    parser.add_argument("--source-url", help="a Pangolin serving the original store, walked too "
                        "and compared")
    args = parser.parse_args()
    url = args.database_url or fail("no --database-url and no DATABASE_URL")
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d%H%M%S") + f"_{os.getpid()}"
    if url.startswith("sqlite://"):
        backup = backup_sqlite(url, args.out, stamp)
        restored = restore_sqlite(backup, args.out, stamp)
    elif url.startswith(("postgres://", "postgresql://")):
        backup = backup_postgres(url, args.out, stamp)
        restored = restore_postgres(url, backup, stamp)
    elif url.startswith(("mongodb://", "mongodb+srv://")):
        backup = backup_mongo(url, args.out, stamp)
        restored = restore_mongo(url, backup, stamp)
    else:
        fail(f"unsupported database URL {url!r} (sqlite://, postgresql:// or mongodb://)")
    print(f"backup: {backup} ({backup.stat().st_size} bytes)")

    workdir = args.out / f"drill-{stamp}"
    workdir.mkdir()
    no_auth = args.root_password is None
    process, base = serve(args.pangolin_bin, restored, workdir, no_auth)
    try:
        api = Api(base) if no_auth else Api(base).login(args.root_password)
        restored_state = walk(api, not no_auth, check_files=True)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    print(f"restored copy verifies: {summary(restored_state)}")
    if args.source_url:
        source = Api(args.source_url)
        source = source if no_auth else source.login(args.root_password)
        # The source's audit trail grows with the drill's own logins: compare the rest.
        source_state = walk(source, not no_auth, check_files=False)
        for state in (source_state, restored_state):
            for tenant in state.values():
                tenant.pop("audit_entries")
        if source_state != restored_state:
            fail("the restored copy differs from the source")
        print("the restored copy matches the source")


if __name__ == "__main__":
    main()
