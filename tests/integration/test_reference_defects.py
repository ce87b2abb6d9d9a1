"""Regression tests for the original's identity and access defects (reference §9) that the other
suites do not already name: 6 (unchecked catalog, merge and tag routes), 10 (secrets returned on
reads), 16 (token material stored and listed), 20 (revocations forgotten before the token
expires) and 26 (root without admin powers in a tenant). Defects 1-5, 7-9, 15, 17, 19, 21, 23-25
are covered by test_auth.py, test_access_control.py, test_audit.py, test_rate_limits.py and the
auth unit tests; 12 (tagging as a way to gain access) by test_business_metadata.py."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from pangolin_harness import (DEFAULT_BINARY, Http, PangolinServer, S3Service, expect_status,
                              unique_name)
from pangolin_harness import login as harness_login

ROOT_PASSWORD = "root-password-for-defects"
PASSWORD = "password-for-defect-tests"


def login(server: PangolinServer, username: str, tenant: str | None,
          password: str = PASSWORD) -> tuple[Http, str]:
    return harness_login(server, username, password, tenant)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    binary = Path(os.environ.get("PANGOLIN_BIN", str(DEFAULT_BINARY))).resolve()
    # Warehouse secrets are stored only encrypted outside development mode.
    server = PangolinServer(binary=binary, root=tmp_path_factory.mktemp("pangolin-defects"),
                            root_password=ROOT_PASSWORD,
                            extra_env={"PANGOLIN_SECRETS_KEY": base64.b64encode(
                                os.urandom(32)).decode()})
    server.start()
    root, _ = login(server, "root", None, ROOT_PASSWORD)
    tenant = expect_status(root.post("/api/v1/tenants", json={
        "name": "defects", "admin_username": "admin", "admin_password": PASSWORD}), 201)
    admin, _ = login(server, "admin", tenant["id"])
    wh = server.root / "wh"
    expect_status(admin.post("/api/v1/warehouses", json={
        "name": "wh", "storage_config": {"type": "local", "root": str(wh)}}), 201)
    lake = expect_status(admin.post("/api/v1/catalogs", json={
        "name": "lake", "warehouse_name": "wh", "storage_location": f"file://{wh}/lake"}), 201)
    user = expect_status(admin.post("/api/v1/users", json={
        "username": "reader", "password": PASSWORD, "role": "tenant-user"}), 201)
    expect_status(admin.post("/api/v1/permissions", json={
        "user-id": user["id"], "scope": {"type": "catalog", "catalog_id": lake["id"]},
        "actions": ["read"]}), 201)
    reader, _ = login(server, "reader", tenant["id"])
    yield {"server": server, "root": root, "admin": admin, "reader": reader,
           "tenant": tenant["id"]}
    server.assert_stopped_cleanly()


def test_defect_6_catalog_merge_and_tag_routes_are_checked(env: dict) -> None:
    reader = env["reader"]
    expect_status(reader.get("/api/v1/catalogs/lake"), 200)  # read implies list
    for method, path, body in [
        ("POST", "/api/v1/catalogs", {"name": "mine", "warehouse_name": "wh"}),
        ("PUT", "/api/v1/catalogs/lake", {"properties": {"owner": "me"}}),
        ("DELETE", "/api/v1/catalogs/lake", None),
        ("POST", "/api/v1/branches/merge", {"source_branch": "main", "target_branch": "main",
                                            "catalog": "lake"}),
        ("POST", "/api/v1/tags", {"name": "t", "catalog": "lake", "commit_id": "x"}),
        ("DELETE", "/api/v1/branches/main?catalog=lake", None),
        ("POST", "/api/v1/branches", {"name": "b", "catalog": "lake"}),
    ]:
        r = reader.request(method, path, json=body)
        assert r.status_code == 403, (method, path, r.text)


def test_defect_10_secrets_are_never_returned(env: dict, s3_service: S3Service) -> None:
    admin, root = env["admin"], env["root"]
    secret = s3_service.secret_access_key
    expect_status(admin.post("/api/v1/warehouses", json={
        "name": "s3wh", "storage_config": s3_service.storage_config("defect-10")}), 201)
    expect_status(admin.post("/api/v1/catalogs", json={
        "name": "s3lake", "warehouse_name": "s3wh"}), 201)
    for http, path in [(admin, "/api/v1/warehouses"), (admin, "/api/v1/warehouses/s3wh"),
                       (root, "/api/v1/warehouses"), (admin, "/api/v1/catalogs/s3lake")]:
        body = expect_status(http.get(path), 200)
        assert secret not in json.dumps(body), path
    warehouse = expect_status(admin.get("/api/v1/warehouses/s3wh"), 200)
    assert warehouse["storage_config"]["s3.secret-access-key"] == "****"
    expect_status(env["reader"].get("/api/v1/warehouses/s3wh"), 403)


def test_defect_16_no_token_or_key_material_is_stored_or_listed(env: dict) -> None:
    server, admin = env["server"], env["admin"]
    _, token = login(server, "admin", env["tenant"])
    created = expect_status(admin.post("/api/v1/service-users", json={
        "name": unique_name("svc")}), 201)
    secret = created["api_key"].split("_", 2)[2]
    db = sqlite3.connect(server.root / "pangolin.db")
    try:
        for table in ("tokens", "service_users", "users", "audit_log"):
            for row in db.execute(f"SELECT * FROM {table}"):
                text = " ".join(str(v) for v in row)
                assert token not in text and token.split(".")[2] not in text, table
                assert secret not in text, table
    finally:
        db.close()
    listed = expect_status(admin.get("/api/v1/users/me/tokens"), 200)
    assert token not in json.dumps(listed)


def test_defect_20_revocations_outlive_token_cleanup(env: dict) -> None:
    server, root = env["server"], env["root"]
    session, _ = login(server, "admin", env["tenant"])
    expect_status(session.post("/api/v1/auth/revoke", json={"reason": "test"}), 200)
    expect_status(session.get("/api/v1/users/me"), 401)
    cleanup = expect_status(root.post("/api/v1/auth/cleanup-tokens"), 200)
    assert cleanup["count"] == 0  # nothing has expired yet, so nothing is forgotten
    expect_status(session.get("/api/v1/users/me"), 401)


def test_defect_26_root_acting_in_a_tenant_has_every_admin_power(env: dict) -> None:
    root = Http(env["server"].base_url)
    root.session.headers.update(env["root"].session.headers)
    root.session.headers["X-Pangolin-Tenant"] = env["tenant"]
    wh = env["server"].root / "wh-root"
    expect_status(root.post("/api/v1/warehouses", json={
        "name": "root-wh", "storage_config": {"type": "local", "root": str(wh)}}), 201)
    catalog = expect_status(root.post("/api/v1/catalogs", json={
        "name": "root-lake", "warehouse_name": "root-wh"}), 201)
    user = expect_status(root.post("/api/v1/users", json={
        "username": unique_name("by-root"), "password": PASSWORD, "role": "tenant-user"}), 201)
    assert user["tenant-id"] == env["tenant"]
    expect_status(root.post("/api/v1/permissions", json={
        "user-id": user["id"], "scope": {"type": "catalog", "catalog_id": catalog["id"]},
        "actions": ["read"]}), 201)
    names = [c["name"] for c in expect_status(env["admin"].get("/api/v1/catalogs"), 200)]
    assert "root-lake" in names
