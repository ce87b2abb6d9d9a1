"""Three pangolin_api replicas on one PostgreSQL database, without sticky routing: clients spread
over the replicas commit concurrently to one table and to many, and no acknowledged update is
lost; a read on any replica right after an acknowledged commit sees it; logins, logouts, grants,
failed-login counters and Idempotency-Key records are shared; and a PostgreSQL restart makes requests fail with 503
until it is back, then recover without restarting Pangolin."""

from __future__ import annotations

import itertools
import os
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pangolin_harness import (DEFAULT_BINARY, Http, PangolinServer, PostgresServer, bearer,
                              create_local_catalog, create_tenant, expect_status, login,
                              simple_schema)

ROOT_PASSWORD = "root-password-for-replicas"
PASSWORD = "password-for-replica-tests"
BINARY = Path(os.environ.get("PANGOLIN_BIN", str(DEFAULT_BINARY))).resolve()
REPLICAS = 3
WRITERS = 6
COMMITS_PER_WRITER = 15
LOGIN_LIMIT = 12  # failed logins per account (and source address) per window


@dataclass
class Cluster:
    servers: list[PangolinServer]
    admins: list[Http]  # one session per replica, same token
    tenant: str
    catalog_id: str

    def urls(self) -> list[str]:
        return [s.base_url for s in self.servers]


@pytest.fixture()
def cluster(postgres_database: str, tmp_path: Path) -> Iterator[Cluster]:
    servers = []
    for i in range(REPLICAS):
        root = tmp_path / f"replica-{i}"
        root.mkdir()
        server = PangolinServer(binary=BINARY, root=root, root_password=ROOT_PASSWORD,
                                database_url=postgres_database,
                                extra_env={"PANGOLIN_AUTH_RATE_LIMIT": str(LOGIN_LIMIT)})
        server.start()
        servers.append(server)
    root_http = login(servers[0], "root", ROOT_PASSWORD)[0]
    tenant, first = create_tenant(servers[1], root_http, "replicas", "admin", PASSWORD)
    token = first.session.headers["Authorization"].removeprefix("Bearer ")
    admins = [bearer(s.base_url, token) for s in servers]
    cat = create_local_catalog(admins[2], tmp_path / "wh")
    expect_status(admins[1].post("/v1/lake/namespaces", json={"namespace": ["db"]}), 200)
    for i, name in enumerate(["shared"] + [f"m{w}" for w in range(WRITERS)]):
        expect_status(admins[i % REPLICAS].post(
            "/v1/lake/namespaces/db/tables", json={"name": name, "schema": simple_schema()}), 200)
    yield Cluster(servers, admins, tenant, cat["id"])
    for server in servers:
        server.assert_stopped_cleanly()


def properties(http: Http, table: str) -> dict:
    loaded = expect_status(http.get(f"/v1/lake/namespaces/db/tables/{table}"), 200)
    return loaded["metadata"]["properties"]


def set_property(http: Http, table: str, key: str) -> int:
    return http.post(f"/v1/lake/namespaces/db/tables/{table}", json={
        "requirements": [], "updates": [
            {"action": "set-properties", "updates": {key: "1"}}]}).status_code


def test_concurrent_commits_over_three_replicas_lose_nothing(cluster: Cluster) -> None:
    acked: dict[str, list[str]] = {}
    lock = threading.Lock()
    failures: list[str] = []

    def writer(w: int) -> None:
        sessions = itertools.cycle(cluster.admins[w % REPLICAS:] + cluster.admins[:w % REPLICAS])
        for i in range(COMMITS_PER_WRITER):
            for table in ("shared", f"m{w}"):
                http = next(sessions)
                key = f"w{w}-{i}"
                status = set_property(http, table, key)
                if status != 200:
                    failures.append(f"{table} {key}: {status}")
                    continue
                with lock:
                    acked.setdefault(table, []).append(key)
                # Read-your-writes on another replica, at once.
                other = next(sessions)
                if key not in properties(other, table):
                    failures.append(f"{table} {key} not visible on another replica")

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures[:10]
    for http in cluster.admins:
        for table, keys in acked.items():
            missing = set(keys) - set(properties(http, table))
            assert not missing, f"lost updates on {table}: {sorted(missing)[:10]}"
    assert len(acked["shared"]) == WRITERS * COMMITS_PER_WRITER
    # The history holds one commit per acknowledged change (plus the creations).
    commits = expect_status(cluster.admins[0].get("/api/v1/branches/main/commits", params={
        "catalog": "lake", "limit": 100000}), 200)
    assert len(commits) >= WRITERS * COMMITS_PER_WRITER * 2


def test_sessions_grants_and_idempotency_are_shared(cluster: Cluster) -> None:
    a, b, c = cluster.admins
    user = expect_status(a.post("/api/v1/users", json={
        "username": "reader", "password": PASSWORD, "role": "tenant-user"}), 201)
    token = login(cluster.servers[0], "reader", PASSWORD, cluster.tenant)[1]
    on = [bearer(url, token) for url in cluster.urls()]
    expect_status(on[1].get("/v1/lake/namespaces/db/tables/shared"), 403)
    grant = expect_status(b.post("/api/v1/permissions", json={
        "user-id": user["id"], "scope": {"type": "catalog", "catalog_id": cluster.catalog_id},
        "actions": ["read"]}), 201)
    for http in on:  # the grant holds on every replica from the next request
        expect_status(http.get("/v1/lake/namespaces/db/tables/shared"), 200)
    expect_status(c.delete(f"/api/v1/permissions/{grant['id']}"), 204)
    for http in on:
        expect_status(http.get("/v1/lake/namespaces/db/tables/shared"), 403)
    # A logout on one replica ends the session on all.
    expect_status(on[2].post("/api/v1/users/logout", json={}), 204)
    for http in on:
        assert http.get("/api/v1/users/me").status_code == 401
    # An Idempotency-Key used on one replica is replayed by another.
    key = str(uuid.uuid4())
    body = {"namespace": ["idem"]}
    first = a.post("/v1/lake/namespaces", json=body, headers={"Idempotency-Key": key})
    expect_status(first, 200)
    again = c.post("/v1/lake/namespaces", json=body, headers={"Idempotency-Key": key})
    assert again.status_code == 200 and again.json() == first.json()


def test_failed_logins_are_counted_across_replicas(cluster: Cluster) -> None:
    body = {"username": "admin", "password": "not the password!", "tenant-id": cluster.tenant}
    clients = [Http(url) for url in cluster.urls()]
    for i in range(LOGIN_LIMIT):
        assert clients[i % REPLICAS].post("/api/v1/users/login", json=body).status_code == 401
    for client in clients:  # throttled on every replica, even with the right password
        r = client.post("/api/v1/users/login", json=dict(body, password=PASSWORD))
        assert r.status_code == 429 and "Retry-After" in r.headers


def test_a_database_restart_fails_requests_with_503_then_recovers(
        cluster: Cluster, postgres_server: PostgresServer) -> None:
    http = cluster.admins[0]
    expect_status(http.get("/v1/lake/namespaces/db/tables/shared"), 200)
    postgres_server.stop()
    try:
        for replica in cluster.admins:
            r = replica.get("/v1/lake/namespaces/db/tables/shared")
            assert r.status_code == 503, r.text
            assert replica.get("/health/ready").status_code == 503
            assert replica.get("/health/live").status_code == 200
    finally:
        postgres_server.start()
    for replica in cluster.admins:
        expect_status(replica.get("/v1/lake/namespaces/db/tables/shared"), 200)
        assert set_property(replica, "shared", f"after-restart-{uuid.uuid4().hex}") == 200
