"""No read API returns a configured secret. Warehouses on MinIO (S3 keys), Azurite (an account
key) and fake-gcs-server (an OAuth token) are created with their secrets; then every GET route
the server has (pangolin_api --print-routes) is called, with its path parameters filled in for
each catalog, as root and as the tenant admin, with and without credential delegation; no body
and no header may contain a secret. Vended credentials are temporary ones, never the
warehouse's own keys."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from pangolin_harness import (AZURITE_ACCOUNT, AZURITE_KEY, DEFAULT_BINARY, PangolinServer,
                              S3Service, TEST_SECRETS_KEY, create_azure_container, create_tenant,
                              expect_status, login, unique_name)

BINARY = Path(os.environ.get("PANGOLIN_BIN", str(DEFAULT_BINARY))).resolve()
ROOT_PASSWORD = "root-password-for-secret-scan"
PASSWORD = "password-for-secret-scan"
GCS_TOKEN = "ya29.secret-scan-static-token-that-must-never-be-returned"
DELEGATION = {"X-Iceberg-Access-Delegation": "vended-credentials,remote-signing"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, s3_service: S3Service, azurite_endpoint: str,
          fake_gcs_endpoint: str) -> dict:
    azurite, gcs = azurite_endpoint, fake_gcs_endpoint
    container = unique_name("scan").replace("_", "-")
    create_azure_container(azurite, container)
    server = PangolinServer(binary=BINARY, root=tmp_path_factory.mktemp("secret-scan"),
                            root_password=ROOT_PASSWORD,
                            extra_env={"PANGOLIN_SECRETS_KEY": TEST_SECRETS_KEY})
    server.start()
    root = login(server, "root", ROOT_PASSWORD)[0]
    _, admin = create_tenant(server, root, unique_name("scan"), "admin", PASSWORD)
    warehouses = {
        "s3": s3_service.storage_config(unique_name("scan"), vending="aws-sts"),
        "azure": {"type": "azure", "adls.account-name": AZURITE_ACCOUNT,
                  "adls.account-key": AZURITE_KEY, "adls.container": container,
                  "adls.endpoint": azurite},
        "gcs": {"type": "gcs", "gcs.bucket": "warehouse", "gcs.endpoint": gcs,
                "gcs.oauth2.token": GCS_TOKEN, "root": f"gs://warehouse/{unique_name('scan')}"},
    }
    for name, config in warehouses.items():
        expect_status(admin.post("/api/v1/warehouses", json={
            "name": name, "storage_config": config}), 201)
        expect_status(admin.post("/api/v1/catalogs", json={
            "name": name, "warehouse_name": name}), 201)
        expect_status(admin.post(f"/v1/{name}/namespaces", json={"namespace": ["n"]}), 200)
        expect_status(admin.post(f"/v1/{name}/namespaces/n/tables", json={
            "name": "t", "schema": {"type": "struct", "fields": [
                {"id": 1, "name": "id", "type": "long", "required": False}]}}), 200)
    yield {"server": server, "root": root, "admin": admin,
           "secrets": [s3_service.secret_access_key, AZURITE_KEY, GCS_TOKEN]}
    server.stop()


def get_routes() -> list[str]:
    out = subprocess.run([str(BINARY), "--print-routes", "--database-url", "memory"],
                         check=True, capture_output=True, text=True, timeout=30)
    routes = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    return sorted({r["path"] for r in routes if r["method"] == "GET"})


def fill(path: str, catalog: str) -> str:
    values = {"prefix": catalog, "catalog": catalog, "namespace": "n", "table": "t",
              "name": catalog}
    parts = [values.get(p[1:-1], "ghost") if p.startswith("{") else p for p in path.split("/")]
    return "/".join(parts)


def test_the_warehouses_work_through_their_own_stores(world: dict) -> None:
    for name in ("s3", "azure", "gcs"):
        loaded = expect_status(world["admin"].get(f"/v1/{name}/namespaces/n/tables/t"), 200)
        assert loaded["metadata"]["format-version"] == 2, name


def test_no_read_api_returns_a_configured_secret(world: dict) -> None:
    paths = get_routes()
    assert len(paths) > 40
    called = 0
    for http in (world["root"], world["admin"]):
        for catalog in ("s3", "azure", "gcs"):
            for path in paths:
                for headers in ({}, DELEGATION):
                    answer = http.get(fill(path, catalog), headers=headers)
                    called += 1
                    text = answer.text + json.dumps(dict(answer.headers))
                    for secret in world["secrets"]:
                        assert secret not in text, (path, catalog, answer.status_code)
    assert called > 400
