"""The audit trail against a server with authentication on: mutating actions and authentication
events recorded with actor, tenant, action, resource, result, error, source address, user agent
and request id (failures included); a catalog commit's entry stored with the commit; the
reference's filters, count and paging; who may read what (defect 15); and the per-tenant hash
chain, which reports an entry altered in the database."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from pangolin_harness import (DEFAULT_BINARY, Http, PangolinServer, expect_status, login,
                              simple_schema)

ROOT_PASSWORD = "root-password-for-audit"
PASSWORD = "password-for-audit-tests"
AGENT = "audit-test-agent/1.0"


def session(server: PangolinServer, username: str, tenant: str | None,
            password: str = PASSWORD) -> Http:
    return login(server, username, password, tenant, **{"User-Agent": AGENT})[0]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    binary = Path(os.environ.get("PANGOLIN_BIN", str(DEFAULT_BINARY))).resolve()
    server = PangolinServer(binary=binary, root=tmp_path_factory.mktemp("pangolin-audit"),
                            root_password=ROOT_PASSWORD)
    server.start()
    root = session(server, "root", None, ROOT_PASSWORD)
    tenants = {}
    for t in ("a", "b"):
        tenant = expect_status(root.post("/api/v1/tenants", json={
            "name": f"audit-{t}", "admin_username": f"admin-{t}",
            "admin_password": PASSWORD}), 201)
        tenants[t] = (tenant["id"], session(server, f"admin-{t}", tenant["id"]))
    tenant_a, admin = tenants["a"]
    wh = server.root / "wh"
    expect_status(admin.post("/api/v1/warehouses", json={
        "name": "wh", "storage_config": {"type": "local", "root": str(wh)}}), 201)
    expect_status(admin.post("/api/v1/catalogs", json={
        "name": "lake", "warehouse_name": "wh", "storage_location": f"file://{wh}/lake"}), 201)
    expect_status(admin.post("/v1/lake/namespaces", json={"namespace": ["sales"]}), 200)
    created = admin.post("/v1/lake/namespaces/sales/tables",
                         json={"name": "orders", "schema": simple_schema()})
    expect_status(created, 200)
    expect_status(admin.post("/api/v1/users", json={
        "username": "analyst", "password": PASSWORD, "role": "tenant-user"}), 201)
    analyst = session(server, "analyst", tenant_a)
    yield {"server": server, "root": root, "admin": admin, "tenant": tenant_a,
           "other": tenants["b"], "analyst": analyst,
           "create_request_id": created.headers["X-Request-Id"]}
    server.assert_stopped_cleanly()


def entries(http: Http, **filters: str) -> list[dict]:
    return expect_status(http.get("/api/v1/audit", params={"limit": 1000, **filters}), 200)


def test_actions_are_recorded_with_their_context(env: dict) -> None:
    admin = env["admin"]
    created = [e for e in entries(admin, action="create_table")]
    assert len(created) == 1
    entry = created[0]
    assert entry["tenant_id"] == env["tenant"] and entry["username"] == "admin-a"
    assert entry["resource_type"] == "table" and entry["resource_name"] == "lake/sales"
    assert entry["result"] == "success" and entry["error_message"] is None
    assert entry["ip_address"] == "127.0.0.1" and entry["user_agent"] == AGENT
    # Stored in the same transaction as the commit that created the table.
    assert entry["request_id"] == env["create_request_id"]
    actions = {e["action"] for e in entries(admin)}
    assert {"create_warehouse", "create_catalog", "create_namespace", "create_table",
            "create_user", "login"} <= actions


def test_failures_and_authentication_events_are_recorded(env: dict) -> None:
    server, admin, analyst = env["server"], env["admin"], env["analyst"]
    bad = Http(server.base_url)
    r = bad.post("/api/v1/users/login", json={"username": "analyst", "password": "wrong pw!!",
                                             "tenant-id": env["tenant"]})
    assert r.status_code == 401
    expect_status(analyst.get("/v1/lake/namespaces/sales/tables/orders"), 403)
    expect_status(admin.post("/v1/lake/namespaces", json={"namespace": ["sales"]}), 409)
    failed_login = entries(admin, action="login_failed")
    assert failed_login and failed_login[0]["username"] == "analyst"
    assert failed_login[0]["result"] == "failure"
    denied = entries(admin, action="permission_denied")
    assert denied and denied[0]["username"] == "analyst"
    assert "read" in denied[0]["error_message"]
    conflict = entries(admin, action="create_namespace", result="failure")
    assert conflict and "already exists" in conflict[0]["error_message"].lower()
    # A forged token is recorded where nobody is known: the default tenant, seen by root.
    Http(server.base_url).get("/v1/lake/namespaces", headers={"Authorization": "Bearer x.y.z"})
    rejected = entries(env["root"], action="token_rejected")
    assert rejected and rejected[0]["result"] == "failure"


def test_management_changes_are_recorded_once_with_their_outcome(env: dict) -> None:
    admin = env["admin"]
    user = {"username": "clerk", "password": PASSWORD, "role": "tenant-user"}
    created = admin.post("/api/v1/users", json=user)
    expect_status(created, 201)
    again = admin.post("/api/v1/users", json=user)
    expect_status(again, 409)
    trail = entries(admin, action="create_user")
    for response, result in ((created, "success"), (again, "failure")):
        mine = [e for e in trail if e["request_id"] == response.headers["X-Request-Id"]]
        # Stored with the change (or, for the refusal, once it was answered): exactly one each.
        assert [e["result"] for e in mine] == [result]
        assert mine[0]["resource_type"] == "user"


def test_filters_count_and_paging(env: dict) -> None:
    admin = env["admin"]
    everything = entries(admin)
    times = [e["timestamp"] for e in everything]
    assert times == sorted(times, reverse=True)
    count = expect_status(admin.get("/api/v1/audit/count"), 200)["count"]
    assert count == len(everything)
    page = expect_status(admin.get("/api/v1/audit", params={"limit": 2, "offset": 1}), 200)
    assert [e["id"] for e in page] == [e["id"] for e in everything[1:3]]
    me = expect_status(admin.get("/api/v1/users/me"), 200)
    mine = entries(admin, user_id=me["id"])
    assert mine and {e["username"] for e in mine} == {"admin-a"}
    start = everything[-1]["timestamp"]
    assert len(entries(admin, start_time=start)) == count
    assert entries(admin, end_time="2000-01-01T00:00:00Z") == []
    one = expect_status(admin.get(f"/api/v1/audit/{everything[0]['id']}"), 200)
    assert one == everything[0]
    for params in [{"result": "maybe"}, {"start_time": "yesterday"}, {"limit": 5000},
                   {"action": ""}, {"offset": -1}]:
        expect_status(admin.get("/api/v1/audit", params=params), 400)


def test_who_may_read_the_trail(env: dict) -> None:
    admin, analyst, root = env["admin"], env["analyst"], env["root"]
    _, other_admin = env["other"]
    expect_status(analyst.get("/api/v1/audit"), 403)  # defect 15
    theirs = entries(other_admin)
    assert theirs and {e["tenant_id"] for e in theirs} == {env["other"][0]}
    mine = entries(admin)
    expect_status(other_admin.get(f"/api/v1/audit/{mine[0]['id']}"), 404)
    every = {e["tenant_id"] for e in entries(root)}
    assert {env["tenant"], env["other"][0]} <= every
    selected = expect_status(root.get("/api/v1/audit", params={"limit": 1000},
                                      headers={"X-Pangolin-Tenant": env["tenant"]}), 200)
    assert {e["tenant_id"] for e in selected} == {env["tenant"]}
    # Root acting in a tenant is itself on record there.
    assert any(e["action"] == "tenant_impersonation" for e in entries(admin))


def test_chain_verifies_and_reports_tampering(env: dict) -> None:
    admin = env["admin"]
    verdict = expect_status(admin.get("/api/v1/audit/verify"), 200)
    assert verdict["valid"] is True and verdict["entries"] > 5
    chain = sorted(entries(admin), key=lambda e: e["seq"])
    assert [e["seq"] for e in chain] == list(range(1, len(chain) + 1))
    assert all(e["prev_hash"] == p["hash"] for p, e in zip(chain, chain[1:]))
    victim = chain[len(chain) // 2]
    db = sqlite3.connect(env["server"].root / "pangolin.db")
    with db:
        db.execute("UPDATE audit_log SET action = 'nothing_happened' WHERE id = ?", (victim["id"],))
    db.close()
    verdict = expect_status(admin.get("/api/v1/audit/verify"), 200)
    assert verdict["valid"] is False and verdict["first_bad_seq"] == victim["seq"]
    assert verdict["reason"]
