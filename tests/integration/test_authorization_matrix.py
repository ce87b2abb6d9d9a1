"""The authorization matrix: every route the server has (read from `pangolin_api --print-routes`,
so a new route is walked as soon as it exists) is called as anonymous, root, an admin of tenant
A, a user of tenant A with and without grants, a read-only service user of tenant A, and an admin
of tenant B, and the outcome is checked against the route's declared rule.

"Allowed" means the request got past authorization: any status but 401 and 403 (a 404 for an
object that is not there, or a 400 for a body the matrix does not bother to fill, both come after
the check). "Denied" means 401 (anonymous) or 403; for another tenant's objects it also means 404,
since objects of another tenant are not found. Paths name tenant A's objects: catalog `lake_a`
(tenant B's is `lake_b`), namespace `sales`, table `orders`, view `daily`. Deleting routes name
objects that do not exist, so that the walk destroys nothing."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pangolin_harness import DEFAULT_BINARY, Http, PangolinServer, expect_status, simple_schema
from pangolin_harness import bearer as harness_bearer
from pangolin_harness import login as harness_login

ROOT_PASSWORD = "root-password-for-matrix"
PASSWORD = "password-for-matrix-tests"
BINARY = Path(os.environ.get("PANGOLIN_BIN", str(DEFAULT_BINARY))).resolve()


def routes() -> list[dict]:
    out = subprocess.run([str(BINARY), "--print-routes", "--database-url", "memory"],
                         check=True, capture_output=True, text=True, timeout=30)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


ROUTES = routes()
KNOWN_RULES = {"public", "authenticated", "root", "tenant-admin"}
READ_ACTIONS = {"read", "list"}


@dataclass
class Caller:
    name: str
    http: Http
    # What the caller may do on tenant A's catalog `lake_a`: "all", "read" or "none"; "other"
    # for tenant B's admin, for whom tenant A's objects do not exist.
    on_lake_a: str
    is_root: bool = False
    is_admin: bool = False  # of the tenant its requests act in


def login(server: PangolinServer, username: str, password: str, tenant: str | None) -> str:
    return harness_login(server, username, password, tenant)[1]


def bearer(server: PangolinServer, token: str) -> Http:
    return harness_bearer(server.base_url, token)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Caller]]:
    server = PangolinServer(binary=BINARY, root=tmp_path_factory.mktemp("pangolin-matrix"),
                            root_password=ROOT_PASSWORD,
                            extra_args=["--default-catalog", "lake_a"])
    server.start()
    root = bearer(server, login(server, "root", ROOT_PASSWORD, None))
    callers = [Caller("anonymous", Http(server.base_url), "none"),
               Caller("root", root, "all", is_root=True, is_admin=True)]
    admins = {}
    for t in ("a", "b"):
        tenant = expect_status(root.post("/api/v1/tenants", json={
            "name": f"tenant-{t}", "admin_username": f"admin-{t}",
            "admin_password": PASSWORD}), 201)
        admin = bearer(server, login(server, f"admin-{t}", PASSWORD, tenant["id"]))
        admins[t] = (tenant["id"], admin)
        wh_root = server.root / f"wh-{t}"
        expect_status(admin.post("/api/v1/warehouses", json={
            "name": f"wh_{t}", "storage_config": {"type": "local", "root": str(wh_root)}}), 201)
        expect_status(admin.post("/api/v1/catalogs", json={
            "name": f"lake_{t}", "warehouse_name": f"wh_{t}",
            "storage_location": f"file://{wh_root}/lake"}), 201)
        expect_status(admin.post(f"/v1/lake_{t}/namespaces", json={"namespace": ["sales"]}), 200)
        expect_status(admin.post(f"/v1/lake_{t}/namespaces/sales/tables", json={
            "name": "orders", "schema": simple_schema()}), 200)
    tenant_a, admin_a = admins["a"]
    # Root acts in tenant A for the whole walk.
    root.session.headers["X-Pangolin-Tenant"] = tenant_a
    lake_a = expect_status(admin_a.get("/api/v1/catalogs/lake_a"), 200)
    users = {}
    for name, role in (("plain", None), ("granted", "all")):
        user = expect_status(admin_a.post("/api/v1/users", json={
            "username": name, "password": PASSWORD, "role": "tenant-user"}), 201)
        if role:
            role_body = expect_status(admin_a.post("/api/v1/roles", json={
                "name": f"{name}-role", "tenant-id": tenant_a}), 201)
            role_body["permissions"] = [{"scope": {"type": "catalog", "catalog_id": lake_a["id"]},
                                         "actions": ["all"]}]
            expect_status(admin_a.put(f"/api/v1/roles/{role_body['id']}", json=role_body), 200)
            expect_status(admin_a.post(f"/api/v1/users/{user['id']}/roles",
                                       json={"role-id": role_body["id"]}), 201)
        users[name] = bearer(server, login(server, name, PASSWORD, tenant_a))
    reader = expect_status(admin_a.post("/api/v1/service-users", json={
        "name": "reader", "role": "tenant-user"}), 201)
    expect_status(admin_a.post("/api/v1/permissions", json={
        "user-id": reader["id"], "scope": {"type": "catalog", "catalog_id": lake_a["id"]},
        "actions": ["read"]}), 201)
    reader_http = Http(server.base_url)
    reader_http.session.headers["X-API-Key"] = reader["api_key"]
    expect_status(admin_a.post("/v1/lake_a/namespaces/sales/views", json={
        "name": "daily", "schema": simple_schema(), "view-version": {
            "version-id": 1, "timestamp-ms": 1, "schema-id": 0, "summary": {},
            "default-namespace": ["sales"], "representations": [
                {"type": "sql", "sql": "select 1", "dialect": "spark"}]}}), 200)
    # A table only the routes naming an asset by id use (the walk unregisters sales.orders).
    expect_status(admin_a.post("/v1/lake_a/namespaces/sales/tables", json={
        "name": "ledger", "schema": simple_schema()}), 200)
    commits = expect_status(admin_a.get("/api/v1/branches/main/commits",
                                        params={"catalog": "lake_a", "limit": 1000}), 200)
    ASSET_IDS.update(op["Put"]["asset"]["id"] for commit in commits
                     for op in commit["operations"]
                     if "Put" in op and op["Put"]["asset"]["name"] == "ledger")
    callers += [Caller("admin-a", admin_a, "all", is_admin=True),
                Caller("user-a-granted", users["granted"], "all"),
                Caller("user-a-plain", users["plain"], "none"),
                Caller("service-user-a-reader", reader_http, "read"),
                Caller("admin-b", admins["b"][1], "other", is_admin=True)]
    yield callers
    server.assert_stopped_cleanly()


GHOST = str(uuid.UUID(int=1))
PARAMS = {"prefix": "lake_a", "namespace": "sales", "table": "orders", "view": "daily",
          "plan-id": "ghost-plan", "catalog": "lake_a", "token_id": GHOST, "user_id": GHOST,
          "role_id": GHOST}
# Deleting and rotating routes point at nothing, so the walk destroys nothing it relies on.
GHOST_PARAMS = {"table": "ghost", "view": "ghost", "namespace": "ghost", "name": "ghost",
                "id": GHOST}
# Bodies for routes whose body names the object they act on; others get {}.
BODIES = {
    "POST /api/v1/branches": {"name": "matrix-branch", "catalog": "lake_a"},
    "POST /api/v1/branches/merge": {"source_branch": "ghost", "target_branch": "main",
                                    "catalog": "lake_a"},
    "POST /api/v1/branches/{name}/rebase": {"name": "ghost", "catalog": "lake_a"},
    "POST /api/v1/tags": {"name": "ghost-tag", "catalog": "lake_a", "commit_id": "ghost"},
    "POST /api/v1/conflicts/{id}/resolve": {"strategy": "TakeSource"},
    "POST /v1/tables/rename": {"source": {"namespace": ["sales"], "name": "ghost"},
                                        "destination": {"namespace": ["sales"], "name": "g2"}},
    "POST /v1/views/rename": {"source": {"namespace": ["sales"], "name": "ghost"},
                                       "destination": {"namespace": ["sales"], "name": "g2"}},
    "POST /v1/transactions/commit": {"table-changes": [{
        "identifier": {"namespace": ["sales"], "name": "orders"},
        "requirements": [{"type": "assert-table-uuid", "uuid": GHOST}], "updates": []}]},
}
ADDRESSED_BY_ID = ("/merge-operations/", "/conflicts/")
# Routes that end the caller's own session are walked with a throw-away token.
SESSION_ENDING = {"POST /api/v1/users/logout", "POST /api/v1/auth/revoke",
                  "POST /api/v1/tokens/rotate"}


# The id of lake_a's sales.ledger, for the routes that name an asset by id (set by `world`).
ASSET_IDS: set[str] = set()
# What `{name}` stands for, by the collection it follows.
NAMES = {"warehouses": "wh_a", "catalogs": "lake_a", "branches": "main", "tags": "ghost"}


def concrete(route: dict) -> str:
    path = route["path"]
    destructive = route["method"] == "DELETE" or path.endswith("/rotate")
    parts = path.split("/")
    for i, part in enumerate(parts):
        if not part.startswith("{"):
            continue
        name = part[1:-1]
        if name == "asset_id" or (name == "id" and parts[i - 1] == "assets"):
            parts[i] = next(iter(ASSET_IDS))  # deleting its metadata destroys nothing needed
            continue
        value = (GHOST_PARAMS.get(name) if destructive else None) or PARAMS.get(name)
        if value is None and name == "name":
            value = NAMES.get(parts[i - 1], "ghost")
        parts[i] = value or GHOST
    return "/".join(parts)


def expected_allowed(rule: str, route: dict, caller: Caller) -> bool:
    if rule == "public":
        return True
    if caller.name == "anonymous":
        return False
    if rule == "authenticated":
        return True
    if rule == "root":
        return caller.is_root
    if rule == "tenant-admin":
        return caller.is_admin
    action, _, level = rule.partition("@")
    assert level in {"catalog", "namespace", "asset"}, f"unknown rule {rule!r}"
    if action == "list" and route["path"].startswith("/v1/"):
        return True  # Iceberg listings answer every member with what it may see
    if caller.on_lake_a == "all":
        return True
    if caller.on_lake_a == "read":
        return action in READ_ACTIONS
    return False


def fresh_session(caller: Caller) -> Http:
    if caller.name == "anonymous" or "X-API-Key" in caller.http.session.headers:
        return caller.http
    token = expect_status(caller.http.post("/api/v1/tokens", json={}), 200)["token"]
    http = Http(caller.http.base_url)
    http.session.headers.update(caller.http.session.headers)
    http.session.headers["Authorization"] = f"Bearer {token}"
    return http


def test_every_route_declares_a_known_rule_and_its_audit() -> None:
    assert len(ROUTES) > 80
    for route in ROUTES:
        rule = route["rule"]
        assert rule in KNOWN_RULES or "@" in rule, route
        # Every mutating route says how it is audited; reads are not.
        expected = {"pipeline", "handler", "none"} if route["method"] in (
            "POST", "PUT", "DELETE") else {"none"}
        assert route["audit"] in expected, route


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r['method']} {r['path']}")
def test_route_allows_and_denies_by_its_rule(world: list[Caller], route: dict) -> None:
    key = f"{route['method']} {route['path']}"
    path = concrete(route)
    body = BODIES.get(key.replace("/v1/{prefix}/", "/v1/"), {})
    failures = []
    for caller in world:
        http = fresh_session(caller) if key in SESSION_ENDING else caller.http
        r = http.request(route["method"], path, json=body, params={"catalog": "lake_a"})
        allowed = expected_allowed(route["rule"], route, caller)
        if allowed:
            ok = r.status_code not in (401, 403)
        elif caller.name == "anonymous":
            ok = r.status_code == 401
        elif caller.on_lake_a == "other" and "@" in route["rule"]:
            ok = r.status_code in (403, 404)
        elif any(part in path for part in ADDRESSED_BY_ID):
            # Merge operations are found by id before their catalog is known: a missing one is
            # not found for everybody.
            ok = r.status_code in (403, 404)
        else:
            ok = r.status_code == 403
        if not ok:
            failures.append(f"{caller.name}: expected {'allowed' if allowed else 'denied'}, "
                            f"got {r.status_code} {r.text[:200]}")
    assert not failures, f"{key} ({route['rule']}) at {path}:\n" + "\n".join(failures)
