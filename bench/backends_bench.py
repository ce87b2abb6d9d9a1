#!/usr/bin/env python3
"""Per-backend benchmark: loadTable latency and commit throughput of pangolin_api on the memory,
SQLite, PostgreSQL and MongoDB stores, each beside baselines measured in the same run
(bench/README.md):

- reads: `GET /health/live` on the same server, the HTTP ceiling of a request that touches no
  store, next to `loadTable` (wrk, 2 threads, 16 connections);
- commits: the store's own ceiling for one durable transaction (SQLite: a 4 KiB file written and
  fsynced, then one row inserted in a WAL database with synchronous=FULL; PostgreSQL: pgbench
  running one single-row INSERT per transaction with as many clients; MongoDB: as many pymongo
  clients each inserting one journaled document at a time; memory: the file write and fsync
  alone), next to Iceberg commits (set-properties, each writing a new metadata file) from
  as many clients to one table each, and to one shared table.

  bench/backends_bench.py                      # every backend, 10 s per measurement
  bench/backends_bench.py --seconds 3 --backends sqlite,postgres

PostgreSQL comes from PANGOLIN_BENCH_POSTGRES_URL, else a throwaway cluster is started with
scripts/services/postgres.sh; MongoDB from PANGOLIN_BENCH_MONGO_URL, else a FerretDB started with
scripts/services/ferretdb.sh. Needs wrk, pgbench and pymongo (scripts/deps.sh installs them)."""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from pangolin_harness import (FERRETDB_SCRIPT, POSTGRES_SCRIPT, Http,  # noqa: E402
                              PangolinServer, create_local_catalog, expect_status, simple_schema)

NANOS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(url: str, seconds: int) -> tuple[float, float, float]:
    """(requests/s, p50 ms, p99 ms) of wrk against `url`; fails on any non-2xx answer."""
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"wrk saw errors from {url}:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p: str) -> float:
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * NANOS[unit]

    return rate, pct("50"), pct("99")


def commit_clients(server: PangolinServer, tables: list[str], seconds: int) -> tuple[float, float,
                                                                                     float]:
    """(commits/s, p50 ms, p99 ms) of one client per entry of `tables` committing in a loop."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(table: str) -> None:
        http = Http(server.base_url)
        mine = []
        i = 0
        while time.monotonic() < deadline:
            i += 1
            started = time.perf_counter()
            r = http.post(f"/v1/lake/namespaces/b/tables/{table}", json={
                "requirements": [], "updates": [{"action": "set-properties",
                                                 "updates": {"n": str(i)}}]})
            if r.status_code != 200:
                raise RuntimeError(f"commit failed: {r.status_code} {r.text[:200]}")
            mine.append((time.perf_counter() - started) * 1e3)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(t,)) for t in tables]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    q = statistics.quantiles(latencies, n=100)
    return len(latencies) / seconds, q[49], q[98]


def fsync_file(directory: Path, i: int) -> None:
    path = directory / f"f{i % 64}.json"
    with open(path, "wb") as f:
        f.write(b"x" * 4096)
        f.flush()
        os.fsync(f.fileno())


def raw_ceiling(backend: str, url: str, clients: int, seconds: int, scratch: Path) -> float:
    """Durable transactions per second the store itself sustains (see the module docstring)."""
    if backend == "postgres":
        script = scratch / "insert.sql"
        script.write_text("INSERT INTO bench_raw (v) VALUES (1);\n")
        subprocess.run(["psql", "--quiet", "--no-psqlrc", "--dbname", url, "--command",
                        "CREATE TABLE IF NOT EXISTS bench_raw (id bigserial PRIMARY KEY, v int)"],
                       check=True)
        out = subprocess.run(["pgbench", "--no-vacuum", "-n", "-f", str(script), "-c",
                              str(clients), "-j", "2", "-T", str(seconds), url],
                             capture_output=True, text=True, check=True).stdout
        return float(re.search(r"tps = ([\d.]+)", out).group(1))
    if backend == "mongo":
        return mongo_inserts(url, clients, seconds)
    files = scratch / "raw-files"
    files.mkdir(exist_ok=True)
    db = None
    if backend == "sqlite":
        db = sqlite3.connect(scratch / "raw.db", isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("CREATE TABLE IF NOT EXISTS raw (id INTEGER PRIMARY KEY, v BLOB)")
    done = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        fsync_file(files, done)
        if db is not None:
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO raw (v) VALUES (?)", (b"x" * 200,))
            db.execute("COMMIT")
        done += 1
    return done / seconds


def mongo_inserts(url: str, clients: int, seconds: int) -> float:
    """Journaled single-document inserts per second from `clients` pymongo clients."""
    import pymongo
    done = [0] * clients
    deadline = time.monotonic() + seconds

    def client(i: int) -> None:
        with pymongo.MongoClient(url, journal=True) as c:
            collection = c.get_default_database()["bench_raw"]
            while time.monotonic() < deadline:
                collection.insert_one({"v": b"x" * 200})
                done[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / seconds


def database_url(backend: str, scratch: Path, servers: dict[str, str]) -> str:
    if backend == "memory":
        return "memory"
    if backend == "sqlite":
        return f"sqlite://{scratch / 'pangolin.db'}"
    name = f"bench_{uuid.uuid4().hex[:12]}"
    if backend == "mongo":  # the database is created by its first write
        return servers["mongo"].rstrip("/") + "/" + name
    postgres = servers["postgres"]
    subprocess.run(["psql", "--quiet", "--no-psqlrc", "--dbname", postgres, "--command",
                    f'CREATE DATABASE "{name}"'], check=True)
    return postgres.rsplit("/", 1)[0] + "/" + name


def measure(backend: str, args: argparse.Namespace, servers: dict[str, str]) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix=f"pangolin-bench-{backend}-"))
    url = database_url(backend, scratch, servers)
    server = PangolinServer(binary=args.pangolin_bin, root=scratch, database_url=url)
    server.start()
    try:
        http = Http(server.base_url)
        create_local_catalog(http, scratch / "wh")
        expect_status(http.post("/v1/lake/namespaces", json={"namespace": ["b"]}), 200)
        tables = [f"t{i}" for i in range(args.clients)] + ["read", "shared"]
        for table in tables:
            expect_status(http.post("/v1/lake/namespaces/b/tables", json={
                "name": table, "schema": simple_schema()}), 200)
        print(f"[{backend}] reads", file=sys.stderr)
        live = wrk(server.url("/health/live"), args.seconds)
        load = wrk(server.url("/v1/lake/namespaces/b/tables/read"), args.seconds)
        print(f"[{backend}] commits", file=sys.stderr)
        own = commit_clients(server, tables[:args.clients], args.seconds)
        shared = commit_clients(server, ["shared"] * args.clients, args.seconds)
        ceiling = raw_ceiling(backend, url, args.clients, args.seconds, scratch)
    finally:
        server.stop()
    return {"live": live, "load": load, "own": own, "shared": shared, "ceiling": ceiling}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="memory,sqlite,postgres,mongo")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=4, help="concurrent committers")
    parser.add_argument("--pangolin-bin", type=Path,
                        default=REPO / "build" / "src" / "pangolin_api")
    args = parser.parse_args()
    backends = args.backends.split(",")
    servers: dict[str, str] = {}
    started: list[tuple[Path, Path]] = []  # (script, data directory) to stop at the end
    for backend, script, variable in (("postgres", POSTGRES_SCRIPT, "PANGOLIN_BENCH_POSTGRES_URL"),
                                      ("mongo", FERRETDB_SCRIPT, "PANGOLIN_BENCH_MONGO_URL")):
        if backend not in backends:
            continue
        servers[backend] = os.environ.get(variable, "")
        if not servers[backend]:
            data = Path(tempfile.mkdtemp(prefix=f"pangolin-bench-{backend}-server-"))
            started.append((script, data))
            servers[backend] = subprocess.run([str(script), "start", str(data)],
                                              capture_output=True, text=True,
                                              check=True).stdout.strip()
    try:
        results = {b: measure(b, args, servers) for b in backends}
    finally:
        for script, data in started:
            subprocess.run([str(script), "stop", str(data)], check=False)
    print(f"\nloadTable (wrk -t2 -c16, {args.seconds} s), beside /health/live on the same server")
    print("| backend | /health/live req/s | loadTable req/s | of ceiling | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    for b, r in results.items():
        (lr, _, _), (rate, p50, p99) = r["live"], r["load"]
        print(f"| {b} | {lr:,.0f} | {rate:,.0f} | {rate / lr:.0%} | {p50:.2f} | {p99:.2f} |")
    print(f"\nCommits ({args.clients} clients, {args.seconds} s), beside the store's raw durable "
          "transaction rate")
    print("| backend | raw tx/s | commits/s, own tables | p50 ms | p99 ms "
          "| commits/s, one table | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for b, r in results.items():
        own, shared = r["own"], r["shared"]
        print(f"| {b} | {r['ceiling']:,.0f} | {own[0]:,.0f} | {own[1]:.1f} | {own[2]:.1f} "
              f"| {shared[0]:,.0f} | {shared[1]:.1f} | {shared[2]:.1f} |")


if __name__ == "__main__":
    main()
