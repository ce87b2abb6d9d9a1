#!/usr/bin/env python3
"""Pangolin's performance benchmark (`make bench`; bench/README.md, docs/performance.md).

Starts a Release pangolin_api on SQLite with a local warehouse and authentication on, seeds it,
and loads it with wrk (its own process, keep-alive, Lua scripts in bench/perf/) beside baselines
measured in the same run:

- start-up: process start to `/health/ready` answering 200, and idle RSS, on an empty store;
- reads: `GET /v1/config`, loadTable of a table with 100 snapshots (about 200 KB of metadata),
  as it is and with gzip (asked for as Iceberg's Java client and PyIceberg ask), loadTable with
  `If-None-Match` (304), listTables (a page of 100) and tableExists, each authenticated by JWT
  and by API key, beside nginx serving the same response bytes from a file;
- commits: add-snapshot plus set-snapshot-ref (and, past 100 snapshots, remove-snapshots of the
  oldest) to distinct tables and to one hot table with 1, 8 and 64 clients, beside a raw loop of
  "write the metadata file, fsync, one SQLite transaction" (bench/raw_commit.cc) on the same
  disk; the tables are checked for lost updates;
- scale: loadTable, listTables and tableExists of random tables at 1k, 100k and 1M tables, seeded
  through the store API (bench/seed_tables.cc), with latency and server RSS per size.

Every timed answer is checked (status and body size, bench/perf/check.lua): a run with any other
answer is discarded and its scenario reported as failed. Progress goes to stderr, the Markdown
tables to stdout.

  bench/perf_bench.py                       # everything (about 15 minutes on 2 cores)
  bench/perf_bench.py --quick               # 1k tables, short runs (about 3 minutes)
  bench/perf_bench.py --sizes 1k,100k --seconds 3 --connections 16,64
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
LUA_DIR = REPO / "bench" / "perf"
sys.path.insert(0, str(REPO / "tests"))

from pangolin_harness import (TEST_SECRETS_KEY, Http, PangolinServer,  # noqa: E402
                              create_catalog, create_warehouse, expect_status, free_port, login)

CATALOG = "bench"
ROOT_PASSWORD = "bench-root-password"
NOBODY = 65534


def log(message: str) -> None:
    print(f"[perf] {message}", file=sys.stderr, flush=True)


class ScenarioFailed(Exception):
    """A scenario whose answers were not all the expected ones (or whose load generator failed)."""


# --- processes -----------------------------------------------------------------------------------

def proc_kib(pid: int, key: str) -> int:
    """A field of /proc/<pid>/status in KiB (VmRSS, VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {key} for process {pid}")


def mib(kib: float) -> float:
    return kib / 1024


class Server(PangolinServer):
    """pangolin_api with authentication on; start() polls every millisecond (poll_interval_s), so
    that the start-to-ready time is the server's and not the poll interval's."""

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def rss_mib(self) -> float:
        return mib(proc_kib(self.pid, "VmRSS"))

    def peak_mib(self) -> float:
        return mib(proc_kib(self.pid, "VmHWM"))

    def reset_peak(self) -> None:
        """Starts a new peak-RSS window (writing 5 to clear_refs resets VmHWM to VmRSS)."""
        Path(f"/proc/{self.pid}/clear_refs").write_text("5")


def start_server(binary: Path, root: Path, database: Path) -> tuple[Server, float]:
    """Starts the server on `database`; returns it and the milliseconds from spawn to ready."""
    server = Server(binary=binary, root=root, root_password=ROOT_PASSWORD, database=database,
                    poll_interval_s=0.001,
                    extra_env={"PANGOLIN_SECRETS_KEY": TEST_SECRETS_KEY,
                               "PANGOLIN_LOG_LEVEL": "warn"})
    started = time.perf_counter()
    server.start()
    return server, (time.perf_counter() - started) * 1e3


def stop_server(server: Server) -> None:
    status = server.stop()
    if status != 0:
        raise RuntimeError(f"pangolin_api exited with status {status}; see {server.log_path}")


class Nginx:
    """nginx serving files from `<dir>/www` on a loopback port, as an unprivileged process."""

    def __init__(self, directory: Path, workers: int) -> None:
        self.dir = directory
        self.www = directory / "www"
        self.www.mkdir(parents=True)
        (directory / "tmp").mkdir()
        self.workers = workers
        self.process: subprocess.Popen | None = None
        self.port = 0

    def start(self) -> None:
        self.port = free_port()
        conf = (LUA_DIR / "nginx.conf.in").read_text()
        for key, value in {"DIR": str(self.dir), "PORT": str(self.port),
                           "WORKERS": str(self.workers)}.items():
            conf = conf.replace(f"@{key}@", value)
        (self.dir / "nginx.conf").write_text(conf)
        preexec = None
        if os.geteuid() == 0:  # run it as nobody, not as root
            for path in [self.dir, *self.dir.rglob("*")]:
                os.chown(path, NOBODY, NOBODY)
            os.chmod(self.dir.parent, 0o711)

            def preexec() -> None:
                os.setgid(NOBODY)
                os.setgroups([])
                os.setuid(NOBODY)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.process = subprocess.Popen(
            [nginx, "-p", str(self.dir), "-e", str(self.dir / "error.log"), "-c",
             str(self.dir / "nginx.conf")],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=preexec)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {(self.dir / 'error.log').read_text()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("HEAD", "/")
                conn.getresponse()
                conn.close()
                return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("nginx did not start")

    def add(self, name: str, body: bytes) -> str:
        path = self.www / name
        path.write_bytes(body)
        if os.geteuid() == 0:
            os.chown(path, NOBODY, NOBODY)
        return f"http://127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


# --- wrk -----------------------------------------------------------------------------------------

@dataclass
class Run:
    rate: float  # requests/s
    p50_ms: float
    p99_ms: float
    requests: int = 0


def wrk(url: str, script: str, args: list[str], connections: int, threads: int,
        seconds: float, bulk: tuple[int, int] | None = None) -> Run:
    """One wrk run; raises ScenarioFailed unless every answer was the expected one. `bulk`: the
    (body, headers at most) bytes of each answer of a script without a response() hook
    (perf/bulk.lua), checked from wrk's byte count instead."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
               "--timeout", "10s", "-s", script, url, "--", *args]
    done = subprocess.run(command, cwd=LUA_DIR, capture_output=True, text=True,
                          timeout=seconds + 120)
    summary = re.search(r"^PERF (\{.*\})$", done.stdout, re.M)
    if done.returncode != 0 or not summary:
        raise ScenarioFailed(f"wrk failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    result = json.loads(summary.group(1))
    bad = re.search(r"^PERF_BAD (.*)$", done.stdout, re.M)
    if result["bad"]:
        raise ScenarioFailed(f"{result['bad']} of {result['requests']} answers were wrong; "
                             f"first: {bad.group(1) if bad else '?'}")
    if result["socket_errors"]:
        raise ScenarioFailed(f"{result['socket_errors']} socket errors or timeouts")
    if result["status_errors"]:
        raise ScenarioFailed(f"{result['status_errors']} answers with a status of 400 or more")
    if not result["requests"]:
        raise ScenarioFailed("no request completed")
    if bulk:
        # Bytes of answers cut off at the end are counted without their request: a few at most.
        per_answer = result["bytes"] / result["requests"]
        slack = connections * bulk[0] / result["requests"]
        if not bulk[0] <= per_answer <= bulk[0] + bulk[1] + slack:
            raise ScenarioFailed(f"{per_answer:,.0f} bytes per answer; expected a body of "
                                 f"{bulk[0]:,} and at most {bulk[1]} bytes of headers")
    return Run(rate=result["requests"] / (result["duration_us"] / 1e6),
               p50_ms=result["p50_us"] / 1e3, p99_ms=result["p99_us"] / 1e3,
               requests=result["requests"])


def median_run(runs: list[Run]) -> Run:
    return Run(rate=statistics.median(r.rate for r in runs),
               p50_ms=statistics.median(r.p50_ms for r in runs),
               p99_ms=statistics.median(r.p99_ms for r in runs),
               requests=sum(r.requests for r in runs))


@dataclass
class Variant:
    """One load to measure: a URL and the arguments of a wrk script."""
    name: str
    url: str
    script: str
    args: list[str]
    server: Server | None = None  # whose peak RSS to track
    bulk: tuple[int, int] | None = None  # see wrk()


@dataclass
class Measured:
    run: Run | None = None  # the medians
    peak_mib: float = 0.0
    error: str = ""
    runs: list[Run] = field(default_factory=list)


def measure(variants: list[Variant], connections: int, args: argparse.Namespace,
            threads: int = 2) -> dict[str, Measured]:
    """Warms each variant up, then runs them interleaved `args.runs` times; medians per variant.
    A variant with a wrong answer is reported failed; the others go on."""
    out = {v.name: Measured() for v in variants}
    live = list(variants)
    for phase in ["warm-up"] + [f"run {i + 1}" for i in range(args.runs)]:
        for v in list(live):
            seconds = args.warmup if phase == "warm-up" else args.seconds
            try:
                if v.server and phase == "warm-up":
                    v.server.reset_peak()
                run = wrk(v.url, v.script, v.args, connections, threads, seconds, v.bulk)
            except ScenarioFailed as e:
                out[v.name].error = str(e)
                log(f"  {v.name}: FAILED: {e}")
                live.remove(v)
                continue
            if phase != "warm-up":
                out[v.name].runs.append(run)
    for v in live:
        m = out[v.name]
        m.run = median_run(m.runs)
        if v.server:
            m.peak_mib = v.server.peak_mib()
        log(f"  {v.name:<28} {m.run.rate:>9,.0f} req/s  p50 {m.run.p50_ms:.2f} ms  "
            f"p99 {m.run.p99_ms:.2f} ms")
    return out


# --- the catalog ---------------------------------------------------------------------------------

@dataclass
class Principal:
    """The service user every load authenticates as (a tenant-user with a role granting write on
    the catalog, so requests take the grant-checking path), by API key and by JWT."""
    id: str
    api_key: str

    def token(self, server: Server) -> str:
        answer = Http(server.base_url).post("/v1/oauth/tokens", data={
            "grant_type": "client_credentials", "client_id": self.id,
            "client_secret": self.api_key, "scope": "catalog"})
        return expect_status(answer, 200)["access_token"]

    def headers(self, server: Server) -> dict[str, str]:
        return {"jwt": f"Authorization: Bearer {self.token(server)}",
                "api-key": f"X-API-Key: {self.api_key}"}


class Client(Http):
    """Http presenting one credential header ("Name: value") on every request."""

    def __init__(self, server: Server, header: str) -> None:
        super().__init__(server.base_url)
        name, value = header.split(": ", 1)
        self.credential = {name: value}

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs["headers"] = {**self.credential, **kwargs.get("headers", {})}
        return super().request(method, path, **kwargs)


def schema() -> dict:
    names = [("event_id", "long"), ("event_time", "timestamptz"), ("event_date", "date"),
             ("user_id", "long"), ("visit_id", "string"), ("country", "string"),
             ("device", "string"), ("url", "string"), ("referrer", "string"),
             ("duration_ms", "long"), ("revenue", "decimal(18, 4)"), ("tags", "string")]
    return {"type": "struct", "schema-id": 0, "fields": [
        {"id": i + 1, "name": n, "type": t, "required": i == 0} for i, (n, t) in enumerate(names)]}


def create_table(http: Http, namespace: str, name: str) -> dict:
    return expect_status(http.post(f"/v1/{CATALOG}/namespaces/{namespace}/tables", json={
        "name": name, "schema": schema()}), 200)


def prepare(server: Server, warehouse: Path, commit_clients: list[int]) -> Principal:
    """Warehouse, catalog, namespaces, the service user and its role, and the tables."""
    root, _ = login(server, "root", ROOT_PASSWORD)
    create_warehouse(root, "wh", warehouse)
    catalog = create_catalog(root, CATALOG, "wh", f"file://{warehouse}/{CATALOG}")
    for ns in ("perf", "commits"):
        expect_status(root.post(f"/v1/{CATALOG}/namespaces", json={"namespace": [ns]}), 200)
    role = expect_status(root.post("/api/v1/roles", json={"name": "bench-writer"}), 201)
    role["permissions"] = [{"scope": {"type": "catalog", "catalog_id": catalog["id"]},
                            "actions": ["write"]}]
    expect_status(root.put(f"/api/v1/roles/{role['id']}", json=role), 200)
    user = expect_status(root.post("/api/v1/service-users", json={
        "name": "bench", "role": "tenant-user"}), 201)
    expect_status(root.post(f"/api/v1/users/{user['id']}/roles", json={"role-id": role["id"]}),
                  201)
    principal = Principal(user["id"], user["api_key"])
    http = Client(server, f"X-API-Key: {principal.api_key}")
    log("creating tables: perf.big, perf.small, 100 more in perf; the commit targets")
    big = create_table(http, "perf", "big")
    create_table(http, "perf", "small")
    for i in range(100):
        create_table(http, "perf", f"l{i:03d}")
    for c in commit_clients:
        create_table(http, "commits", f"hot{c}")
        for k in range(c):
            create_table(http, "commits", f"d{c}_{k}")
    seed_snapshots(http, big["metadata-location"])
    return principal


def seed_snapshots(http: Http, location: str, count: int = 100, partitions: int = 9) -> None:
    """Commits `count` snapshots to perf.big as an engine would (parent, sequence number and an
    assert-ref-snapshot-id requirement each), with Spark-like summaries including per-partition
    summaries, so that its metadata is about 200 KB."""
    table = f"/v1/{CATALOG}/namespaces/perf/tables/big"
    base = location.rsplit("/metadata/", 1)[0]
    parent = None
    now = int(time.time() * 1000)
    for k in range(1, count + 1):
        sid = 7_000_000_000_000 + k * 7919
        summary = {
            "operation": "append", "spark.app.id": f"local-{1700000000000 + k}",
            "added-data-files": "12", "added-records": "1200000",
            "added-files-size": "104857600", "changed-partition-count": str(partitions),
            "total-records": str(1200000 * k), "total-files-size": str(104857600 * k),
            "total-data-files": str(12 * k), "total-delete-files": "0",
            "total-position-deletes": "0", "total-equality-deletes": "0",
            "engine-name": "spark", "engine-version": "3.5.1",
            "iceberg-version": ("Apache Iceberg 1.5.2 "
                                "(commit cbb853073e681b4075d7c8707610dceecbee3a82)"),
            "partition-summaries-included": "true"}
        for p in range(partitions):
            summary[f"partitions.event_date=2024-{k % 12 + 1:02d}-{p + 1:02d}"] = (
                "added-data-files=1,added-records=133333,added-files-size=11650844")
        snapshot = {"snapshot-id": sid, "sequence-number": k, "timestamp-ms": now + k,
                    "manifest-list": f"{base}/metadata/snap-{sid}-1-{k:08x}-bench.avro",
                    "summary": summary, "schema-id": 0}
        if parent is not None:
            snapshot["parent-snapshot-id"] = parent
        expect_status(http.post(table, json={
            "requirements": [{"type": "assert-ref-snapshot-id", "ref": "main",
                              "snapshot-id": parent}],
            "updates": [{"action": "add-snapshot", "snapshot": snapshot},
                        {"action": "set-snapshot-ref", "ref-name": "main", "type": "branch",
                         "snapshot-id": sid}]}), 200)
        parent = sid


def fetch(server: Server, header: str, method: str, path: str,
          extra: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request with a fresh connection: (status, lower-cased headers, body)."""
    name, value = header.split(": ", 1)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request(method, path, headers={name: value, **(extra or {})})
    answer = conn.getresponse()
    body = answer.read()
    conn.close()
    return answer.status, {k.lower(): v for k, v in answer.getheaders()}, body


# --- scenarios -----------------------------------------------------------------------------------

@dataclass
class ReadRow:
    scenario: str
    auth: str
    connections: int
    measured: Measured
    nginx: Measured
    body_bytes: int


def read_scenarios(server: Server, nginx: Nginx, principal: Principal,
                   args: argparse.Namespace) -> list[ReadRow]:
    headers = principal.headers(server)
    table = f"/v1/{CATALOG}/namespaces/perf/tables/big"
    gzip = {"Accept-Encoding": "gzip"}
    # name, method, path, expected status, extra request headers (If-None-Match: filled in below)
    scenarios = [("config", "GET", f"/v1/config?warehouse={CATALOG}", 200, {}),
                 ("loadTable (100 snapshots)", "GET", table, 200, {}),
                 ("loadTable gzip (100 snapshots)", "GET", table, 200, gzip),
                 ("loadTable If-None-Match (304)", "GET", table, 304, {}),
                 ("listTables (page of 100)", "GET",
                  f"/v1/{CATALOG}/namespaces/perf/tables?pageSize=100", 200, {}),
                 ("tableExists (HEAD)", "HEAD", table, 204, {})]
    _, load_headers, load_body = fetch(server, headers["jwt"], "GET", table)
    etag = load_headers.get("etag")
    if not etag:
        raise RuntimeError("loadTable answered no ETag")
    log(f"loadTable of perf.big: {len(load_body):,} bytes, ETag {etag}")
    rows = []
    for name, method, path, status, extra in scenarios:
        if status == 304:
            extra = {"If-None-Match": etag}
        bodies = {}
        if extra is gzip:  # the first answer of a metadata version goes out uncompressed
            fetch(server, headers["jwt"], method, path, extra)
        for auth, header in headers.items():
            got, answer_headers, body = fetch(server, header, method, path, extra)
            if got != status:
                raise RuntimeError(f"{name} ({auth}): expected {status}, got {got}: {body[:300]}")
            if extra is gzip and answer_headers.get("content-encoding") != "gzip":
                raise RuntimeError(f"{name} ({auth}): the answer is not compressed")
            bodies[auth] = body
        if bodies["jwt"] != bodies["api-key"]:
            raise RuntimeError(f"{name}: the two principals' answers differ")
        body = bodies["jwt"]
        # nginx: the same bytes from a file. 304: the 200 KB file with nginx's own ETag; HEAD: an
        # empty file (nginx answers 200 with no body, as tableExists answers 204); gzip: the
        # compressed bytes in a .gz file, which gzip_static serves to clients that accept gzip.
        file = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".json"
        if status == 304:
            nginx_url = nginx.add(file, load_body)
            conn = http.client.HTTPConnection("127.0.0.1", nginx.port)
            conn.request("HEAD", "/" + file)
            nginx_args = ["status=304", "method=GET",
                          f"header=If-None-Match: {conn.getresponse().getheader('ETag')}"]
            conn.close()
        elif method == "HEAD":
            nginx_url = nginx.add(file, b"")
            nginx_args = ["status=200", "method=HEAD"]
        elif extra is gzip:
            nginx_url = nginx.add(file + ".gz", body).removesuffix(".gz")
            nginx_args = ["status=200", "method=GET", "header=Accept-Encoding: gzip"]
        else:
            nginx_url = nginx.add(file, body)
            nginx_args = ["status=200", "method=GET"]
        size = [f"min_body={len(body)}", f"max_body={len(body)}"]
        # Large answers go through perf/bulk.lua (no per-answer hook; checked in aggregate).
        script, bulk = ("bulk.lua", (len(body), 1024)) if len(body) > 65536 else ("read.lua", None)
        for connections in args.connections:
            log(f"{name}, {connections} connections ({len(body):,} bytes)")
            variants = [Variant("nginx", nginx_url, script, nginx_args + size, bulk=bulk)]
            for auth, header in headers.items():
                h = [f"header={k}: {v}" for k, v in extra.items()]
                variants.append(Variant(auth, server.url(path), script,
                                        [f"status={status}", f"method={method}",
                                         f"header={header}", *h, *size], server, bulk))
            result = measure(variants, connections, args)
            for auth in headers:
                rows.append(ReadRow(name, auth, connections, result[auth], result["nginx"],
                                    len(body)))
    return rows


@dataclass
class CommitRow:
    clients: int
    distinct: Measured
    hot: Measured
    raw: Measured
    hot_check: str
    metadata_bytes: int


def snapshot_ids(server: Server, header: str, table: str) -> tuple[set[int], str]:
    status, _, body = fetch(server, header, "GET",
                            f"/v1/{CATALOG}/namespaces/commits/tables/{table}")
    if status != 200:
        raise RuntimeError(f"loadTable {table}: {status}")
    answer = json.loads(body)
    return {s["snapshot-id"] for s in answer["metadata"].get("snapshots", [])}, \
        answer["metadata-location"]


def acked(directory: Path) -> dict[int, list[int]]:
    """The snapshot ids each wrk thread got 200 for, in order."""
    return {int(path.name.split("-")[1]): [int(x) for x in path.read_text().split()]
            for path in directory.glob("acked-*")}


def check_commits(acks: dict[int, list[int]], stored: set[int], keep: int, base: int) -> None:
    """Raises unless the table holds exactly what the answered commits left: the last `keep`
    snapshots of each thread, none it removed, and at most one unanswered commit per thread (in
    flight when wrk stopped; it may have removed that thread's oldest snapshot)."""
    answered = set().union(*acks.values())
    extras = stored - answered
    in_flight: dict[int, int] = {}
    for snapshot in extras:
        thread = (snapshot - base) // 10**9
        if thread not in acks or thread in in_flight:
            raise ScenarioFailed(f"snapshot {snapshot} in the table was never answered")
        in_flight[thread] = snapshot
    missing, resurrected = set(), set()
    for thread, ids in acks.items():
        kept = ids[-keep:]
        if thread in in_flight and len(ids) >= keep:
            kept = kept[1:]
        missing |= set(kept) - stored
        resurrected |= set(ids[:-keep]) & stored
    if missing or resurrected:
        raise ScenarioFailed(f"lost updates: {len(missing)} answered snapshots missing, "
                             f"{len(resurrected)} answered removals undone")


def commit_load(server: Server, header: str, mode: str, clients: int, keep: int,
                args: argparse.Namespace, scratch: Path, base: int,
                warehouse: Path) -> tuple[Run, dict[int, list[int]]]:
    acks = scratch / f"acks-{mode}-{clients}"
    acks.mkdir()
    path = f"/v1/{CATALOG}/namespaces/commits/tables/" + (
        f"d{clients}" if mode == "distinct" else f"hot{clients}")
    run = wrk(server.url(path), "commit.lua",
              [f"mode={mode}", f"path={path}", f"base={base}", f"keep={keep}", f"acks={acks}",
               f"manifests=file://{warehouse}/manifests/", "status=200", f"header={header}"],
              clients, clients, args.commit_seconds)
    return run, acked(acks)


def commit_scenarios(server: Server, principal: Principal, args: argparse.Namespace,
                     scratch: Path, warehouse: Path) -> list[CommitRow]:
    header = f"X-API-Key: {principal.api_key}"
    rows = []
    for index, clients in enumerate(args.commit_clients):
        row = CommitRow(clients, Measured(), Measured(), Measured(), "-", 0)
        log(f"commits, {clients} clients: distinct tables")
        server.reset_peak()
        base = 10**12 * (2 * index + 1)
        try:
            run, acks = commit_load(server, header, "distinct", clients, args.commit_keep, args,
                                    scratch, base, warehouse)
            sizes = []
            for k, ids in acks.items():
                stored, location = snapshot_ids(server, header, f"d{clients}_{k}")
                check_commits({k: ids}, stored, args.commit_keep, base)
                files = Path(urllib.parse.urlparse(location).path).parent.glob("*.metadata.json")
                sizes += [f.stat().st_size for f in files]
            row.metadata_bytes = int(statistics.mean(sizes))
            row.distinct = Measured(run, server.peak_mib())
        except ScenarioFailed as e:
            row.distinct.error = str(e)
            log(f"  FAILED: {e}")
        log(f"commits, {clients} clients: one hot table")
        server.reset_peak()
        base = 10**12 * (2 * index + 2)
        keep = -(-args.commit_keep // clients)  # the table holds about --commit-keep snapshots
        try:
            run, acks = commit_load(server, header, "hot", clients, keep, args, scratch, base,
                                    warehouse)
            stored, _ = snapshot_ids(server, header, f"hot{clients}")
            check_commits(acks, stored, keep, base)
            answered = sum(len(ids) for ids in acks.values())
            row.hot_check = (f"{answered} answered 200; the table holds the last {keep} of each "
                             f"client ({len(stored)} snapshots), no update lost")
            row.hot = Measured(run, server.peak_mib())
        except ScenarioFailed as e:
            row.hot.error = str(e)
            log(f"  FAILED: {e}")
        log(f"raw file+fsync+transaction loop, {clients} writers")
        row.raw = raw_commits(args, scratch, clients, row.metadata_bytes or 8192)
        for label, m in (("distinct", row.distinct), ("hot", row.hot), ("raw", row.raw)):
            if m.run:
                log(f"  {label:<8} {m.run.rate:>7,.0f}/s  p50 {m.run.p50_ms:.2f} ms  "
                    f"p99 {m.run.p99_ms:.2f} ms")
        rows.append(row)
    return rows


def raw_commits(args: argparse.Namespace, scratch: Path, writers: int, size: int) -> Measured:
    done = subprocess.run([str(args.tools_dir / "raw_commit"), "--dir", str(scratch),
                           "--writers", str(writers), "--bytes", str(size),
                           "--seconds", str(args.commit_seconds)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        return Measured(error=done.stderr.strip())
    r = json.loads(done.stdout)
    return Measured(Run(r["ops_per_s"], r["p50_us"] / 1e3, r["p99_us"] / 1e3, r["count"]))


@dataclass
class ScaleRow:
    tables: int
    seed_s: float
    start_ms: float
    idle_mib: float
    results: dict[str, Measured] = field(default_factory=dict)


def copy_store(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")


def scale_scenarios(base_db: Path, principal: Principal, args: argparse.Namespace,
                    scratch: Path) -> list[ScaleRow]:
    rows = []
    for n in args.sizes:
        directory = scratch / f"scale-{n}"
        directory.mkdir()
        db = directory / "pangolin.db"
        copy_store(base_db, db)
        namespaces = max(1, n // 1000)  # 1000 tables per namespace: a page of 100 is always full
        log(f"=== {format_count(n)} tables: seeding through the store ({namespaces} namespaces)")
        done = subprocess.run([str(args.tools_dir / "seed_tables"), "--db", str(db),
                               "--catalog", CATALOG, "--like-namespace", "perf",
                               "--like-table", "small", "--tables", str(n),
                               "--namespaces", str(namespaces)],
                              stdout=subprocess.PIPE, text=True, check=True)
        seeded = json.loads(done.stdout)
        subprocess.run(["sync"], check=True)
        server, start_ms = start_server(args.pangolin_bin, directory, db)
        try:
            time.sleep(1)
            row = ScaleRow(n, seeded["seconds"], start_ms, server.rss_mib())
            header = principal.headers(server)["jwt"]
            prefix = f"/v1/{CATALOG}/namespaces/"
            _, _, load = fetch(server, header, "GET", f"{prefix}ns_000/tables/t_0000000")
            _, _, page = fetch(server, header, "GET", f"{prefix}ns_000/tables?pageSize=100")
            if len(json.loads(page)["identifiers"]) != 100:
                raise RuntimeError("listTables of ns_000 did not answer a full page")
            common = [f"tables={n}", f"namespaces={namespaces}", f"prefix={prefix}",
                      f"header={header}"]
            kinds = {"loadTable": ["kind=load", "status=200", f"min_body={len(load) - 64}",
                                   f"max_body={len(load) + 64}"],
                     "listTables": ["kind=list", "status=200", f"min_body={len(page) - 200}",
                                    f"max_body={len(page) + 200}"],
                     "tableExists": ["kind=exists", "status=204", "max_body=0"]}
            for kind, kind_args in kinds.items():
                log(f"{kind}, random of {format_count(n)}, {args.scale_connections} connections")
                variant = Variant(kind, server.url("/"), "random.lua", kind_args + common, server)
                row.results[kind] = measure([variant], args.scale_connections, args)[kind]
            rows.append(row)
        finally:
            stop_server(server)
            if not args.keep:
                shutil.rmtree(directory)
    return rows


def startup(args: argparse.Namespace, scratch: Path) -> dict[str, float]:
    """Start to ready on an empty store (first start: schema, root account, signing key) and on
    the same store again, and idle RSS one second after ready; medians of three."""
    first, again, idle = [], [], []
    for i in range(3):
        directory = scratch / f"start-{i}"
        directory.mkdir()
        for target in (first, again):
            server, ms = start_server(args.pangolin_bin, directory, directory / "pangolin.db")
            target.append(ms)
            if target is first:
                time.sleep(1)
                idle.append(server.rss_mib())
            stop_server(server)
        shutil.rmtree(directory)
    result = {"first_ms": statistics.median(first), "again_ms": statistics.median(again),
              "idle_mib": statistics.median(idle)}
    log(f"start to ready: empty store {result['first_ms']:.0f} ms, restart "
        f"{result['again_ms']:.0f} ms; idle RSS {result['idle_mib']:.1f} MiB")
    return result


# --- report --------------------------------------------------------------------------------------

def format_count(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def parse_sizes(text: str) -> list[int]:
    sizes = []
    for item in text.split(","):
        item = item.strip().lower()
        factor = {"k": 1000, "m": 1_000_000}.get(item[-1:], 1)
        sizes.append(int(item.rstrip("km")) * factor)
    return sizes


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def rate(m: Measured) -> str:
    return f"{m.run.rate:,.0f}" if m.run else "FAILED"


def ms(m: Measured, attr: str) -> str:
    return f"{getattr(m.run, attr):.2f}" if m.run else "-"


def share(a: Measured, b: Measured) -> float | None:
    return a.run.rate / b.run.rate if a.run and b.run and b.run.rate else None


def pct(x: float | None) -> str:
    return f"{x:.0%}" if x is not None else "-"


def machine() -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = proc_meminfo_gib()
    return (f"{os.cpu_count()} CPUs ({cpu}), {mem:.1f} GiB RAM, Linux {platform.release()}, "
            f"{platform.python_implementation()} {platform.python_version()}")


def proc_meminfo_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0


def report(args: argparse.Namespace, start: dict[str, float], reads: list[ReadRow],
           commits: list[CommitRow], scale: list[ScaleRow]) -> list[tuple[str, str, bool | None]]:
    out = print
    out(f"\n## Pangolin performance ({'quick' if args.quick else 'full'} run)\n")
    out(f"Machine: {machine()}. Load generator: wrk 4.1 (its own process, keep-alive, "
        f"{args.runs} x {args.seconds:g} s per variant after {args.warmup:g} s of warm-up, "
        "median of runs). Server: Release build, SQLite store, local warehouse, authentication "
        "on, logging at warn.\n")
    out("### Start-up and idle memory (empty store, median of 3)\n")
    out(table(["measure", "value"], [
        ["start to ready, empty store (schema, root account, signing key)",
         f"{start['first_ms']:.0f} ms"],
        ["start to ready, the same store again", f"{start['again_ms']:.0f} ms"],
        ["idle RSS after ready", f"{start['idle_mib']:.1f} MiB"]]))
    out("\n### Reads, beside nginx serving the same bytes from a file\n")
    out(table(["scenario", "auth", "conns", "body bytes", "req/s", "p50 ms", "p99 ms",
               "nginx req/s", "nginx p50 ms", "nginx p99 ms", "% of nginx", "server peak RSS MiB"],
              [[r.scenario, r.auth, str(r.connections), f"{r.body_bytes:,}", rate(r.measured),
                ms(r.measured, "p50_ms"), ms(r.measured, "p99_ms"), rate(r.nginx),
                ms(r.nginx, "p50_ms"), ms(r.nginx, "p99_ms"), pct(share(r.measured, r.nginx)),
                f"{r.measured.peak_mib:.0f}" if r.measured.run else r.measured.error[:80]]
               for r in reads]))
    out(f"\n### Commits (add-snapshot + set-snapshot-ref; past {args.commit_keep} snapshots per "
        "table, remove-snapshots of the oldest), beside the raw file+fsync+transaction loop\n")
    out(table(["clients", "distinct tables/s", "p50 ms", "p99 ms", "% of raw", "hot table/s",
               "p50 ms", "p99 ms", "distinct / hot", "raw/s", "raw p50 ms", "raw p99 ms",
               "raw file bytes", "hot table check"],
              [[str(r.clients), rate(r.distinct), ms(r.distinct, "p50_ms"),
                ms(r.distinct, "p99_ms"), pct(share(r.distinct, r.raw)), rate(r.hot),
                ms(r.hot, "p50_ms"), ms(r.hot, "p99_ms"),
                f"{r.distinct.run.rate / r.hot.run.rate:.2f}x" if r.distinct.run and r.hot.run
                else "-", rate(r.raw), ms(r.raw, "p50_ms"), ms(r.raw, "p99_ms"),
                f"{r.metadata_bytes:,}", r.hot_check if r.hot.run else r.hot.error[:120]]
               for r in commits]))
    if scale:
        out(f"\n### Scale: random tables, JWT, {args.scale_connections} connections\n")
        base = {k: m.run.p99_ms for k, m in scale[0].results.items() if m.run}
        rows = []
        for s in scale:
            for kind, m in s.results.items():
                growth = (f"{m.run.p99_ms / base[kind]:.2f}x" if m.run and kind in base
                          else "-")
                rows.append([format_count(s.tables), kind, rate(m), ms(m, "p50_ms"),
                             ms(m, "p99_ms"), growth, f"{m.peak_mib:.0f}" if m.run else m.error,
                             f"{s.idle_mib:.0f}", f"{s.start_ms:.0f}", f"{s.seed_s:.1f}"])
        out(table(["tables", "scenario", "req/s", "p50 ms", "p99 ms",
                   f"p99 vs {format_count(scale[0].tables)}", "server peak RSS MiB",
                   "RSS after start MiB", "start to ready ms", "seeding s"], rows))
    verdicts = targets(start, reads, commits, scale)
    out("\n### Targets (measured, not asserted)\n")
    out(table(["target", "measured", "met"],
              [[t, m, {True: "yes", False: "**no**", None: "-"}[ok]] for t, m, ok in verdicts]))
    return verdicts


def targets(start: dict[str, float], reads: list[ReadRow], commits: list[CommitRow],
            scale: list[ScaleRow]) -> list[tuple[str, str, bool | None]]:
    out: list[tuple[str, str, bool | None]] = []

    def share_of(prefix: str, connections: int | None = None) -> list[tuple[str, float, Run]]:
        return [(r.auth, share(r.measured, r.nginx), r.measured.run) for r in reads
                if r.scenario.startswith(prefix) and share(r.measured, r.nginx) is not None
                and (connections is None or r.connections == connections)]

    conns = max((r.connections for r in reads), default=0)
    for label, prefix, goal in [("loadTable 200 KB", "loadTable (", 0.6),
                                ("loadTable gzip", "loadTable gzip", 0.6),
                                ("config", "config", 0.7), ("tableExists", "tableExists", 0.7)]:
        found = share_of(prefix, conns)
        if found:
            worst = min(s for _, s, _ in found)
            text = ", ".join(f"{a} {s:.1%}" for a, s, _ in found)
            out.append((f"{label} >= {goal:.0%} of nginx ({conns} conns)", text, worst >= goal))
    for label, prefix in [("loadTable", "loadTable ("), ("loadTable gzip", "loadTable gzip")]:
        found = share_of(prefix, 64)
        if found:
            worst = max(run.p99_ms for _, _, run in found)
            out.append((f"{label} p99 <= 2 ms, 64 connections",
                        ", ".join(f"{a} {run.p99_ms:.2f} ms" for a, _, run in found), worst <= 2))
    for r in commits:
        s = share(r.distinct, r.raw)
        if s is not None:
            out.append((f"commits to distinct tables >= 50% of raw, clients: {r.clients}",
                        f"{s:.1%}", s >= 0.5))
        if r.hot.run and r.distinct.run:
            ratio = r.distinct.run.rate / r.hot.run.rate
            out.append((f"hot table: no lost update, within 3x of distinct, clients: {r.clients}",
                        f"none lost; distinct/hot {ratio:.2f}x", ratio <= 3))
        elif r.hot.error:
            out.append((f"hot table, clients: {r.clients}", r.hot.error[:80], False))
    if len(scale) > 1:
        first, last = scale[0], scale[-1]
        a, b = first.results.get("loadTable"), last.results.get("loadTable")
        if a and b and a.run and b.run:
            growth = b.run.p99_ms / a.run.p99_ms
            out.append((f"loadTable p99 grows < 2x from {format_count(first.tables)} to "
                        f"{format_count(last.tables)} tables",
                        f"{a.run.p99_ms:.2f} -> {b.run.p99_ms:.2f} ms ({growth:.2f}x)", growth < 2))
    if scale:
        peak = max((m.peak_mib for s in scale for m in s.results.values()), default=0)
        out.append(("server RSS < 1 GiB at every size", f"peak {peak:.0f} MiB", peak < 1024))
    out.append(("start to ready < 200 ms, empty store", f"{start['first_ms']:.0f} ms",
                start["first_ms"] < 200))
    out.append(("idle RSS < 30 MB", f"{start['idle_mib']:.1f} MiB "
                f"({start['idle_mib'] * 1.048576:.1f} MB)", start["idle_mib"] * 1.048576 < 30))
    return out


# --- main ----------------------------------------------------------------------------------------

def check_tools(args: argparse.Namespace) -> None:
    missing = [t for t in ("wrk", "nginx") if not shutil.which(t) and
               not (t == "nginx" and Path("/usr/sbin/nginx").exists())]
    if missing:
        sys.exit(f"missing {', '.join(missing)}: run scripts/deps.sh --bench")
    for binary in (args.pangolin_bin, args.tools_dir / "seed_tables",
                   args.tools_dir / "raw_commit"):
        if not binary.exists():
            sys.exit(f"missing {binary}: build it (make bench does)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    release = REPO / "build-release"
    parser.add_argument("--pangolin-bin", type=Path, default=release / "src" / "pangolin_api")
    parser.add_argument("--tools-dir", type=Path, default=release / "bench",
                        help="where seed_tables and raw_commit are")
    parser.add_argument("--quick", action="store_true",
                        help="1k tables, 64 connections, 1 run of 2 s per variant")
    parser.add_argument("--sizes", help="catalog sizes for the scale figures (default 1k,100k,1M)")
    parser.add_argument("--seconds", type=float, help="one timed run (default 5)")
    parser.add_argument("--runs", type=int, help="timed runs per variant, median kept (default 3)")
    parser.add_argument("--warmup", type=float, help="untimed seconds per variant (default 2)")
    parser.add_argument("--connections", help="read connections, comma-separated (default 64)")
    parser.add_argument("--commit-clients", default="1,8,64")
    parser.add_argument("--commit-seconds", type=float, help="one commit run (default 10)")
    parser.add_argument("--commit-keep", type=int, default=100,
                        help="snapshots a committed table keeps (older ones are removed)")
    parser.add_argument("--scale-connections", type=int, default=64)
    parser.add_argument("--scenarios", default="reads,commits,scale",
                        help="which parts to run (start-up figures are always measured)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    quick = args.quick
    args.sizes = parse_sizes(args.sizes or ("1k" if quick else "1k,100k,1M"))
    args.seconds = args.seconds or (2 if quick else 5)
    args.runs = args.runs or (1 if quick else 3)
    args.warmup = args.warmup or (1 if quick else 2)
    args.commit_seconds = args.commit_seconds or (3 if quick else 10)
    args.connections = [int(c) for c in (args.connections or "64").split(",")]
    args.commit_clients = [int(c) for c in args.commit_clients.split(",")]
    args.pangolin_bin = args.pangolin_bin.resolve()
    args.tools_dir = args.tools_dir.resolve()
    check_tools(args)

    scratch = Path(tempfile.mkdtemp(prefix="pangolin-perf-"))
    log(f"scratch directory {scratch}")
    nginx = Nginx(scratch / "nginx", workers=os.cpu_count() or 2)
    server = None
    try:
        start = startup(args, scratch)
        warehouse = scratch / "warehouse"
        warehouse.mkdir()
        main_dir = scratch / "main"
        main_dir.mkdir()
        db = main_dir / "pangolin.db"
        server, _ = start_server(args.pangolin_bin, main_dir, db)
        principal = prepare(server, warehouse, args.commit_clients)
        # The scale stores start from a copy of this one (taken with the server stopped).
        stop_server(server)
        copy_store(db, scratch / "base.db")
        server, _ = start_server(args.pangolin_bin, main_dir, db)
        nginx.start()
        parts = args.scenarios.split(",")
        reads = read_scenarios(server, nginx, principal, args) if "reads" in parts else []
        commits = (commit_scenarios(server, principal, args, scratch, warehouse)
                   if "commits" in parts else [])
        stop_server(server)
        server = None
        nginx.stop()
        scale = (scale_scenarios(scratch / "base.db", principal, args, scratch)
                 if "scale" in parts else [])
        report(args, start, reads, commits, scale)
    finally:
        nginx.stop()
        if server is not None and server.process and server.process.poll() is None:
            server.kill()
        if args.keep:
            log(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    failed = ([r for r in reads if not r.measured.run]
              + [r for r in commits if not (r.distinct.run and r.hot.run and r.raw.run)]
              + [m for s in scale for m in s.results.values() if not m.run])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
