"""Business metadata of assets and tag grants against a server with authentication on: records
read, written and deleted through /api/v1/assets/{id}/metadata (and the business-metadata
aliases); tags changed only with manage-discovery (the reference's defect 12: tagging must not be
a way to gain access); a grant on a tag reaching exactly the assets carrying it, from the next
request on; discoverable records readable by every member, and nothing reachable from another
tenant."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pangolin_harness import (DEFAULT_BINARY, Http, PangolinServer, create_local_catalog,
                              create_tenant, expect_status, simple_schema, unique_name)
from pangolin_harness import login as harness_login

ROOT_PASSWORD = "root-password-for-metadata"
PASSWORD = "password-for-metadata-tests"


def login(server: PangolinServer, username: str, tenant: str | None,
          password: str = PASSWORD) -> Http:
    return harness_login(server, username, password, tenant)[0]


@dataclass
class World:
    server: PangolinServer
    tenant: str
    admin: Http
    catalog_id: str
    assets: dict[str, str]  # table name -> asset id
    other_admin: Http

    def new_user(self, *grants: tuple[dict, list[str]]) -> Http:
        name = unique_name("u")
        user = expect_status(self.admin.post("/api/v1/users", json={
            "username": name, "password": PASSWORD, "role": "tenant-user"}), 201)
        for scope, actions in grants:
            expect_status(self.admin.post("/api/v1/permissions", json={
                "user-id": user["id"], "scope": scope, "actions": actions}), 201)
        return login(self.server, name, self.tenant)

    def on_catalog(self, *actions: str) -> tuple[dict, list[str]]:
        return {"type": "catalog", "catalog_id": self.catalog_id}, list(actions)


def metadata_path(asset_id: str) -> str:
    return f"/api/v1/assets/{asset_id}/metadata"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    binary = Path(os.environ.get("PANGOLIN_BIN", str(DEFAULT_BINARY))).resolve()
    server = PangolinServer(binary=binary, root=tmp_path_factory.mktemp("pangolin-metadata"),
                            root_password=ROOT_PASSWORD)
    server.start()
    root = login(server, "root", None, ROOT_PASSWORD)
    tenant, admin = create_tenant(server, root, "metadata-a", "admin-a", PASSWORD)
    other_admin = create_tenant(server, root, "metadata-b", "admin-b", PASSWORD)[1]
    cat = create_local_catalog(admin, server.root / "wh")
    expect_status(admin.post("/v1/lake/namespaces", json={"namespace": ["sales"]}), 200)
    for table in ("orders", "events", "refunds"):
        expect_status(admin.post("/v1/lake/namespaces/sales/tables", json={
            "name": table, "schema": simple_schema()}), 200)
    commits = expect_status(admin.get("/api/v1/branches/main/commits",
                                      params={"catalog": "lake", "limit": 1000}), 200)
    assets = {op["Put"]["asset"]["name"]: op["Put"]["asset"]["id"] for commit in commits
              for op in commit["operations"]
              if "Put" in op and op["Put"]["asset"]["kind"] == "ICEBERG_TABLE"}
    yield World(server, tenant, admin, cat["id"], assets, other_admin)
    server.assert_stopped_cleanly()


def tables(user: Http) -> list[str]:
    listed = expect_status(user.get("/v1/lake/namespaces/sales/tables"), 200)
    return sorted(item["name"] for item in listed["identifiers"])


def test_a_record_round_trips_and_the_asset_detail_shows_it(world: World) -> None:
    asset = world.assets["refunds"]
    body = {"description": "refunds issued", "tags": ["finance", "daily"],
            "properties": {"owner": "finance", "sla_hours": 4}, "discoverable": False}
    stored = expect_status(world.admin.post(metadata_path(asset), json=body), 200)["metadata"]
    assert stored["asset-id"] == asset and stored["tags"] == ["daily", "finance"]
    assert stored["properties"] == {"owner": "finance", "sla_hours": 4}
    assert stored["description"] == "refunds issued" and stored["discoverable"] is False
    assert stored["created-at"] == stored["updated-at"]
    read = expect_status(world.admin.get(metadata_path(asset)), 200)["metadata"]
    assert read == stored
    alias = expect_status(world.admin.get(f"/api/v1/business-metadata/{asset}"), 200)
    assert alias["metadata"] == stored
    detail = expect_status(world.admin.get(f"/api/v1/assets/{asset}"), 200)
    assert detail["asset"]["name"] == "refunds" and detail["asset"]["kind"] == "IcebergTable"
    assert detail["catalog"] == "lake" and detail["namespace"] == "sales"
    assert detail["metadata"] == stored
    # A replacement keeps the record's id and creation.
    again = expect_status(world.admin.post(metadata_path(asset), json={"tags": ["finance"]}),
                          200)["metadata"]
    assert again["id"] == stored["id"] and again["created-at"] == stored["created-at"]
    assert again["description"] is None and again["properties"] == {}
    actions = [e["action"] for e in expect_status(world.admin.get(
        "/api/v1/audit", params={"resource_type": "metadata"}), 200)]
    assert actions[:2] == ["update_metadata", "add_metadata"]


def test_bad_input_is_refused_and_changes_nothing(world: World) -> None:
    asset = world.assets["refunds"]
    before = expect_status(world.admin.get(metadata_path(asset)), 200)["metadata"]
    r = world.admin.post(metadata_path(asset), json={"tags": ["has space"]})
    assert r.status_code == 400 and "Invalid tag" in r.json()["error"]
    assert world.admin.post(metadata_path(asset), json={"owner": "x"}).status_code == 422
    assert world.admin.post(metadata_path(asset), json={"tags": "pii"}).status_code == 400
    assert world.admin.post(metadata_path(asset), data="{").status_code == 400
    assert expect_status(world.admin.get(metadata_path(asset)), 200)["metadata"] == before
    assert world.admin.get(metadata_path("no-such-asset")).status_code == 404
    assert world.admin.post(metadata_path("no-such-asset"), json={}).status_code == 404


def test_defect_12_tags_need_manage_discovery(world: World) -> None:
    asset = world.assets["events"]
    nobody = world.new_user()
    writer = world.new_user(world.on_catalog("write"))
    curator = world.new_user(world.on_catalog("manage-discovery"))
    # Without grants nothing may be written, discoverable or not (the original let anyone).
    for body in ({"discoverable": False}, {"tags": ["pii"]}):
        assert nobody.post(metadata_path(asset), json=body).status_code == 403
    # Write allows describing the asset, not tagging it.
    expect_status(writer.post(metadata_path(asset), json={"description": "clicks"}), 200)
    r = writer.post(metadata_path(asset), json={"description": "clicks", "tags": ["pii"]})
    assert r.status_code == 403 and "manage-discovery" in r.json()["error"]
    # Keeping the tags as they are is not a change of tags.
    expect_status(curator.post(metadata_path(asset), json={"tags": ["pii"]}), 200)
    expect_status(writer.post(metadata_path(asset), json={"description": "x", "tags": ["pii"]}),
                  200)
    # Removing tags is a change too, and so is deleting a tagged record.
    assert writer.post(metadata_path(asset), json={}).status_code == 403
    assert writer.delete(metadata_path(asset)).status_code == 403
    assert expect_status(world.admin.get(metadata_path(asset)), 200)["metadata"]["tags"] == ["pii"]
    expect_status(curator.delete(f"/api/v1/business-metadata/{asset}"), 204)
    assert world.admin.get(metadata_path(asset)).status_code == 404
    assert curator.delete(metadata_path(asset)).status_code == 404
    denied = expect_status(world.admin.get("/api/v1/audit", params={
        "action": "permission_denied"}), 200)
    assert any("manage-discovery" in (e["error_message"] or "") for e in denied)


def test_a_tag_grant_reaches_exactly_the_tagged_assets(world: World) -> None:
    orders, events = world.assets["orders"], world.assets["events"]
    reader = world.new_user(({"type": "tag", "tag_name": "gold"}, ["read"]))
    expect_status(reader.get("/v1/lake/namespaces/sales/tables/orders"), 403)
    assert tables(reader) == []
    expect_status(world.admin.post(metadata_path(orders), json={"tags": ["gold", "sales"]}), 200)
    expect_status(world.admin.post(metadata_path(events), json={"tags": ["silver"]}), 200)
    # From the next request on: the tagged table is readable and listed, nothing else.
    expect_status(reader.get("/v1/lake/namespaces/sales/tables/orders"), 200)
    expect_status(reader.get("/v1/lake/namespaces/sales/tables/events"), 403)
    assert tables(reader) == ["orders"]
    expect_status(reader.get(metadata_path(orders)), 200)
    # read does not imply write.
    r = reader.post("/v1/lake/namespaces/sales/tables/orders", json={"updates": []})
    assert r.status_code == 403
    # Untagging takes the access away at once.
    expect_status(world.admin.post(metadata_path(orders), json={"tags": ["sales"]}), 200)
    expect_status(reader.get("/v1/lake/namespaces/sales/tables/orders"), 403)
    assert tables(reader) == []
    expect_status(world.admin.delete(metadata_path(events)), 204)
    expect_status(world.admin.delete(metadata_path(orders)), 204)


def test_discoverable_records_are_readable_by_every_member(world: World) -> None:
    orders = world.assets["orders"]
    member = world.new_user()
    expect_status(world.admin.post(metadata_path(orders), json={
        "description": "all orders", "discoverable": False}), 200)
    assert member.get(metadata_path(orders)).status_code == 403
    assert member.get(f"/api/v1/assets/{orders}").status_code == 403
    expect_status(world.admin.post(metadata_path(orders), json={
        "description": "all orders", "discoverable": True}), 200)
    assert expect_status(member.get(metadata_path(orders)), 200)["metadata"]["description"] == \
        "all orders"
    assert expect_status(member.get(f"/api/v1/assets/{orders}"), 200)["asset"]["name"] == "orders"
    # Discoverable is not readable: the table itself stays closed, and so does editing.
    expect_status(member.get("/v1/lake/namespaces/sales/tables/orders"), 403)
    assert member.post(metadata_path(orders), json={"discoverable": True}).status_code == 403
    # Another tenant finds nothing, discoverable or not.
    assert world.other_admin.get(metadata_path(orders)).status_code == 404
    assert world.other_admin.get(f"/api/v1/assets/{orders}").status_code == 404
    assert world.other_admin.post(metadata_path(orders), json={}).status_code == 404
    assert world.other_admin.delete(metadata_path(orders)).status_code == 404
    expect_status(world.admin.delete(metadata_path(orders)), 204)
