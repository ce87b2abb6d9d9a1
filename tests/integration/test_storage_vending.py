"""Credential vending on S3 (MinIO): PyIceberg holds no storage keys of its own, asks for
`X-Iceberg-Access-Delegation: vended-credentials`, and creates, appends to and reads back a table
with the STS credentials the catalog hands out. The credentials are limited by an inline session
policy that MinIO enforces: a reader's are read-only, and a table's reach no other table."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.fs as pafs
import pytest
from pyiceberg.catalog import load_catalog

from pangolin_harness import (DEFAULT_BINARY, PangolinServer, S3Service, TEST_SECRETS_KEY,
                              create_tenant, expect_status, login, unique_name)

ROOT_PASSWORD = "root-password-for-vending"
PASSWORD = "password-for-vending-tests"
DELEGATION = {"X-Iceberg-Access-Delegation": "vended-credentials"}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, s3_service: S3Service) -> dict:
    binary = Path(os.environ.get("PANGOLIN_BIN", str(DEFAULT_BINARY))).resolve()
    server = PangolinServer(binary=binary, root=tmp_path_factory.mktemp("vending"),
                            root_password=ROOT_PASSWORD,
                            extra_env={"PANGOLIN_SECRETS_KEY": TEST_SECRETS_KEY})
    server.start()
    root = login(server, "root", ROOT_PASSWORD)[0]
    tenant, admin = create_tenant(server, root, unique_name("vend"), "admin", PASSWORD)
    prefix = unique_name("wh")
    expect_status(admin.post("/api/v1/warehouses", json={
        "name": "s3", "storage_config": s3_service.storage_config(prefix, vending="aws-sts")}), 201)
    lake = expect_status(admin.post("/api/v1/catalogs", json={
        "name": "lake", "warehouse_name": "s3"}), 201)
    reader = expect_status(admin.post("/api/v1/users", json={
        "username": "reader", "password": PASSWORD, "role": "tenant-user"}), 201)
    expect_status(admin.post("/api/v1/permissions", json={
        "user-id": reader["id"], "scope": {"type": "catalog", "catalog_id": lake["id"]},
        "actions": ["read"]}), 201)
    yield {"server": server, "admin": admin, "tenant": tenant, "prefix": prefix,
           "reader": login(server, "reader", PASSWORD, tenant)[0]}
    server.stop()


def pyiceberg(env: dict, token: str):
    """A PyIceberg catalog with no storage configuration of its own."""
    return load_catalog("pangolin", type="rest", uri=env["server"].base_url + "/", warehouse="lake",
                        token=token, **{f"header.{k}": v for k, v in DELEGATION.items()})


def filesystem(config: dict, s3: S3Service) -> pafs.S3FileSystem:
    return pafs.S3FileSystem(access_key=config["s3.access-key-id"],
                             secret_key=config["s3.secret-access-key"],
                             session_token=config["s3.session-token"],
                             endpoint_override=s3.endpoint, region=s3.region)


def test_pyiceberg_writes_and_reads_with_vended_credentials_only(env: dict,
                                                                s3_service: S3Service) -> None:
    token = env["admin"].session.headers["Authorization"].removeprefix("Bearer ")
    catalog = pyiceberg(env, token)
    catalog.create_namespace("sales")
    data = pa.table({"id": pa.array([1, 2, 3], pa.int64()), "item": ["a", "b", "c"]})
    table = catalog.create_table("sales.orders", schema=data.schema)
    assert table.metadata.location.startswith(f"s3://warehouse/{env['prefix']}/lake/")
    table.append(data)
    again = pyiceberg(env, token).load_table("sales.orders")
    assert again.scan().to_arrow().sort_by("id").to_pylist() == data.to_pylist()

    answer = expect_status(env["admin"].get("/v1/lake/namespaces/sales/tables/orders",
                                            headers=DELEGATION), 200)
    [credential] = answer["storage-credentials"]
    assert credential["prefix"] == table.metadata.location
    config = credential["config"]
    assert config["s3.access-key-id"] != s3_service.access_key_id
    assert config["s3.session-token"] and int(config["s3.session-token-expires-at-ms"]) > 0
    assert s3_service.secret_access_key not in str(answer)
    # Without the header there are no credentials, only where the store is.
    plain = expect_status(env["admin"].get("/v1/lake/namespaces/sales/tables/orders"), 200)
    assert "storage-credentials" not in plain
    assert "s3.access-key-id" not in plain["config"]
    assert plain["config"]["s3.endpoint"] == s3_service.endpoint
    # The credentials endpoint hands out fresh ones.
    refreshed = expect_status(
        env["admin"].get("/v1/lake/namespaces/sales/tables/orders/credentials"), 200)
    assert refreshed["storage-credentials"][0]["prefix"] == table.metadata.location


def test_read_only_and_per_table_scopes_are_enforced_by_the_store(env: dict,
                                                                  s3_service: S3Service) -> None:
    admin = env["admin"]
    expect_status(admin.post("/v1/lake/namespaces", json={"namespace": ["scoped"]}), 200)
    schema = {"type": "struct", "schema-id": 0,
              "fields": [{"id": 1, "name": "id", "type": "long", "required": False}]}
    a = expect_status(admin.post("/v1/lake/namespaces/scoped/tables", json={
        "name": "a", "schema": schema}, headers=DELEGATION), 200)
    b = expect_status(admin.post("/v1/lake/namespaces/scoped/tables", json={
        "name": "b", "schema": schema}), 200)
    a_location = a["metadata"]["location"].removeprefix("s3://")
    b_metadata = b["metadata-location"].removeprefix("s3://")
    writer = filesystem(a["storage-credentials"][0]["config"], s3_service)
    with writer.open_output_stream(f"{a_location}/data/written.txt") as out:
        out.write(b"table a")
    with pytest.raises(OSError):  # table a's credentials do not reach table b
        writer.open_input_file(b_metadata).read()
    with pytest.raises(OSError):  # nor the sibling prefix "a2"
        with writer.open_output_stream(f"{a_location}2/x.txt") as out:
            out.write(b"outside")

    # A reader gets read-only credentials: reading works, writing is refused by MinIO.
    loaded = expect_status(env["reader"].get("/v1/lake/namespaces/scoped/tables/a",
                                             headers=DELEGATION), 200)
    reader = filesystem(loaded["storage-credentials"][0]["config"], s3_service)
    assert reader.open_input_file(f"{a_location}/data/written.txt").read() == b"table a"
    with pytest.raises(OSError):
        with reader.open_output_stream(f"{a_location}/data/forged.txt") as out:
            out.write(b"forged")


def test_a_warehouse_without_vending_hands_out_no_credentials(env: dict,
                                                                s3_service: S3Service) -> None:
    admin = env["admin"]
    expect_status(admin.post("/api/v1/warehouses", json={
        "name": "plain", "storage_config": s3_service.storage_config(unique_name("plain"))}), 201)
    expect_status(admin.post("/api/v1/catalogs", json={"name": "plain", "warehouse_name": "plain"}),
                  201)
    expect_status(admin.post("/v1/plain/namespaces", json={"namespace": ["n"]}), 200)
    # The header is a wish: the table is created and loaded, without credentials.
    created = expect_status(admin.post("/v1/plain/namespaces/n/tables", json={
        "name": "t", "schema": {"type": "struct", "fields": []}}, headers=DELEGATION), 200)
    assert "storage-credentials" not in created
    assert "s3.access-key-id" not in created["config"]
    # Asking the credentials endpoint outright is answered clearly.
    refused = admin.get("/v1/plain/namespaces/n/tables/t/credentials")
    assert refused.status_code == 400, refused.text
    assert "does not vend credentials" in refused.json()["error"]["message"]


def test_pyiceberg_works_through_remote_signing(env: dict, s3_service: S3Service) -> None:
    """PyIceberg with no credentials at all: every S3 request it makes is signed by the catalog."""
    token = env["admin"].session.headers["Authorization"].removeprefix("Bearer ")
    catalog = load_catalog("signed", type="rest", uri=env["server"].base_url + "/",
                           warehouse="lake", token=token,
                           **{"header.X-Iceberg-Access-Delegation": "remote-signing",
                              "py-io-impl": "pyiceberg.io.fsspec.FsspecFileIO"})
    catalog.create_namespace("signed")
    data = pa.table({"id": pa.array([7, 8], pa.int64())})
    table = catalog.create_table("signed.events", schema=data.schema)
    assert table.io.properties["s3.signer.endpoint"] == "v1/lake/namespaces/signed/tables/events/sign"
    assert "s3.access-key-id" not in table.io.properties
    table.append(data)
    assert catalog.load_table("signed.events").scan().to_arrow().to_pylist() == data.to_pylist()


def sign(http, table: str, method: str, uri: str, body: str | None = None):
    request = {"region": "us-east-1", "uri": uri, "method": method,
               "headers": {"x-amz-content-sha256": ["UNSIGNED-PAYLOAD"]}}
    if body is not None:
        request["body"] = body
    return http.post(f"/v1/lake/namespaces/scoped/tables/{table}/sign", json=request)


def test_the_signer_signs_only_inside_the_table_and_reads_for_readers(
        env: dict, s3_service: S3Service) -> None:
    admin, reader = env["admin"], env["reader"]
    if admin.get("/v1/lake/namespaces/scoped").status_code == 404:
        expect_status(admin.post("/v1/lake/namespaces", json={"namespace": ["scoped"]}), 200)
    schema = {"type": "struct", "fields": []}
    created = admin.post("/v1/lake/namespaces/scoped/tables", json={"name": "s", "schema": schema})
    assert created.status_code in (200, 409), created.text
    location = expect_status(admin.get("/v1/lake/namespaces/scoped/tables/s"),
                             200)["metadata"]["location"]
    key = location.removeprefix(f"s3://{s3_service.bucket}/")
    inside = f"{s3_service.endpoint}/{s3_service.bucket}/{key}/data/f.parquet"
    signed = expect_status(sign(admin, "s", "PUT", inside), 200)
    assert signed["uri"] == inside
    assert signed["headers"]["authorization"][0].startswith("AWS4-HMAC-SHA256 Credential=")
    expect_status(sign(reader, "s", "GET", inside), 200)
    listing = (f"{s3_service.endpoint}/{s3_service.bucket}?list-type=2&prefix="
               f"{key.replace('/', '%2F')}%2Fdata%2F")
    expect_status(sign(reader, "s", "GET", listing), 200)
    for who, method, uri, body in [
        (reader, "PUT", inside, None),  # a reader may not write
        (reader, "DELETE", inside, None),
        (admin, "GET", f"{s3_service.endpoint}/{s3_service.bucket}/{key}2/x", None),  # sibling
        (admin, "GET", f"{s3_service.endpoint}/{s3_service.bucket}/{key}/../other/x", None),
        (admin, "GET", f"{s3_service.endpoint}/other-bucket/{key}/x", None),
        (admin, "GET", f"http://evil.example/{s3_service.bucket}/{key}/x", None),
        (admin, "GET", f"{s3_service.endpoint}/{s3_service.bucket}?list-type=2&prefix=", None),
        (admin, "POST", f"{s3_service.endpoint}/{s3_service.bucket}?delete",
         f"<Delete><Object><Key>{key}/a</Key></Object><Object><Key>elsewhere/b</Key></Object>"
         "</Delete>"),
    ]:
        refused = sign(who, "s", method, uri, body)
        assert refused.status_code == 403, (method, uri, refused.text)
    bad = admin.post("/v1/lake/namespaces/scoped/tables/s/sign", json={"uri": inside})
    assert bad.status_code == 400, bad.text


def test_the_references_vending_strategies_are_understood(env: dict,
                                                          s3_service: S3Service) -> None:
    admin = env["admin"]
    expect_status(admin.post("/api/v1/warehouses", json={
        "name": "sts-by-strategy", "storage_config": s3_service.storage_config(unique_name("st")),
        "vending_strategy": {"AwsSts": {"role_arn": "arn:aws:iam::000000000000:role/lake"}}}),
        201)
    stored = expect_status(admin.get("/api/v1/warehouses/sts-by-strategy"), 200)
    assert stored["storage_config"]["vending"] == "aws-sts"
    assert stored["vending_strategy"] == {"AwsSts": {}}  # the variant only: fields may be secret
    expect_status(admin.post("/api/v1/catalogs", json={
        "name": "by-strategy", "warehouse_name": "sts-by-strategy"}), 201)
    expect_status(admin.post("/v1/by-strategy/namespaces", json={"namespace": ["n"]}), 200)
    created = expect_status(admin.post("/v1/by-strategy/namespaces/n/tables", json={
        "name": "t", "schema": {"type": "struct", "fields": []}}, headers=DELEGATION), 200)
    assert created["storage-credentials"][0]["config"]["s3.session-token"]
    # use_sts, as older clients send it, means the same.
    expect_status(admin.post("/api/v1/warehouses", json={
        "name": "sts-by-flag", "use_sts": True,
        "storage_config": s3_service.storage_config(unique_name("st"))}), 201)
    assert expect_status(admin.get("/api/v1/warehouses/sts-by-flag"),
                         200)["storage_config"]["vending"] == "aws-sts"
    for strategy, message in [({"Teleport": {}}, "Unknown vending_strategy"),
                              ({"AwsSts": {"role_arn": 7}}, "expected a string")]:
        refused = admin.post("/api/v1/warehouses", json={
            "name": unique_name("bad"), "storage_config": s3_service.storage_config("x"),
            "vending_strategy": strategy})
        assert refused.status_code == 400 and message in refused.text, refused.text
    # A strategy chooses the method, over what storage_config says.
    expect_status(admin.post("/api/v1/warehouses", json={
        "name": "none-by-strategy", "vending_strategy": "None",
        "storage_config": s3_service.storage_config(unique_name("st"), vending="aws-sts")}), 201)
    assert expect_status(admin.get("/api/v1/warehouses/none-by-strategy"),
                         200)["storage_config"]["vending"] == "none"


def test_a_table_created_while_vending_fails_is_answered_without_credentials(
        env: dict, s3_service: S3Service) -> None:
    """The token service is down: the create succeeds (the table exists) without credentials,
    and loads say what failed until it is back."""
    admin = env["admin"]
    config = s3_service.storage_config(unique_name("down"), vending="aws-sts")
    config["s3.sts-endpoint"] = "http://127.0.0.1:9"  # nothing listens there
    expect_status(admin.post("/api/v1/warehouses", json={"name": "sts-down",
                                                         "storage_config": config}), 201)
    expect_status(admin.post("/api/v1/catalogs", json={"name": "sts-down",
                                                       "warehouse_name": "sts-down"}), 201)
    expect_status(admin.post("/v1/sts-down/namespaces", json={"namespace": ["n"]}), 200)
    created = expect_status(admin.post("/v1/sts-down/namespaces/n/tables", json={
        "name": "t", "schema": {"type": "struct", "fields": []}}, headers=DELEGATION), 200)
    assert "storage-credentials" not in created
    assert "s3.access-key-id" not in created["config"]
    loaded = admin.get("/v1/sts-down/namespaces/n/tables/t", headers=DELEGATION)
    assert loaded.status_code >= 500, loaded.text
    assert s3_service.secret_access_key not in loaded.text
    expect_status(admin.get("/v1/sts-down/namespaces/n/tables/t"), 200)  # no credentials asked
