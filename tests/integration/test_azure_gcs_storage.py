"""Catalogs on Azure Blob (Azurite) and Google Cloud Storage (fake-gcs-server): tables are
created, committed, loaded and purged through each store; on Azure the SAS the catalog vends
works against the emulator with the permissions of the caller (a reader's cannot write), and
PyIceberg creates, appends to and reads back a table holding nothing but the vended SAS; on GCS
it does the same holding nothing but the vended downscoped token.

Azurite accepts no directory SAS (it has no hierarchical namespace), so the vended SAS is for the
container; the directory scope is tested on values in src/storage/azure/sas_test.cc.
Google's token services do not run here: a stand-in (google_token_services.py) verifies the
service account's assertions and records the token exchanges, so the tests check the Credential
Access Boundary the catalog asks for; fake-gcs-server checks no token, so the boundary itself is
not enforced (src/storage/gcs/downscope_test.cc tests it on values)."""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path

import pyarrow as pa
import pytest
import requests
from pyiceberg.catalog import load_catalog

from google_token_services import GoogleTokenServices
from pangolin_harness import (AZURITE_ACCOUNT, AZURITE_KEY, DEFAULT_BINARY, PangolinServer,
                              TEST_SECRETS_KEY, create_azure_container, create_tenant,
                              expect_status, login, unique_name)

ROOT_PASSWORD = "root-password-for-azure-gcs"
PASSWORD = "password-for-azure-gcs-tests"
DELEGATION = {"X-Iceberg-Access-Delegation": "vended-credentials"}
SCHEMA = {"type": "struct", "fields": [{"id": 1, "name": "id", "type": "long", "required": False}]}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, azurite_endpoint: str,
        fake_gcs_endpoint: str) -> dict:
    binary = Path(os.environ.get("PANGOLIN_BIN", str(DEFAULT_BINARY))).resolve()
    server = PangolinServer(binary=binary, root=tmp_path_factory.mktemp("azure-gcs"),
                            root_password=ROOT_PASSWORD,
                            extra_env={"PANGOLIN_SECRETS_KEY": TEST_SECRETS_KEY})
    server.start()
    root = login(server, "root", ROOT_PASSWORD)[0]
    tenant, admin = create_tenant(server, root, unique_name("cloud"), "admin", PASSWORD)
    container = unique_name("wh").replace("_", "-")
    create_azure_container(azurite_endpoint, container)
    expect_status(admin.post("/api/v1/warehouses", json={"name": "azure", "storage_config": {
        "type": "azure", "account_name": AZURITE_ACCOUNT, "account_key": AZURITE_KEY,
        "container": container, "adls.endpoint": azurite_endpoint}}), 201)
    expect_status(admin.post("/api/v1/warehouses", json={"name": "gcs", "storage_config": {
        "type": "gcs", "gcs.bucket": "warehouse", "gcs.endpoint": fake_gcs_endpoint,
        "gcs.no-auth": "true", "root": f"gs://warehouse/{unique_name('wh')}"}}), 201)
    catalog_ids = {}
    for name in ("azure", "gcs"):
        catalog_ids[name] = expect_status(admin.post("/api/v1/catalogs", json={
            "name": name, "warehouse_name": name}), 201)["id"]
        expect_status(admin.post(f"/v1/{name}/namespaces", json={"namespace": ["n"]}), 200)
    reader = expect_status(admin.post("/api/v1/users", json={
        "username": "reader", "password": PASSWORD, "role": "tenant-user"}), 201)
    expect_status(admin.post("/api/v1/permissions", json={
        "user-id": reader["id"], "scope": {"type": "catalog", "catalog_id": catalog_ids["azure"]},
        "actions": ["read"]}), 201)
    yield {"server": server, "admin": admin, "azurite": azurite_endpoint, "container": container,
           "gcs": fake_gcs_endpoint, "reader": login(server, "reader", PASSWORD, tenant)[0]}
    server.stop()


@pytest.mark.parametrize("catalog", ["azure", "gcs"])
def test_tables_live_in_the_warehouse_store(env: dict, catalog: str) -> None:
    admin = env["admin"]
    table = unique_name("t")
    created = expect_status(admin.post(f"/v1/{catalog}/namespaces/n/tables", json={
        "name": table, "schema": SCHEMA}), 200)
    scheme = {"azure": "abfss://", "gcs": "gs://"}[catalog]
    assert created["metadata-location"].startswith(scheme), created["metadata-location"]
    committed = expect_status(admin.post(f"/v1/{catalog}/namespaces/n/tables/{table}", json={
        "requirements": [], "updates": [{"action": "set-properties", "updates": {"k": "v"}}]}),
        200)
    loaded = expect_status(admin.get(f"/v1/{catalog}/namespaces/n/tables/{table}"), 200)
    assert loaded["metadata-location"] == committed["metadata-location"]
    assert loaded["metadata"]["properties"]["k"] == "v"
    expect_status(admin.delete(f"/v1/{catalog}/namespaces/n/tables/{table}?purgeRequested=true"),
                  204)
    if catalog == "gcs":  # the purge removed the table's files from the bucket
        prefix = created["metadata"]["location"].removeprefix("gs://warehouse/")
        listed = requests.get(f"{env['gcs']}/storage/v1/b/warehouse/o",
                              params={"prefix": prefix + "/"}, timeout=10).json()
        assert listed.get("items", []) == []


def blob_url(env: dict, location: str, sas: str) -> str:
    # abfss://container@account.dfs.core.windows.net/path → <endpoint>/<container>/<path>?<sas>
    path = location.split(".dfs.core.windows.net/", 1)[1]
    return f"{env['azurite']}/{env['container']}/{urllib.parse.quote(path)}?{sas}"


def test_vended_sas_works_with_the_callers_permissions(env: dict) -> None:
    admin, reader = env["admin"], env["reader"]
    created = expect_status(admin.post("/v1/azure/namespaces/n/tables", json={
        "name": "vended", "schema": SCHEMA}, headers=DELEGATION), 200)
    [credential] = created["storage-credentials"]
    assert credential["prefix"] == created["metadata"]["location"]
    sas = credential["config"][f"adls.sas-token.{AZURITE_ACCOUNT}.dfs.core.windows.net"]
    assert AZURITE_KEY not in str(created)
    assert "sp=racwdl" in sas
    metadata = requests.get(blob_url(env, created["metadata-location"], sas), timeout=10)
    assert metadata.status_code == 200 and metadata.json()["format-version"] == 2
    data_file = created["metadata"]["location"] + "/data/by-admin.txt"
    put = {"x-ms-blob-type": "BlockBlob", "Content-Type": "text/plain"}
    written = requests.put(blob_url(env, data_file, sas), data=b"x", headers=put, timeout=10)
    assert written.status_code == 201, written.text

    loaded = expect_status(reader.get("/v1/azure/namespaces/n/tables/vended", headers=DELEGATION),
                           200)
    reader_sas = loaded["storage-credentials"][0]["config"]["adls.sas-token"]
    assert "sp=rl" in reader_sas
    assert requests.get(blob_url(env, data_file, reader_sas), timeout=10).status_code == 200
    forged = requests.put(blob_url(env, created["metadata"]["location"] + "/data/forged.txt",
                                   reader_sas), data=b"x", headers=put, timeout=10)
    assert forged.status_code == 403, forged.text


def test_pyiceberg_writes_and_reads_on_azure_with_a_vended_sas_only(env: dict) -> None:
    """PyIceberg (fsspec/adlfs) holds no Azure key: the SAS and the endpoint come from the
    catalog with the table."""
    token = env["admin"].session.headers["Authorization"].removeprefix("Bearer ")
    catalog = load_catalog("azure", type="rest", uri=env["server"].base_url + "/",
                           warehouse="azure", token=token,
                           **{"header.X-Iceberg-Access-Delegation": "vended-credentials",
                              "py-io-impl": "pyiceberg.io.fsspec.FsspecFileIO"})
    data = pa.table({"id": pa.array([1, 2, 3], pa.int64())})
    table = catalog.create_table(("n", unique_name("py")), schema=data.schema)
    assert AZURITE_KEY not in str(table.io.properties)
    table.append(data)
    reloaded = catalog.load_table(table.name())
    assert reloaded.scan().to_arrow().sort_by("id").to_pylist() == data.to_pylist()


def test_pyiceberg_writes_and_reads_on_gcs_with_a_vended_token_only(env: dict) -> None:
    """The catalog signs in as its service account, downscopes the token to the table's prefix
    through the token exchange, and PyIceberg (PyArrow's GCS filesystem) works with that token and
    the endpoint from the catalog alone."""
    google = GoogleTokenServices()
    try:
        admin, name = env["admin"], unique_name("gsa")
        root = f"gs://warehouse/{unique_name('vend')}"
        expect_status(admin.post("/api/v1/warehouses", json={"name": name, "storage_config": {
            "type": "gcs", "gcs.bucket": "warehouse", "gcs.endpoint": env["gcs"],
            "gcs.service-account-json": google.service_account_json(),
            "gcs.sts-endpoint": google.base_url + "/v1/token", "root": root}}), 201)
        expect_status(admin.post("/api/v1/catalogs", json={"name": name, "warehouse_name": name}),
                      201)
        expect_status(admin.post(f"/v1/{name}/namespaces", json={"namespace": ["n"]}), 200)

        token = admin.session.headers["Authorization"].removeprefix("Bearer ")
        catalog = load_catalog(name, type="rest", uri=env["server"].base_url + "/",
                               warehouse=name, token=token,
                               **{"header.X-Iceberg-Access-Delegation": "vended-credentials"})
        data = pa.table({"id": pa.array([1, 2, 3], pa.int64())})
        table = catalog.create_table(("n", unique_name("py")), schema=data.schema)
        assert table.io.properties["gcs.oauth2.token"].startswith("downscoped-")
        assert "private_key" not in str(table.io.properties)
        table.append(data)
        reloaded = catalog.load_table(table.name())
        assert reloaded.scan().to_arrow().sort_by("id").to_pylist() == data.to_pylist()

        # Every exchange narrowed the catalog's own token to this table's objects, read-write.
        prefix = table.location().removeprefix("gs://warehouse/")
        assert google.exchanges
        for exchange in google.exchanges:
            assert exchange["subject_token"].startswith("sa-token-")
            [rule] = exchange["options"]["accessBoundary"]["accessBoundaryRules"]
            assert rule["availableResource"].endswith("/buckets/warehouse")
            assert rule["availablePermissions"] == ["inRole:roles/storage.objectAdmin"]
            assert f"objects/{prefix}/'" in rule["availabilityCondition"]["expression"]
    finally:
        google.stop()
