"""OpenID Connect login against a real provider started on loopback (npm oidc-provider, see
scripts/services/oidc-provider): the authorization-code flow with PKCE, state and nonce through
two Pangolin servers sharing one store (the login begun on one is finished on the other), the
one-time code traded for a token, accounts linked by (issuer, subject), provisioning only for
verified emails of allowed domains, never root, and single use of every secret."""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from oidc_provider import OidcProvider, browser_login
from pangolin_harness import DEFAULT_BINARY, Http, PangolinServer, expect_status, free_port

ROOT_PASSWORD = "root-password-for-oidc"
CLIENT_ID = "pangolin"
CLIENT_SECRET = "client-secret-for-tests"
LANDING = "http://127.0.0.1:9/landed"  # nobody listens: the test reads the redirect itself
TENANT = "00000000-0000-0000-0000-000000000000"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    binary = Path(os.environ.get("PANGOLIN_BIN", str(DEFAULT_BINARY))).resolve()
    port = free_port()
    callback = f"http://127.0.0.1:{port}/oauth/callback/oidc"
    with OidcProvider(CLIENT_ID, CLIENT_SECRET, [callback]) as provider:
        oidc_env = {"PANGOLIN_OIDC_ISSUER": provider.issuer,
                    "PANGOLIN_OIDC_CLIENT_ID": CLIENT_ID,
                    "PANGOLIN_OIDC_CLIENT_SECRET": CLIENT_SECRET,
                    "PANGOLIN_OIDC_REDIRECT_URI": callback,
                    "PANGOLIN_OAUTH_REDIRECT_URIS": LANDING,
                    "PANGOLIN_OIDC_PROVISION_TENANT": TENANT,
                    "PANGOLIN_OAUTH_EMAIL_LINK_DOMAINS": "example.com"}
        first = PangolinServer(binary=binary, root=tmp_path_factory.mktemp("oidc-1"),
                               root_password=ROOT_PASSWORD, extra_env=oidc_env,
                               listen_port=port)
        first.start()
        second = PangolinServer(binary=binary, root=tmp_path_factory.mktemp("oidc-2"),
                                root_password=ROOT_PASSWORD, extra_env=oidc_env,
                                database=first.root / "pangolin.db")
        second.start()
        yield {"first": first, "second": second, "provider": provider}
        second.assert_stopped_cleanly()
        first.assert_stopped_cleanly()


def login(env: dict, account: str, finish_on: str = "second") -> requests.Response:
    """Runs a login begun on the first server; the provider's callback is delivered to
    `finish_on`. Returns Pangolin's answer to the callback (not followed)."""
    first, other = env["first"], env[finish_on]
    start = f"{first.base_url}/oauth/authorize/oidc?redirect_uri={urllib.parse.quote(LANDING)}"
    to_callback = browser_login(start, account)
    location = to_callback.headers["Location"]
    parsed = urllib.parse.urlsplit(location)
    assert parsed.path == "/oauth/callback/oidc", location
    return requests.get(f"{other.base_url}{parsed.path}?{parsed.query}", allow_redirects=False,
                        timeout=30)


def code_of(answer: requests.Response) -> str:
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(LANDING + "?"), location
    return urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["code"][0]


def test_providers_are_listed(env: dict) -> None:
    body = expect_status(Http(env["first"].base_url).get("/api/v1/oauth/providers"), 200)
    assert body == {"providers": ["oidc"]}


def test_login_provisions_a_tenant_user_once_and_links_it(env: dict) -> None:
    code = code_of(login(env, "alice"))
    exchange = Http(env["first"].base_url).post("/api/v1/oauth/exchange", json={"code": code})
    token = expect_status(exchange, 200)["token"]
    me = Http(env["first"].base_url)
    me.session.headers["Authorization"] = f"Bearer {token}"
    user = expect_status(me.get("/api/v1/users/me"), 200)
    assert user["username"] == "alice@example.com" and user["role"] == "tenant-user"
    assert user["tenant-id"] == TENANT and user["oauth-provider"] == env["provider"].issuer
    # The code is single use.
    again = Http(env["second"].base_url).post("/api/v1/oauth/exchange", json={"code": code})
    assert again.status_code == 401
    # A second login finds the same account.
    token2 = expect_status(Http(env["second"].base_url).post(
        "/api/v1/oauth/exchange", json={"code": code_of(login(env, "alice", "first"))}),
        200)["token"]
    me.session.headers["Authorization"] = f"Bearer {token2}"
    assert expect_status(me.get("/api/v1/users/me"), 200)["id"] == user["id"]
    # Nobody became root, and the login is on record.
    root = Http(env["first"].base_url)
    body = {"username": "root", "password": ROOT_PASSWORD}
    root.session.headers["Authorization"] = "Bearer " + expect_status(
        root.post("/api/v1/users/login", json=body), 200)["token"]
    users = expect_status(root.get("/api/v1/users", params={"limit": 1000}), 200)
    assert [u["role"] for u in users if u["username"] == "alice@example.com"] == ["tenant-user"]
    logins = expect_status(root.get("/api/v1/audit", params={"action": "login"}), 200)
    assert any(e["username"] == "alice@example.com" for e in logins)


def test_unverified_or_foreign_emails_are_not_provisioned(env: dict) -> None:
    answer = login(env, "bob")
    assert answer.status_code == 403, answer.text
    assert "No account is linked" in answer.json()["error"]


def test_state_and_landing_are_checked(env: dict) -> None:
    first = Http(env["first"].base_url)
    r = first.get("/oauth/authorize/oidc", params={"redirect_uri": "https://evil.example/"},
                  allow_redirects=False)
    assert r.status_code == 400
    expect_status(first.get("/oauth/authorize/nope", allow_redirects=False), 404)
    r = first.get("/oauth/callback/oidc", params={"code": "x", "state": "forged"})
    assert r.status_code == 400
    # A state is used once: replaying a finished callback fails.
    start = f"{env['first'].base_url}/oauth/authorize/oidc"
    to_callback = browser_login(start, "alice")
    url = to_callback.headers["Location"]
    assert requests.get(url, allow_redirects=False, timeout=30).status_code == 302
    assert requests.get(url, allow_redirects=False, timeout=30).status_code == 400
