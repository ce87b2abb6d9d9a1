"""Crash safety: the server is killed with SIGKILL at random points while clients stream table
commits, table and namespace creations, and branch and tag operations at it. After each kill it
restarts on the same store, and every acknowledged change must be there, nothing half-applied
(every listed table loads and its metadata file exists), the commit history and the audit chain
whole, and a table's properties never behind what was acknowledged. On SQLite, PostgreSQL and
MongoDB (FerretDB).

The seed of the kill points is printed, and PANGOLIN_CRASH_SEED replays it."""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from pangolin_harness import DEFAULT_BINARY, Http, PangolinServer, expect_status, simple_schema

ROUNDS = 5
CATALOG = "lake"


@dataclass
class Acknowledged:
    """What the server answered with success, across every round."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    seq: int = 0  # the highest `seq` property of crash.t acknowledged
    tables: set[str] = field(default_factory=set)
    namespaces: set[str] = field(default_factory=set)
    branches: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)


def stream(stop: threading.Event, step: Callable[[int], bool], start: int) -> None:
    """Calls step(1), step(2), ... until it fails (the server went away) or `stop` is set."""
    i = start
    while not stop.is_set():
        i += 1
        try:
            if not step(i):
                return
        except requests.RequestException:
            return


def run_round(server: PangolinServer, acked: Acknowledged, round_no: int, kill_after: float) -> int:
    http = Http(server.base_url)
    base = round_no * 100_000
    stop = threading.Event()

    def commit(i: int) -> bool:
        r = http.post(f"/v1/{CATALOG}/namespaces/crash/tables/t", json={
            "requirements": [], "updates": [
                {"action": "set-properties", "updates": {"seq": str(base + i)}}]}, timeout=10)
        if r.status_code != 200:
            return False
        with acked.lock:
            acked.seq = max(acked.seq, base + i)
        return True

    def create_table(i: int) -> bool:
        name = f"c{base + i}"
        r = http.post(f"/v1/{CATALOG}/namespaces/crash/tables",
                      json={"name": name, "schema": simple_schema()}, timeout=10)
        if r.status_code != 200:
            return False
        with acked.lock:
            acked.tables.add(name)
        return True

    def refs(i: int) -> bool:
        ns, branch, tag = f"n{base + i}", f"b{base + i}", f"tag{base + i}"
        steps = [
            (lambda: http.post(f"/v1/{CATALOG}/namespaces", json={"namespace": ["crash", ns]},
                               timeout=10), acked.namespaces, ns),
            (lambda: http.post("/api/v1/branches", json={"name": branch, "catalog": CATALOG},
                               timeout=10), acked.branches, branch),
            (lambda: http.post("/api/v1/tags", json={"name": tag, "catalog": CATALOG,
                                                     "commit_id": "main"}, timeout=10),
             acked.tags, tag),
        ]
        for send, into, name in steps:
            r = send()
            if r.status_code not in (200, 201):
                return False
            with acked.lock:
                into.add(name)
        return True

    threads = [threading.Thread(target=stream, args=(stop, step, 0))
               for step in (commit, create_table, refs)]
    for t in threads:
        t.start()
    time.sleep(kill_after)
    server.kill()
    stop.set()
    for t in threads:
        t.join(timeout=30)
    return acked.seq


def verify(server: PangolinServer, acked: Acknowledged) -> None:
    http = Http(server.base_url)
    table = expect_status(http.get(f"/v1/{CATALOG}/namespaces/crash/tables/t"), 200)
    assert int(table["metadata"]["properties"].get("seq", "0")) >= acked.seq
    listed = set()
    token = None
    while True:
        params = {"pageSize": 1000, **({"pageToken": token} if token else {})}
        page = expect_status(http.get(f"/v1/{CATALOG}/namespaces/crash/tables", params=params),
                             200)
        listed |= {item["name"] for item in page["identifiers"]}
        token = page.get("next-page-token")
        if not token:
            break
    assert acked.tables <= listed, f"lost tables: {sorted(acked.tables - listed)}"
    # Nothing half-applied: every table that exists loads, and its metadata file is there.
    for name in sorted(listed):
        loaded = expect_status(http.get(f"/v1/{CATALOG}/namespaces/crash/tables/{name}"), 200)
        location = loaded["metadata-location"]
        assert Path(location.removeprefix("file://")).is_file(), location
    namespaces = {ns[-1] for ns in expect_status(http.get(
        f"/v1/{CATALOG}/namespaces", params={"parent": "crash"}), 200)["namespaces"]}
    assert acked.namespaces <= namespaces, f"lost namespaces: {acked.namespaces - namespaces}"
    branches = {b["name"] for b in expect_status(http.get(
        "/api/v1/branches", params={"catalog": CATALOG, "limit": 100000}), 200)}
    assert acked.branches <= branches, f"lost branches: {acked.branches - branches}"
    tags = {t["name"] for t in expect_status(http.get(
        "/api/v1/tags", params={"catalog": CATALOG, "limit": 100000}), 200)}
    assert acked.tags <= tags, f"lost tags: {acked.tags - tags}"
    # The history is whole: every commit's parent is in it.
    commits = expect_status(http.get("/api/v1/branches/main/commits", params={
        "catalog": CATALOG, "limit": 100000}), 200)
    ids = {c["id"] for c in commits}
    assert all(c["parent_id"] is None or c["parent_id"] in ids for c in commits)
    verification = expect_status(http.get("/api/v1/audit/verify"), 200)
    assert verification["valid"], verification


@pytest.fixture()
def seed() -> int:
    value = int(os.environ.get("PANGOLIN_CRASH_SEED", random.randrange(1 << 30)))
    print(f"crash seed: {value} (replay with PANGOLIN_CRASH_SEED={value})")
    return value


@pytest.mark.parametrize("backend", ["sqlite", "postgres", "mongo"])
def test_sigkill_at_random_points_loses_nothing_acknowledged(
        tmp_path: Path, seed: int, backend: str, request: pytest.FixtureRequest) -> None:
    rng = random.Random(seed)
    binary = Path(os.environ.get("PANGOLIN_BIN", str(DEFAULT_BINARY))).resolve()
    url = request.getfixturevalue(f"{backend}_database") if backend != "sqlite" else None
    server = PangolinServer(binary=binary, root=tmp_path, database_url=url)
    server.start()
    http = Http(server.base_url)
    wh = tmp_path / "wh"
    expect_status(http.post("/api/v1/warehouses", json={
        "name": "wh", "storage_config": {"type": "local", "root": str(wh)}}), 201)
    expect_status(http.post("/api/v1/catalogs", json={
        "name": CATALOG, "warehouse_name": "wh", "storage_location": f"file://{wh}/lake"}), 201)
    expect_status(http.post(f"/v1/{CATALOG}/namespaces", json={"namespace": ["crash"]}), 200)
    expect_status(http.post(f"/v1/{CATALOG}/namespaces/crash/tables",
                            json={"name": "t", "schema": simple_schema()}), 200)
    acked = Acknowledged()
    for round_no in range(1, ROUNDS + 1):
        run_round(server, acked, round_no, kill_after=rng.uniform(0.3, 1.5))
        server.start()
        verify(server, acked)
    print(f"acknowledged before the kills: {acked.seq % 100_000} commits in the last round, "
          f"{len(acked.tables)} tables, {len(acked.namespaces)} namespaces, "
          f"{len(acked.branches)} branches, {len(acked.tags)} tags")
    assert acked.seq > 0 and acked.tables and acked.branches, "the stream never got going"
    server.assert_stopped_cleanly()
    if backend == "sqlite":
        with sqlite3.connect(f"file:{tmp_path / 'pangolin.db'}?mode=ro", uri=True) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
