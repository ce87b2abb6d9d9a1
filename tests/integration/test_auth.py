"""Authentication and tenant isolation against a server with authentication on: root bootstrap,
password login, tokens (issue, rotate, list, revoke, logout), service users with API keys and the
OAuth2 client-credentials endpoint, signing-key rotation, and two tenants that cannot reach each
other. Each test names the reference defect it guards against where there is one."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from pangolin_harness import (DEFAULT_BINARY, Http, PangolinServer, expect_status,
                              simple_schema, unique_name)

ROOT_PASSWORD = "root-password-for-tests"
ADMIN_PASSWORD = "admin-password-for-tests"
USER_PASSWORD = "user-password-for-tests"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PangolinServer]:
    binary = Path(os.environ.get("PANGOLIN_BIN", str(DEFAULT_BINARY))).resolve()
    server = PangolinServer(binary=binary, root=tmp_path_factory.mktemp("pangolin-auth"),
                            root_password=ROOT_PASSWORD)
    server.start()
    yield server
    server.assert_stopped_cleanly()


def client(server: PangolinServer, token: str | None = None, **headers: str) -> Http:
    http = Http(server.base_url)
    if token:
        http.session.headers["Authorization"] = f"Bearer {token}"
    http.session.headers.update(headers)
    return http


def login(server: PangolinServer, username: str, password: str,
          tenant: str | None = None) -> dict:
    body = {"username": username, "password": password}
    if tenant:
        body["tenant-id"] = tenant
    return expect_status(client(server).post("/api/v1/users/login", json=body), 200)


@pytest.fixture(scope="module")
def root(server: PangolinServer) -> Http:
    return client(server, login(server, "root", ROOT_PASSWORD)["token"])


class Tenant:
    """A tenant with an admin, a user without grants, a warehouse and a catalog."""

    def __init__(self, server: PangolinServer, root: Http, name: str) -> None:
        admin_name = f"{name}-admin"
        self.tenant = expect_status(root.post("/api/v1/tenants", json={
            "name": name, "admin_username": admin_name, "admin_password": ADMIN_PASSWORD}), 201)
        self.id = self.tenant["id"]
        self.admin = client(server, login(server, admin_name, ADMIN_PASSWORD, self.id)["token"])
        self.user_info = expect_status(self.admin.post("/api/v1/users", json={
            "username": f"{name}-user", "email": f"user@{name}.example",
            "password": USER_PASSWORD, "role": "tenant-user"}), 201)
        self.user = client(server, login(server, f"{name}-user", USER_PASSWORD, self.id)["token"])
        warehouse_root = server.root / f"warehouse-{name}"
        expect_status(self.admin.post("/api/v1/warehouses", json={
            "name": "wh", "storage_config": {"type": "local", "root": str(warehouse_root)}}), 201)
        expect_status(self.admin.post("/api/v1/catalogs", json={
            "name": "lake", "warehouse_name": "wh",
            "storage_location": f"file://{warehouse_root}/lake"}), 201)
        expect_status(self.admin.post("/v1/lake/namespaces", json={"namespace": ["sales"]}), 200)
        expect_status(self.admin.post("/v1/lake/namespaces/sales/tables", json={
            "name": "orders", "schema": simple_schema()}), 200)


@pytest.fixture(scope="module")
def tenant_a(server: PangolinServer, root: Http) -> Tenant:
    return Tenant(server, root, unique_name("a"))


@pytest.fixture(scope="module")
def tenant_b(server: PangolinServer, root: Http) -> Tenant:
    return Tenant(server, root, unique_name("b"))


def test_anonymous_requests_are_refused_except_public_routes(server: PangolinServer) -> None:
    anonymous = client(server)
    for method, path in [("GET", "/v1/config"), ("GET", "/v1/lake/namespaces"),
                         ("GET", "/api/v1/catalogs"), ("GET", "/api/v1/users/me"),
                         ("POST", "/api/v1/tenants")]:
        r = anonymous.request(method, path, json={})
        assert r.status_code == 401, (method, path, r.text)
        assert r.headers["WWW-Authenticate"].startswith("Bearer")
    body = expect_status(anonymous.get("/v1/lake/namespaces"), 401)
    assert body["error"]["type"] == "NotAuthorizedException"
    expect_status(anonymous.get("/health/ready"), 200)
    jwks = expect_status(anonymous.get("/.well-known/jwks.json"), 200)
    assert jwks["keys"] and {k["kty"] for k in jwks["keys"]} == {"EC"}
    assert all("d" not in k for k in jwks["keys"])


def test_bad_credentials_are_refused(server: PangolinServer) -> None:
    for headers in [{"Authorization": "Bearer not-a-token"},
                    {"Authorization": "Basic " + base64.b64encode(b"root:x").decode()},
                    {"X-API-Key": "pgl_0123456789abcdef_" + "A" * 43},
                    {"X-API-Key": "garbage"}]:
        r = client(server, **headers).get("/api/v1/users/me")
        assert r.status_code == 401, (headers, r.text)
    r = client(server).post("/api/v1/users/login",
                            json={"username": "root", "password": "wrong password!!"})
    assert r.status_code == 401
    r = client(server).post("/api/v1/users/login",
                            json={"username": "nobody", "password": "wrong password!!"})
    assert r.status_code == 401
    assert r.json() == {"error": "Invalid username or password"}


def test_root_may_use_http_basic(server: PangolinServer, tenant_a: Tenant) -> None:
    def basic(user: str, password: str) -> dict:
        raw = base64.b64encode(f"{user}:{password}".encode()).decode()
        return {"Authorization": f"Basic {raw}"}

    for _ in range(2):  # the second time from the remembered verification
        me = expect_status(client(server, **basic("root", ROOT_PASSWORD)).get("/api/v1/users/me"),
                           200)
        assert me["role"] == "root"
    # Only root accounts: an admin's right password is refused, as is a malformed header.
    admin = f"{tenant_a.tenant['name']}-admin"
    assert client(server, **basic(admin, ADMIN_PASSWORD)).get("/api/v1/users/me").status_code == 401
    r = client(server, Authorization="Basic !!!").get("/api/v1/users/me")
    assert r.status_code == 401


def test_tampered_token_is_refused(server: PangolinServer) -> None:
    token = login(server, "root", ROOT_PASSWORD)["token"]
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "root"
    claims["sub"] = "00000000-0000-4000-8000-000000000000"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    r = client(server, f"{header}.{forged}.{signature}").get("/api/v1/users/me")
    assert r.status_code == 401
    none_header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').decode().rstrip("=")
    r = client(server, f"{none_header}.{payload}.").get("/api/v1/users/me")
    assert r.status_code == 401


def test_login_answers_the_reference_shape(server: PangolinServer) -> None:
    body = login(server, "root", ROOT_PASSWORD)
    assert set(body) == {"token", "user", "expires-at"}
    user = body["user"]
    assert user["username"] == "root" and user["role"] == "root" and user["tenant-id"] is None
    assert "password-hash" not in user and "password" not in json.dumps(user)
    me = expect_status(client(server, body["token"]).get("/api/v1/users/me"), 200)
    assert me["id"] == user["id"] and me["last-login"]


def test_tenants_are_isolated(server: PangolinServer, root: Http, tenant_a: Tenant,
                              tenant_b: Tenant) -> None:
    # Each admin sees its own catalog only; names are per tenant, so both are called "lake".
    for mine, other in [(tenant_a, tenant_b), (tenant_b, tenant_a)]:
        catalogs = expect_status(mine.admin.get("/api/v1/catalogs"), 200)
        assert [c["name"] for c in catalogs] == ["lake"]
        table = expect_status(mine.admin.get("/v1/lake/namespaces/sales/tables/orders"), 200)
        assert table["metadata-location"].startswith("file://" + str(server.root))
        assert f"warehouse-{mine.tenant['name']}" in table["metadata-location"]
    # Defect 3: an admin cannot create, read, update or delete another tenant's users.
    other_user = tenant_b.user_info["id"]
    expect_status(tenant_a.admin.get(f"/api/v1/users/{other_user}"), 404)
    expect_status(tenant_a.admin.put(f"/api/v1/users/{other_user}",
                                     json={"password": "a new password 123"}), 404)
    expect_status(tenant_a.admin.delete(f"/api/v1/users/{other_user}"), 404)
    r = tenant_a.admin.post("/api/v1/users", json={
        "username": "intruder", "password": USER_PASSWORD, "role": "tenant-admin",
        "tenant_id": tenant_b.id})
    assert r.status_code == 403, r.text
    users = expect_status(tenant_a.admin.get("/api/v1/users"), 200)
    assert {u["tenant-id"] for u in users} == {tenant_a.id}
    # Only root may act in another tenant.
    r = tenant_a.admin.get("/api/v1/catalogs", headers={"X-Pangolin-Tenant": tenant_b.id})
    assert r.status_code == 403
    tenants = expect_status(tenant_a.admin.get("/api/v1/tenants"), 200)
    assert [t["id"] for t in tenants] == [tenant_a.id]
    expect_status(tenant_a.admin.get(f"/api/v1/tenants/{tenant_b.id}"), 404)
    # Root acts in a tenant by choosing it.
    in_b = expect_status(root.get("/api/v1/users",
                                  headers={"X-Pangolin-Tenant": tenant_b.id}), 200)
    assert {u["username"] for u in in_b} == {f"{tenant_b.tenant['name']}-admin",
                                              f"{tenant_b.tenant['name']}-user"}


def test_tenant_user_without_grants_is_denied(tenant_a: Tenant) -> None:
    user = tenant_a.user
    for method, path in [("GET", "/v1/lake/namespaces/sales/tables/orders"),
                         ("POST", "/v1/lake/namespaces"),
                         ("GET", "/api/v1/warehouses"),
                         ("GET", "/api/v1/users"), ("POST", "/api/v1/service-users")]:
        r = user.request(method, path, json={"namespace": ["x"], "name": "x"})
        assert r.status_code == 403, (method, path, r.text)
    body = expect_status(user.get("/v1/lake/namespaces/sales/tables/orders"), 403)
    assert body["error"]["type"] == "ForbiddenException"
    # Listings show only what the caller may see: nothing.
    assert expect_status(user.get("/api/v1/catalogs"), 200) == []
    assert expect_status(user.get("/v1/lake/namespaces"), 200)["namespaces"] == []
    assert expect_status(user.get("/v1/lake/namespaces/sales/tables"), 200)["identifiers"] == []
    # Defect 1: a tenant user cannot create users or escalate.
    r = user.post("/api/v1/users", json={"username": "x", "password": USER_PASSWORD,
                                         "role": "tenant-admin"})
    assert r.status_code == 403
    # A user reads and updates itself.
    me = expect_status(user.get(f"/api/v1/users/{tenant_a.user_info['id']}"), 200)
    assert me["role"] == "tenant-user"
    r = user.put(f"/api/v1/users/{tenant_a.user_info['id']}", json={"active": False})
    assert r.status_code == 403


def test_nobody_creates_root_or_escalates(root: Http, tenant_a: Tenant) -> None:
    r = tenant_a.admin.post("/api/v1/users", json={"username": "r", "password": USER_PASSWORD,
                                                   "role": "root"})
    assert r.status_code == 403
    r = root.post("/api/v1/users", json={"username": "r2", "password": USER_PASSWORD,
                                         "role": "Root"})
    assert r.status_code == 403
    # Defect 7: a service user never gets the root role.
    r = tenant_a.admin.post("/api/v1/service-users", json={"name": "svc-root", "role": "root"})
    assert r.status_code == 403
    expect_status(tenant_a.admin.post("/api/v1/tenants", json={"name": "x"}), 403)
    r = tenant_a.admin.post("/api/v1/users", json={"username": "weak", "password": "short",
                                                   "role": "tenant-user"})
    assert r.status_code == 400


def test_service_user_api_key_and_client_credentials(server: PangolinServer,
                                                     tenant_a: Tenant, tenant_b: Tenant) -> None:
    created = expect_status(tenant_a.admin.post("/api/v1/service-users", json={
        "name": unique_name("etl"), "role": "tenant-admin", "description": "nightly"}), 201)
    key = created["api_key"]
    prefix, key_id, secret = key.split("_", 2)
    assert prefix == "pgl" and len(key_id) == 16 and len(secret) == 43
    # Defect 9: the key and its hash are never returned again.
    listed = expect_status(tenant_a.admin.get("/api/v1/service-users"), 200)
    fetched = expect_status(tenant_a.admin.get(f"/api/v1/service-users/{created['id']}"), 200)
    for body in [listed, fetched]:
        text = json.dumps(body)
        assert key not in text and secret not in text and "hash" not in text
    # Defect 8: another tenant's admin cannot see or rotate it.
    expect_status(tenant_b.admin.get(f"/api/v1/service-users/{created['id']}"), 404)
    expect_status(tenant_b.admin.post(f"/api/v1/service-users/{created['id']}/rotate"), 404)

    by_key = client(server, **{"X-API-Key": key})
    expect_status(by_key.get("/v1/lake/namespaces/sales/tables/orders"), 200)
    for path in ["/v1/oauth/tokens", "/v1/lake/oauth/tokens"]:
        r = client(server).post(path, data={
            "grant_type": "client_credentials", "client_id": created["id"],
            "client_secret": key, "scope": "catalog"})
        token = expect_status(r, 200)
        assert token["token_type"] == "bearer" and token["expires_in"] == 3600
        expect_status(client(server, token["access_token"]).get("/v1/lake/namespaces"), 200)
    r = client(server).post("/v1/oauth/tokens", data={
        "grant_type": "client_credentials", "client_id": created["id"],
        "client_secret": key[:-1] + ("A" if key[-1] != "A" else "B")})
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    r = client(server).post("/v1/oauth/tokens", data={"grant_type": "password"})
    assert r.status_code == 400 and r.json()["error"] == "unsupported_grant_type"

    # Rotation: the old key and the tokens issued for it stop working at once.
    token = expect_status(client(server).post("/v1/oauth/tokens", data={
        "grant_type": "client_credentials", "client_id": created["id"],
        "client_secret": key}), 200)["access_token"]
    rotated = expect_status(
        tenant_a.admin.post(f"/api/v1/service-users/{created['id']}/rotate"), 200)
    assert rotated["api_key"] != key
    expect_status(by_key.get("/v1/lake/namespaces"), 401)
    expect_status(client(server, token).get("/v1/lake/namespaces"), 401)
    expect_status(client(server, **{"X-API-Key": rotated["api_key"]}).get("/v1/lake/namespaces"),
                  200)
    # Deactivation.
    expect_status(tenant_a.admin.put(f"/api/v1/service-users/{created['id']}",
                                     json={"active": False}), 200)
    expect_status(client(server, **{"X-API-Key": rotated["api_key"]}).get("/v1/lake/namespaces"),
                  401)


def test_tokens_issue_list_rotate_revoke_and_logout(server: PangolinServer,
                                                    tenant_a: Tenant) -> None:
    admin_name = f"{tenant_a.tenant['name']}-admin"
    session = login(server, admin_name, ADMIN_PASSWORD, tenant_a.id)
    http = client(server, session["token"])
    issued = expect_status(http.post("/api/v1/tokens", json={"expires_in_hours": 2}), 200)
    assert issued["tenant_id"] == tenant_a.id
    # A token for a user of the tenant, minted by its admin; never for an unknown name.
    user_name = f"{tenant_a.tenant['name']}-user"
    for_user = expect_status(http.post("/api/v1/tokens", json={"username": user_name}), 200)
    me = expect_status(client(server, for_user["token"]).get("/api/v1/users/me"), 200)
    assert me["username"] == user_name
    expect_status(http.post("/api/v1/tokens", json={"username": "ghost"}), 404)
    # A tenant user mints only its own tokens (defect 17).
    r = tenant_a.user.post("/api/v1/tokens", json={"username": admin_name})
    assert r.status_code == 403
    expect_status(tenant_a.user.post("/api/v1/tokens", json={}), 200)

    listed = expect_status(http.get("/api/v1/users/me/tokens"), 200)
    assert len(listed) >= 2
    assert all(set(t) == {"id", "tenant_id", "user_id", "username", "expires_at", "created_at",
                          "is_valid"} for t in listed)
    assert session["token"] not in json.dumps(listed)

    rotated = expect_status(client(server, issued["token"]).post("/api/v1/tokens/rotate"), 200)
    expect_status(client(server, issued["token"]).get("/api/v1/users/me"), 401)
    expect_status(client(server, rotated["token"]).get("/api/v1/users/me"), 200)

    token_id = next(t["id"] for t in expect_status(
        client(server, rotated["token"]).get("/api/v1/users/me/tokens"), 200) if t["is_valid"])
    expect_status(http.post(f"/api/v1/auth/revoke/{token_id}", json={"reason": "test"}), 200)

    expect_status(http.post("/api/v1/users/logout"), 204)
    expect_status(http.get("/api/v1/users/me"), 401)


def test_deactivated_user_is_refused_at_once(server: PangolinServer, tenant_a: Tenant) -> None:
    name = unique_name("temp")
    user = expect_status(tenant_a.admin.post("/api/v1/users", json={
        "username": name, "password": USER_PASSWORD, "role": "tenant-user"}), 201)
    token = login(server, name, USER_PASSWORD, tenant_a.id)["token"]
    expect_status(client(server, token).get("/api/v1/users/me"), 200)
    expect_status(tenant_a.admin.put(f"/api/v1/users/{user['id']}", json={"active": False}), 200)
    expect_status(client(server, token).get("/api/v1/users/me"), 401)
    r = client(server).post("/api/v1/users/login", json={
        "username": name, "password": USER_PASSWORD, "tenant-id": tenant_a.id})
    assert r.status_code == 401  # defect 19


def test_signing_key_rotation_keeps_sessions(server: PangolinServer, root: Http) -> None:
    before = expect_status(client(server).get("/api/v1/auth/jwks"), 200)["keys"]
    old_token = login(server, "root", ROOT_PASSWORD)["token"]
    after = expect_status(root.post("/api/v1/auth/signing-keys/rotate"), 200)["keys"]
    assert len(after) == len(before) + 1
    expect_status(client(server, old_token).get("/api/v1/users/me"), 200)
    new_token = login(server, "root", ROOT_PASSWORD)["token"]
    new_kid = json.loads(base64.urlsafe_b64decode(new_token.split(".")[0] + "=="))["kid"]
    assert new_kid not in {k["kid"] for k in before}


def test_tenant_lifecycle(server: PangolinServer, root: Http, tenant_a: Tenant) -> None:
    expect_status(root.delete(f"/api/v1/tenants/{tenant_a.id}"), 409)
    created = expect_status(root.post("/api/v1/tenants", json={"name": unique_name("t")}), 201)
    renamed = expect_status(root.put(f"/api/v1/tenants/{created['id']}", json={
        "name": unique_name("renamed"), "properties": {"team": "x"}}), 200)
    assert renamed["properties"] == {"team": "x"}
    expect_status(root.post("/api/v1/tenants", json={"name": renamed["name"]}), 409)
    expect_status(root.delete(f"/api/v1/tenants/{created['id']}"), 204)
    expect_status(root.get(f"/api/v1/tenants/{created['id']}"), 404)
    expect_status(root.delete("/api/v1/tenants/00000000-0000-0000-0000-000000000000"), 400)
    expect_status(root.post("/api/v1/tenants", json={"name": "x", "bogus": 1}), 422)


def test_pyiceberg_with_a_service_user_credential(server: PangolinServer,
                                                  tenant_a: Tenant) -> None:
    pyarrow = pytest.importorskip("pyarrow")
    from pyiceberg.catalog import load_catalog

    created = expect_status(tenant_a.admin.post("/api/v1/service-users", json={
        "name": unique_name("spark"), "role": "tenant-admin"}), 201)
    catalog = load_catalog("pangolin", uri=server.base_url, warehouse="lake",
                           credential=f"{created['id']}:{created['api_key']}")
    ns = unique_name("ns")
    catalog.create_namespace(ns)
    data = pyarrow.table({"id": pyarrow.array([1, 2, 3], pyarrow.int64())})
    table = catalog.create_table(f"{ns}.events", schema=data.schema)
    table.append(data)
    assert catalog.load_table(f"{ns}.events").scan().to_arrow().num_rows == 3
    # A user's token works the same way; a user without grants is refused.
    token = login(server, f"{tenant_a.tenant['name']}-admin", ADMIN_PASSWORD,
                  tenant_a.id)["token"]
    by_token = load_catalog("by-token", uri=server.base_url, warehouse="lake", token=token)
    assert (ns,) in by_token.list_namespaces()
    user_token = login(server, f"{tenant_a.tenant['name']}-user", USER_PASSWORD,
                       tenant_a.id)["token"]
    from pyiceberg.exceptions import ForbiddenError
    denied = load_catalog("denied", uri=server.base_url, warehouse="lake", token=user_token)
    with pytest.raises(ForbiddenError):
        denied.load_table(f"{ns}.events")
    assert denied.list_namespaces() == []
    assert denied.list_tables(ns) == []
