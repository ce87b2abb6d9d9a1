"""Two servers on one store (SQLite file, PostgreSQL, MongoDB wire protocol): whatever one server
remembers between requests (the principal behind a token or an API key, a catalog and its
warehouse, compiled grants) gives way at once to a change made through the other. Each case
first uses the credential or catalog on the second server, so that it is remembered there, then
changes it through the first, then expects the second to answer for the change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pangolin_harness import (DEFAULT_BINARY, Http, PangolinServer, bearer, create_local_catalog,
                              create_tenant, expect_status, login, simple_schema, unique_name)

ROOT_PASSWORD = "root-password-shared-store"
PASSWORD = "password-shared-store"


class Pair:
    def __init__(self, first: PangolinServer, second: PangolinServer, warehouse: Path) -> None:
        self.first = first
        self.second = second
        root, _ = login(first, "root", ROOT_PASSWORD)
        self.tenant, self.admin = create_tenant(first, root, unique_name("shared"), "admin",
                                                PASSWORD)
        self.catalog_id = create_local_catalog(self.admin, warehouse)["id"]
        expect_status(self.admin.post("/v1/lake/namespaces", json={"namespace": ["ns"]}), 200)
        expect_status(self.admin.post("/v1/lake/namespaces/ns/tables",
                                      json={"name": "t", "schema": simple_schema()}), 200)

    def on_second(self, token: str | None = None, **headers: str) -> Http:
        if token is None:
            http = Http(self.second.base_url)
            http.session.headers.update(headers)
            return http
        return bearer(self.second.base_url, token, **headers)

    def user(self, role: str = "tenant-user") -> tuple[dict, str]:
        name = unique_name("u")
        user = expect_status(self.admin.post("/api/v1/users", json={
            "username": name, "password": PASSWORD, "role": role}), 201)
        return user, login(self.second, name, PASSWORD, self.tenant)[1]


@pytest.fixture(params=["sqlite", "postgres", "mongo"])
def pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Pair]:
    url = (request.getfixturevalue(f"{request.param}_database")
           if request.param != "sqlite" else None)
    first = PangolinServer(binary=DEFAULT_BINARY, root=tmp_path / "first",
                           root_password=ROOT_PASSWORD, database_url=url)
    first.root.mkdir()
    first.start()
    second = PangolinServer(binary=DEFAULT_BINARY, root=tmp_path / "second",
                            root_password=ROOT_PASSWORD, database_url=url,
                            database=None if url else first.root / "pangolin.db")
    second.root.mkdir()
    second.start()
    try:
        yield Pair(first, second, tmp_path / "warehouse")
    finally:
        second.stop()
        first.stop()


TABLE = "/v1/lake/namespaces/ns/tables/t"
NAMESPACES = "/v1/lake/namespaces"


def test_revoked_token_is_refused_by_the_other_server(pair: Pair) -> None:
    user, token = pair.user()
    expect_status(pair.on_second(token).get("/api/v1/users/me"), 200)
    mine = expect_status(pair.admin.get(f"/api/v1/users/{user['id']}/tokens"), 200)
    live = next(t["id"] for t in mine if t["is_valid"])
    expect_status(pair.admin.post(f"/api/v1/auth/revoke/{live}", json={"reason": "test"}), 200)
    expect_status(pair.on_second(token).get("/api/v1/users/me"), 401)


def test_deactivated_or_deleted_user_is_refused_by_the_other_server(pair: Pair) -> None:
    user, token = pair.user()
    expect_status(pair.on_second(token).get("/api/v1/users/me"), 200)
    expect_status(pair.admin.put(f"/api/v1/users/{user['id']}", json={"active": False}), 200)
    expect_status(pair.on_second(token).get("/api/v1/users/me"), 401)

    user, token = pair.user()
    expect_status(pair.on_second(token).get("/api/v1/users/me"), 200)
    expect_status(pair.admin.delete(f"/api/v1/users/{user['id']}"), 204)
    expect_status(pair.on_second(token).get("/api/v1/users/me"), 401)


def test_rotated_or_deactivated_api_key_is_refused_by_the_other_server(pair: Pair) -> None:
    robot = expect_status(pair.admin.post("/api/v1/service-users", json={
        "name": unique_name("robot"), "role": "tenant-admin"}), 201)
    key = robot["api_key"]
    expect_status(pair.on_second(**{"X-API-Key": key}).get(NAMESPACES), 200)
    rotated = expect_status(pair.admin.post(
        f"/api/v1/service-users/{robot['id']}/rotate"), 200)["api_key"]
    expect_status(pair.on_second(**{"X-API-Key": key}).get(NAMESPACES), 401)
    expect_status(pair.on_second(**{"X-API-Key": rotated}).get(NAMESPACES), 200)
    expect_status(pair.admin.put(f"/api/v1/service-users/{robot['id']}",
                                 json={"active": False}), 200)
    expect_status(pair.on_second(**{"X-API-Key": rotated}).get(NAMESPACES), 401)


def test_revoked_grant_is_refused_by_the_other_server(pair: Pair) -> None:
    user, token = pair.user()
    expect_status(pair.on_second(token).get(TABLE), 403)
    grant = expect_status(pair.admin.post("/api/v1/permissions", json={
        "user-id": user["id"], "scope": {"type": "catalog", "catalog_id": pair.catalog_id},
        "actions": ["read"]}), 201)
    expect_status(pair.on_second(token).get(TABLE), 200)
    expect_status(pair.admin.delete(f"/api/v1/permissions/{grant['id']}"), 204)
    expect_status(pair.on_second(token).get(TABLE), 403)


def test_deleted_catalog_is_gone_on_the_other_server(pair: Pair, tmp_path: Path) -> None:
    _, token = pair.user(role="tenant-admin")
    expect_status(pair.on_second(token).get(TABLE), 200)
    expect_status(pair.on_second(token).get("/v1/config?warehouse=lake"), 200)
    expect_status(pair.admin.delete(TABLE), 204)
    expect_status(pair.admin.delete("/v1/lake/namespaces/ns"), 204)
    expect_status(pair.admin.delete("/api/v1/catalogs/lake"), 204)
    expect_status(pair.on_second(token).get(TABLE), 404)
    expect_status(pair.on_second(token).get("/v1/config?warehouse=lake"), 404)
    # A catalog of the same name, on another warehouse, is the one the other server now uses.
    elsewhere = tmp_path / "elsewhere"
    expect_status(pair.admin.post("/api/v1/warehouses", json={
        "name": "wh2", "storage_config": {"type": "local", "root": str(elsewhere)}}), 201)
    expect_status(pair.admin.post("/api/v1/catalogs", json={
        "name": "lake", "warehouse_name": "wh2",
        "storage_location": f"file://{elsewhere}/lake"}), 201)
    expect_status(pair.on_second(token).post("/v1/lake/namespaces", json={"namespace": ["n2"]}),
                  200)
    created = expect_status(pair.on_second(token).post(
        "/v1/lake/namespaces/n2/tables", json={"name": "t2", "schema": simple_schema()}), 200)
    assert created["metadata-location"].startswith(f"file://{elsewhere}/lake/")
