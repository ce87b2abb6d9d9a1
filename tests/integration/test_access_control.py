"""Grants in action against a server with authentication on: roles and direct grants on catalog,
namespace, asset and tenant scopes, cascade and implication, listings filtered before the page is
cut, changes taking effect on the next request, and the reference defects of this area (1, 2, 4,
5, 25) closed."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pangolin_harness import (DEFAULT_BINARY, Http, PangolinServer, expect_status, simple_schema,
                              unique_name)
from pangolin_harness import login as harness_login

ROOT_PASSWORD = "root-password-for-access"
PASSWORD = "password-for-access-tests"


def login(server: PangolinServer, username: str, tenant: str | None,
          password: str = PASSWORD) -> Http:
    return harness_login(server, username, password, tenant)[0]


@dataclass
class World:
    server: PangolinServer
    tenant: str
    admin: Http
    catalog_id: str
    other_tenant: str
    other_admin: Http
    other_catalog_id: str

    def new_user(self) -> tuple[str, Http]:
        name = unique_name("u")
        user = expect_status(self.admin.post("/api/v1/users", json={
            "username": name, "password": PASSWORD, "role": "tenant-user"}), 201)
        return user["id"], login(self.server, name, self.tenant)

    def grant(self, principal: str, scope: dict, actions: list[str]) -> dict:
        return expect_status(self.admin.post("/api/v1/permissions", json={
            "user-id": principal, "scope": scope, "actions": actions}), 201)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    binary = Path(os.environ.get("PANGOLIN_BIN", str(DEFAULT_BINARY))).resolve()
    server = PangolinServer(binary=binary, root=tmp_path_factory.mktemp("pangolin-access"),
                            root_password=ROOT_PASSWORD)
    server.start()
    root = login(server, "root", None, ROOT_PASSWORD)
    made = {}
    for t in ("a", "b"):
        tenant = expect_status(root.post("/api/v1/tenants", json={
            "name": f"access-{t}", "admin_username": f"admin-{t}",
            "admin_password": PASSWORD}), 201)
        admin = login(server, f"admin-{t}", tenant["id"])
        wh = server.root / f"wh-{t}"
        expect_status(admin.post("/api/v1/warehouses", json={
            "name": "wh", "storage_config": {"type": "local", "root": str(wh)}}), 201)
        cat = expect_status(admin.post("/api/v1/catalogs", json={
            "name": "lake", "warehouse_name": "wh", "storage_location": f"file://{wh}/lake"}), 201)
        for ns in (["sales"], ["sales", "eu"], ["hr"]):
            expect_status(admin.post("/v1/lake/namespaces", json={"namespace": ns}), 200)
        for ns, table in (("sales", "orders"), ("sales", "refunds"), ("sales%1Feu", "orders_eu"),
                          ("hr", "salaries")):
            expect_status(admin.post(f"/v1/lake/namespaces/{ns}/tables", json={
                "name": table, "schema": simple_schema()}), 200)
        made[t] = (tenant["id"], admin, cat["id"])
    yield World(server, *made["a"], *made["b"])
    server.assert_stopped_cleanly()


def names(body: dict, key: str) -> list:
    return [".".join(item) if key == "namespaces" else item["name"] for item in body[key]]


def test_namespace_grant_cascades_to_descendants_and_their_tables(world: World) -> None:
    user_id, user = world.new_user()
    world.grant(user_id, {"type": "namespace", "catalog_id": world.catalog_id,
                          "namespace": "sales"}, ["read"])
    expect_status(user.get("/v1/lake/namespaces/sales/tables/orders"), 200)
    expect_status(user.get("/v1/lake/namespaces/sales%1Feu/tables/orders_eu"), 200)
    expect_status(user.get("/v1/lake/namespaces/hr/tables/salaries"), 403)
    # read implies list, not write.
    assert names(expect_status(user.get("/v1/lake/namespaces/sales/tables"), 200),
                 "identifiers") == ["orders", "refunds"]
    r = user.post("/v1/lake/namespaces/sales/tables", json={"name": "x", "schema": simple_schema()})
    assert r.status_code == 403
    # Listings show only the granted part of the tree.
    assert names(expect_status(user.get("/v1/lake/namespaces"), 200), "namespaces") == ["sales"]
    catalogs = expect_status(user.get("/api/v1/catalogs"), 200)
    assert [c["name"] for c in catalogs] == ["lake"]
    assert expect_status(user.get("/v1/lake/namespaces/hr/tables"), 200)["identifiers"] == []


def test_asset_grant_reaches_one_table_and_keeps_the_path_visible(world: World) -> None:
    user_id, user = world.new_user()
    table = expect_status(world.admin.get("/v1/lake/namespaces/sales%1Feu/tables/orders_eu"), 200)
    asset_id = table_id(world, ["sales", "eu"], "orders_eu")
    world.grant(user_id, {"type": "asset", "catalog_id": world.catalog_id,
                          "namespace": "sales.eu", "asset_id": asset_id}, ["write"])
    assert table["metadata-location"]
    expect_status(user.get("/v1/lake/namespaces/sales%1Feu/tables/orders_eu"), 200)
    expect_status(user.get("/v1/lake/namespaces/sales/tables/orders"), 403)
    # The path down to the table is listed, and nothing beside it.
    assert names(expect_status(user.get("/v1/lake/namespaces"), 200), "namespaces") == ["sales"]
    assert names(expect_status(user.get("/v1/lake/namespaces?parent=sales"), 200),
                 "namespaces") == ["sales.eu"]
    assert names(expect_status(user.get("/v1/lake/namespaces/sales%1Feu/tables"), 200),
                 "identifiers") == ["orders_eu"]
    expect_status(user.get("/v1/lake/namespaces/sales/tables"), 200)  # reaches, shows nothing
    assert expect_status(user.get("/v1/lake/namespaces/sales/tables"), 200)["identifiers"] == []


def table_id(world: World, ns: list[str], name: str) -> str:
    """The stable content id asset grants name: the id of the table's latest commit operation."""
    commits = expect_status(world.admin.get("/api/v1/branches/main/commits",
                                            params={"catalog": "lake", "limit": 1000}), 200)
    for commit in commits:
        for op in commit["operations"]:
            put = op.get("Put")
            if put and put["asset"]["name"] == name and put["asset"]["namespace"] == ns:
                return put["asset"]["id"]
    raise AssertionError(f"no commit put {ns}.{name}")


def test_paging_filters_before_the_page_is_cut(world: World) -> None:
    user_id, user = world.new_user()
    ns = unique_name("paged")
    expect_status(world.admin.post("/v1/lake/namespaces", json={"namespace": [ns]}), 200)
    for i in range(12):
        expect_status(world.admin.post(f"/v1/lake/namespaces/{ns}/tables", json={
            "name": f"t{i:02d}", "schema": simple_schema()}), 200)
    for i in (1, 5, 6, 11):
        world.grant(user_id, {"type": "asset", "catalog_id": world.catalog_id,
                              "namespace": ns, "asset_id": table_id(world, [ns], f"t{i:02d}")},
                    ["read"])
    seen, token = [], None
    while True:
        params = {"pageSize": 2, **({"pageToken": token} if token else {})}
        page = expect_status(user.get(f"/v1/lake/namespaces/{ns}/tables", params=params), 200)
        assert len(page["identifiers"]) == 2 or not page.get("next-page-token")
        seen += [t["name"] for t in page["identifiers"]]
        token = page.get("next-page-token")
        if not token:
            break
    assert seen == ["t01", "t05", "t06", "t11"]


def test_roles_take_effect_at_once(world: World) -> None:
    user_id, user = world.new_user()
    role = expect_status(world.admin.post("/api/v1/roles", json={
        "name": unique_name("analyst"), "description": "reads hr"}), 201)
    role["permissions"] = [{"scope": {"type": "namespace", "catalog_id": world.catalog_id,
                                      "namespace": "hr"}, "actions": ["read"]}]
    expect_status(world.admin.put(f"/api/v1/roles/{role['id']}", json=role), 200)
    expect_status(user.get("/v1/lake/namespaces/hr/tables/salaries"), 403)
    expect_status(world.admin.post(f"/api/v1/users/{user_id}/roles",
                                   json={"role-id": role["id"]}), 201)
    expect_status(user.get("/v1/lake/namespaces/hr/tables/salaries"), 200)  # defect 25
    mine = expect_status(user.get(f"/api/v1/users/{user_id}/roles"), 200)
    assert [r["id"] for r in mine] == [role["id"]]
    expect_status(user.get(f"/api/v1/roles/{role['id']}"), 200)  # a holder reads its role
    role["permissions"][0]["actions"] = ["write"]
    expect_status(world.admin.put(f"/api/v1/roles/{role['id']}", json=role), 200)
    expect_status(user.post("/v1/lake/namespaces/hr/properties",
                            json={"updates": {"owner": "hr"}}), 200)
    expect_status(world.admin.delete(f"/api/v1/users/{user_id}/roles/{role['id']}"), 204)
    expect_status(user.get("/v1/lake/namespaces/hr/tables/salaries"), 403)
    expect_status(world.admin.delete(f"/api/v1/roles/{role['id']}"), 204)


def test_tenant_scope_and_revocation(world: World) -> None:
    user_id, user = world.new_user()
    grant = world.grant(user_id, {"type": "tenant"}, ["all"])
    assert set(grant) == {"id", "user-id", "tenant-id", "scope", "actions", "granted-by",
                          "granted-at"}
    expect_status(user.post("/api/v1/branches", json={"name": unique_name("b"),
                                                      "catalog": "lake"}), 201)
    own = expect_status(user.get("/api/v1/permissions"), 200)
    assert [g["id"] for g in own] == [grant["id"]]
    expect_status(user.get("/api/v1/permissions", params={"user": "someone-else"}), 403)
    expect_status(world.admin.delete(f"/api/v1/permissions/{grant['id']}"), 204)
    expect_status(user.get("/v1/lake/namespaces/sales"), 403)
    assert expect_status(user.get("/v1/lake/namespaces"), 200)["namespaces"] == []


def test_users_cannot_grant_and_admins_cannot_reach_other_tenants(world: World) -> None:
    user_id, user = world.new_user()
    # Defect 1: a tenant user cannot grant itself anything.
    r = user.post("/api/v1/permissions", json={"user-id": user_id, "scope": {"type": "tenant"},
                                               "actions": ["all"]})
    assert r.status_code == 403
    grant = world.grant(user_id, {"type": "namespace", "catalog_id": world.catalog_id,
                                  "namespace": "sales"}, ["read"])
    # Defect 2: nobody but an admin of the grant's tenant revokes it.
    expect_status(user.delete(f"/api/v1/permissions/{grant['id']}"), 403)
    expect_status(world.other_admin.delete(f"/api/v1/permissions/{grant['id']}"), 404)
    # Defect 4: an admin cannot grant on another tenant's catalog, nor to its users.
    r = world.other_admin.post("/api/v1/permissions", json={
        "user-id": user_id, "scope": {"type": "tenant"}, "actions": ["read"]})
    assert r.status_code == 404
    other_user = expect_status(world.other_admin.post("/api/v1/users", json={
        "username": unique_name("ob"), "password": PASSWORD, "role": "tenant-user"}), 201)
    r = world.other_admin.post("/api/v1/permissions", json={
        "user-id": other_user["id"], "scope": {"type": "catalog",
                                               "catalog_id": world.catalog_id},
        "actions": ["read"]})
    assert r.status_code == 404
    # Defect 5: roles are tenant-scoped.
    role = expect_status(world.admin.post("/api/v1/roles", json={"name": unique_name("r")}), 201)
    expect_status(world.other_admin.get(f"/api/v1/roles/{role['id']}"), 404)
    expect_status(world.other_admin.delete(f"/api/v1/roles/{role['id']}"), 404)
    r = world.other_admin.post(f"/api/v1/users/{other_user['id']}/roles",
                               json={"role-id": role["id"]})
    assert r.status_code == 404
    r = world.admin.post("/api/v1/roles", json={"name": "x", "tenant-id": world.other_tenant})
    assert r.status_code == 403
    assert [g["id"] for g in expect_status(world.other_admin.get("/api/v1/permissions"),
                                           200)] == []


def test_bad_grants_are_refused(world: World) -> None:
    user_id, _ = world.new_user()
    for scope, actions, status in [
        ({"type": "galaxy"}, ["read"], 400),
        ({"type": "catalog"}, ["read"], 400),
        ({"type": "catalog", "catalog_id": world.catalog_id}, [], 400),
        ({"type": "catalog", "catalog_id": world.catalog_id}, ["fly"], 400),
        ({"type": "catalog", "catalog_id": world.catalog_id, "extra": 1}, ["read"], 422),
        ({"type": "namespace", "catalog_id": world.catalog_id, "namespace": "a..b"}, ["read"],
         400),
        ({"type": "catalog", "catalog_id": "00000000-0000-4000-8000-000000000000"}, ["read"],
         404),
    ]:
        r = world.admin.post("/api/v1/permissions", json={"user-id": user_id, "scope": scope,
                                                          "actions": actions})
        assert r.status_code == status, (scope, actions, r.text)
    r = world.admin.post("/api/v1/permissions", json={
        "user-id": "no-such-user", "scope": {"type": "tenant"}, "actions": ["read"]})
    assert r.status_code == 404


def test_idempotent_replay_is_only_for_the_same_authorized_caller(world: World) -> None:
    writer_id, writer = world.new_user()
    other_id, other = world.new_user()
    for user_id in (writer_id, other_id):
        world.grant(user_id, {"type": "namespace", "catalog_id": world.catalog_id,
                              "namespace": "hr"}, ["write"])
    _, plain = world.new_user()
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"updates": {"reviewed": "yes"}}
    first = writer.post("/v1/lake/namespaces/hr/properties", json=body, headers=headers)
    expect_status(first, 200)
    again = writer.post("/v1/lake/namespaces/hr/properties", json=body, headers=headers)
    assert again.headers.get("Idempotent-Replayed") == "true" and again.json() == first.json()
    # A caller without the permission is refused before any replay.
    r = plain.post("/v1/lake/namespaces/hr/properties", json=body, headers=headers)
    assert r.status_code == 403 and "Idempotent-Replayed" not in r.headers
    # Another caller's retry with the same key is not this request: never a replay.
    r = other.post("/v1/lake/namespaces/hr/properties", json=body, headers=headers)
    assert "Idempotent-Replayed" not in r.headers and r.status_code != 200


def test_each_branch_type_needs_its_own_permission(world: World) -> None:
    user_id, user = world.new_user()
    catalog = {"type": "catalog", "catalog_id": world.catalog_id}
    world.grant(user_id, catalog, ["write"])
    ingest = {"name": unique_name("ingest"), "catalog": "lake", "branch_type": "ingest"}
    experiment = {"name": unique_name("exp"), "catalog": "lake", "branch_type": "experimental"}
    expect_status(user.post("/api/v1/branches", json=ingest), 403)
    expect_status(user.post("/api/v1/branches", json=experiment), 403)
    # Creating a table on a missing branch adds an experimental branch: the same permission.
    branch = unique_name("auto")
    r = user.post(f"/v1/lake/namespaces/sales/tables",
                  json={"name": f"t@{branch}", "schema": simple_schema()})
    assert r.status_code == 403, r.text
    world.grant(user_id, catalog, ["ingest-branching"])
    expect_status(user.post("/api/v1/branches", json=ingest), 201)
    expect_status(user.post("/api/v1/branches", json=experiment), 403)
    world.grant(user_id, catalog, ["experimental-branching"])
    expect_status(user.post("/api/v1/branches", json=experiment), 201)
    expect_status(user.post(f"/v1/lake/namespaces/sales/tables",
                            json={"name": f"t@{branch}", "schema": simple_schema()}), 200)
    created = expect_status(user.get(f"/api/v1/branches/{branch}", params={"catalog": "lake"}),
                            200)
    assert created["branch_type"] == "experimental"
