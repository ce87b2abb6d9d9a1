"""The credential throttle against two servers sharing one SQLite store (PANGOLIN_AUTH_RATE_LIMIT
3 per 60 s): failed logins counted per source address and per account, failed OAuth2 client
credentials per client, refused tokens per address; past the limit the right credentials are
refused too, with 429 and Retry-After, on either server. Clients pick their source address in
127.0.0.0/8 to play different hosts."""

from __future__ import annotations

import base64
import http.client
import json
import os
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from pangolin_harness import DEFAULT_BINARY, PangolinServer

ROOT_PASSWORD = "root-password-for-limits"
PASSWORD = "password-for-limit-tests"
LIMIT = 3


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[PangolinServer]]:
    binary = Path(os.environ.get("PANGOLIN_BIN", str(DEFAULT_BINARY))).resolve()
    env = {"PANGOLIN_AUTH_RATE_LIMIT": str(LIMIT), "PANGOLIN_AUTH_RATE_WINDOW_SECS": "60"}
    first = PangolinServer(binary=binary, root=tmp_path_factory.mktemp("limits-1"),
                           root_password=ROOT_PASSWORD, extra_env=env)
    first.start()
    second = PangolinServer(binary=binary, root=tmp_path_factory.mktemp("limits-2"),
                            root_password=ROOT_PASSWORD, extra_env=env,
                            database=first.root / "pangolin.db")
    second.start()
    yield [first, second]
    second.assert_stopped_cleanly()
    first.assert_stopped_cleanly()


def call(server: PangolinServer, source: str, method: str, path: str, body: object = None,
         headers: dict | None = None, form: bool = False) -> tuple[int, dict, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30,
                                      source_address=(source, 0))
    headers = dict(headers or {})
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body) if form else json.dumps(body)
        headers["Content-Type"] = ("application/x-www-form-urlencoded" if form
                                   else "application/json")
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    text = response.read().decode()
    conn.close()
    return response.status, dict(response.getheaders()), json.loads(text) if text else {}


def login(server: PangolinServer, source: str, username: str, password: str) -> int:
    status, _, _ = call(server, source, "POST", "/api/v1/users/login",
                        {"username": username, "password": password})
    return status


@pytest.fixture(scope="module")
def root_token(servers: list[PangolinServer]) -> str:
    status, _, body = call(servers[0], "127.0.0.1", "POST", "/api/v1/users/login",
                           {"username": "root", "password": ROOT_PASSWORD})
    assert status == 200
    return body["token"]


def test_an_account_is_throttled_from_every_address_and_server(servers, root_token) -> None:
    # Root users log in without a tenant; make a second root-less account to guess at: root.
    for i in range(LIMIT):
        assert login(servers[i % 2], f"127.0.1.{i + 1}", "root", "wrong password!") == 401
    status, headers, body = call(servers[1], "127.0.1.9", "POST", "/api/v1/users/login",
                                 {"username": "root", "password": ROOT_PASSWORD})
    assert status == 429, body
    assert 1 <= int(headers["Retry-After"]) <= 60
    assert "try again" in body["error"]
    # HTTP Basic for the same account is throttled by the same counter, before any check.
    auth = base64.b64encode(f"root:{ROOT_PASSWORD}".encode()).decode()
    status, _, _ = call(servers[0], "127.0.1.10", "GET", "/api/v1/users/me",
                        headers={"Authorization": f"Basic {auth}"})
    assert status == 429
    # The token issued before is not affected: throttling applies to credential checks only.
    status, _, _ = call(servers[0], "127.0.1.9", "GET", "/api/v1/users/me",
                        headers={"Authorization": f"Bearer {root_token}"})
    assert status == 200


def test_an_address_is_throttled_for_every_account(servers) -> None:
    for i in range(LIMIT):
        assert login(servers[0], "127.0.2.1", f"nobody{i}", "wrong password!") == 401
    assert login(servers[1], "127.0.2.1", "somebody", "wrong password!") == 429
    # Another address is still heard.
    assert login(servers[1], "127.0.2.2", "somebody", "wrong password!") == 401


def test_refused_tokens_and_client_credentials(servers) -> None:
    for _ in range(LIMIT):
        status, _, _ = call(servers[0], "127.0.3.1", "GET", "/v1/config",
                            headers={"Authorization": "Bearer not.a.token"})
        assert status == 401
    status, headers, _ = call(servers[1], "127.0.3.1", "GET", "/v1/config",
                              headers={"Authorization": "Bearer not.a.token"})
    assert status == 429 and "Retry-After" in headers
    for i in range(LIMIT):
        status, _, body = call(servers[i % 2], f"127.0.4.{i + 1}", "POST", "/v1/oauth/tokens",
                               {"grant_type": "client_credentials", "client_id": "svc",
                                "client_secret": "pgl_0123456789abcdef_" + "x" * 43}, form=True)
        assert status == 401 and body["error"] == "invalid_client"
    status, _, body = call(servers[0], "127.0.4.9", "POST", "/v1/oauth/tokens",
                           {"grant_type": "client_credentials", "client_id": "svc",
                            "client_secret": "pgl_0123456789abcdef_" + "x" * 43}, form=True)
    assert status == 429 and body["error"] == "temporarily_unavailable"
