"""Encryption at rest of stored secrets (warehouse credentials and token signing keys) with
PANGOLIN_SECRETS_KEY, end to end on SQLite: nothing secret in the database file or in any answer,
a key rotation (new key current, old key previous, --reencrypt-secrets, old key dropped) that
keeps everything working, a server with the wrong key that refuses to start and says why, and
secrets refused without a key outside development mode."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from pangolin_harness import DEFAULT_BINARY, Http, PangolinServer, S3Service, expect_status, login

BINARY = Path(os.environ.get("PANGOLIN_BIN", str(DEFAULT_BINARY))).resolve()
ROOT_PASSWORD = "root-password-for-secrets"
# The warehouse is on MinIO (scripts/services/minio.sh), whose test credentials these are.
SECRET = S3Service("").secret_access_key
ACCESS_KEY_ID = S3Service("").access_key_id
VENDING_SECRET = "vending-secret-access-key-at-rest"
PLAINTEXT = (SECRET, ACCESS_KEY_ID, VENDING_SECRET, "BEGIN PRIVATE KEY")


def new_key() -> bytes:
    return os.urandom(32)


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


def key_id(key: bytes) -> str:
    """The id the server derives from a key (auth/secret_cipher.h)."""
    return hmac.new(key, b"pangolin secrets key id", hashlib.sha256).digest()[:4].hex()


def server_on(root: Path, database: Path, env: dict[str, str]) -> PangolinServer:
    root.mkdir(parents=True, exist_ok=True)
    return PangolinServer(binary=BINARY, root=root, root_password=ROOT_PASSWORD,
                          database=database, extra_env=env)


def database_text(database: Path) -> str:
    """Every value of every row of every table, as one string."""
    db = sqlite3.connect(database)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        parts = []
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                parts.extend(str(v) for v in row)
        return "\n".join(parts)
    finally:
        db.close()


def assert_no_plaintext(text: str, where: str) -> None:
    for secret in PLAINTEXT:
        assert secret not in text, f"{secret!r} found in {where}"


def checked(http: Http, method: str, path: str, status: int, **kwargs) -> dict:
    answer = http.request(method, path, **kwargs)
    assert_no_plaintext(answer.text, f"{method} {path}")
    return expect_status(answer, status)


def reencrypt(database: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BINARY), "--database-url", f"sqlite://{database}", "--reencrypt-secrets"],
        env={**os.environ, **env}, capture_output=True, text=True, timeout=120)


def test_secrets_stay_encrypted_through_a_key_rotation(tmp_path: Path,
                                                       s3_service: S3Service) -> None:
    database = tmp_path / "pangolin.db"
    key_a, key_b = new_key(), new_key()
    storage_config = s3_service.storage_config(f"secrets-{os.urandom(4).hex()}")

    # 1. Key A: the secrets go in encrypted, and never come out.
    server = server_on(tmp_path / "a", database, {"PANGOLIN_SECRETS_KEY": b64(key_a)})
    server.start()
    root = login(server, "root", ROOT_PASSWORD)[0]
    tenant = checked(root, "POST", "/api/v1/tenants", 201, json={
        "name": "secrets", "admin_username": "admin", "admin_password": ROOT_PASSWORD})
    admin = login(server, "admin", ROOT_PASSWORD, tenant["id"])[0]
    created = checked(admin, "POST", "/api/v1/warehouses", 201, json={
        "name": "wh",
        "storage_config": storage_config,
        "vending_strategy": {"AwsStatic": {"access_key_id": "AKIDVENDING",
                                           "secret_access_key": VENDING_SECRET}}})
    assert created["storage_config"]["s3.secret-access-key"] == "****"
    assert created["storage_config"]["s3.region"] == "us-east-1"
    for path in ("/api/v1/warehouses", "/api/v1/warehouses/wh"):
        checked(admin, "GET", path, 200)
    checked(admin, "POST", "/api/v1/catalogs", 201, json={"name": "lake", "warehouse_name": "wh"})
    server.assert_stopped_cleanly()
    text = database_text(database)
    assert_no_plaintext(text, "the database")
    assert f"enc:v1:{key_id(key_a)}:" in text
    with sqlite3.connect(database) as db:
        for (pem,) in db.execute("SELECT private_key_pem FROM signing_keys"):
            assert pem.startswith(f"enc:v1:{key_id(key_a)}:")

    # 2. Key B current, A previous: everything still reads; then re-encrypt with B.
    rotating = {"PANGOLIN_SECRETS_KEY": b64(key_b), "PANGOLIN_SECRETS_PREVIOUS_KEYS": b64(key_a)}
    server = server_on(tmp_path / "b", database, rotating)
    server.start()
    admin = login(server, "admin", ROOT_PASSWORD, tenant["id"])[0]
    checked(admin, "GET", "/api/v1/warehouses/wh", 200)
    done = reencrypt(database, rotating)
    assert done.returncode == 0, done.stderr
    assert_no_plaintext(done.stdout + done.stderr, "the re-encryption's output")
    assert "warehouse secrets: 4 re-encrypted" in done.stdout, done.stdout
    assert re.search(r"signing keys: [1-9]\d* re-encrypted", done.stdout), done.stdout
    assert key_id(key_b) in done.stdout
    server.assert_stopped_cleanly()
    text = database_text(database)
    assert_no_plaintext(text, "the database")
    assert f"enc:v1:{key_id(key_a)}:" not in text
    assert f"enc:v1:{key_id(key_b)}:" in text

    # 3. Only key B: logins (signing keys) and warehouse updates (decrypted secrets) work.
    server = server_on(tmp_path / "c", database, {"PANGOLIN_SECRETS_KEY": b64(key_b)})
    server.start()
    admin = login(server, "admin", ROOT_PASSWORD, tenant["id"])[0]
    kept = {k: v for k, v in storage_config.items() if k != "s3.access-key-id"}
    kept["s3.secret-access-key"] = "****"
    updated = checked(admin, "PUT", "/api/v1/warehouses/wh", 200, json={
        "storage_config": kept, "vending_strategy": {"AwsStatic": {}}})
    assert updated["storage_config"]["s3.access-key-id"] == "****"
    assert updated["storage_config"]["s3.secret-access-key"] == "****"
    assert updated["vending_strategy"] == {"AwsStatic": {}}
    # The decrypted secrets reach the store: the catalog's tables are written through them.
    checked(admin, "POST", "/v1/lake/namespaces", 200, json={"namespace": ["n"]})
    checked(admin, "POST", "/v1/lake/namespaces/n/tables", 200, json={
        "name": "t", "schema": {"type": "struct", "fields": []}})
    server.assert_stopped_cleanly()
    assert_no_plaintext(database_text(database), "the database")

    # 4. A wrong key, or none: the server refuses to start and names the problem, not the secret.
    for name, env in (("wrong", {"PANGOLIN_SECRETS_KEY": b64(new_key())}), ("none", {})):
        server = server_on(tmp_path / name, database, env)
        with pytest.raises(RuntimeError, match="exited during startup"):
            server.start()
        log = server.log_path.read_text()
        assert "cannot be decrypted" in log, log
        assert key_id(key_b) in log, log
        assert "PANGOLIN_SECRETS_KEY" in log, log
        assert_no_plaintext(log, "the server log")


def test_secrets_need_a_key_outside_development_mode(tmp_path: Path,
                                                     s3_service: S3Service) -> None:
    body = {"name": "wh", "storage_config": s3_service.storage_config("no-key")}
    server = server_on(tmp_path / "prod", tmp_path / "prod.db", {})
    server.start()
    root = login(server, "root", ROOT_PASSWORD)[0]
    refused = checked(root, "POST", "/api/v1/warehouses", 400, json=body)
    assert "PANGOLIN_SECRETS_KEY" in json.dumps(refused), refused
    without = {**body, "storage_config": {"type": "local", "root": str(tmp_path / "wh")}}
    checked(root, "POST", "/api/v1/warehouses", 201, json=without)
    server.assert_stopped_cleanly()
    assert "PANGOLIN_SECRETS_KEY is not set" in server.log_path.read_text()

    bad = server_on(tmp_path / "bad", tmp_path / "bad.db",
                    {"PANGOLIN_SECRETS_KEY": "not-a-32-byte-key"})
    with pytest.raises(RuntimeError, match="exited during startup"):
        bad.start()
    log = bad.log_path.read_text()
    assert "PANGOLIN_SECRETS_KEY" in log and "not-a-32-byte-key" not in log, log

    (tmp_path / "dev").mkdir()
    development = PangolinServer(binary=BINARY, root=tmp_path / "dev")  # --no-auth
    development.start()
    http = Http(development.base_url)
    checked(http, "POST", "/api/v1/warehouses", 201, json=body)
    development.assert_stopped_cleanly()
    assert "stored unencrypted" in development.log_path.read_text()


def test_no_route_reaches_decrypted_warehouses() -> None:
    api = Path(__file__).resolve().parents[2] / "src" / "api"
    for source in api.rglob("*"):
        if source.suffix in (".h", ".cc"):
            assert "WithSecrets" not in source.read_text(), source
