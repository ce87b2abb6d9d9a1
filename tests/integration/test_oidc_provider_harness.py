"""Self-test of the test-side OpenID Connect provider (scripts/services/oidc-provider) and of
the scripted browser in tests/oidc_provider.py, without Pangolin: a complete authorization code
flow with PKCE done by hand against the provider, as a relying party would do it."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import urllib.parse
from collections.abc import Iterator

import pytest
import requests

from oidc_provider import BrowserLoginError, OidcProvider, browser_login

CLIENT_ID = "pangolin-test"
CLIENT_SECRET = "secret with spaces+plus/slash%percent"  # exercises client_secret_basic encoding
REDIRECT_URI = "http://127.0.0.1:9/cb"  # nobody listens there: browser_login stops before it
TIMEOUT = 30


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwt_part(token: str, index: int) -> dict:
    part = token.split(".")[index]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def basic_auth(client_id: str, secret: str) -> requests.auth.HTTPBasicAuth:
    # RFC 6749 section 2.3.1: both are form-urlencoded before they go into the Basic header.
    return requests.auth.HTTPBasicAuth(urllib.parse.quote_plus(client_id),
                                       urllib.parse.quote_plus(secret))


class Flow:
    """One authorization request: state, nonce and PKCE verifier, and the URL carrying them."""

    def __init__(self, op: OidcProvider, *, pkce: bool = True) -> None:
        self.state = secrets.token_urlsafe(16)
        self.nonce = secrets.token_urlsafe(16)
        self.verifier = secrets.token_urlsafe(48)
        params = {
            "response_type": "code",
            "client_id": CLIENT_ID,
            "redirect_uri": REDIRECT_URI,
            "scope": "openid email profile",
            "state": self.state,
            "nonce": self.nonce,
        }
        if pkce:
            params["code_challenge"] = b64url(hashlib.sha256(self.verifier.encode()).digest())
            params["code_challenge_method"] = "S256"
        self.url = op.authorization_endpoint + "?" + urllib.parse.urlencode(params)

    def callback_params(self, response: requests.Response) -> dict[str, str]:
        """The query of the redirect back to REDIRECT_URI (asserted to be one)."""
        assert response.status_code in (302, 303), response.status_code
        location = response.headers["Location"]
        assert location.split("?", 1)[0] == REDIRECT_URI, location
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))


def exchange(op: OidcProvider, code: str, verifier: str | None,
             secret: str = CLIENT_SECRET) -> requests.Response:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    if verifier is not None:
        data["code_verifier"] = verifier
    return requests.post(op.token_endpoint, data=data, auth=basic_auth(CLIENT_ID, secret),
                         timeout=TIMEOUT)


@pytest.fixture(scope="module")
def op() -> Iterator[OidcProvider]:
    provider = OidcProvider(CLIENT_ID, CLIENT_SECRET, [REDIRECT_URI])
    with provider:
        yield provider
    assert provider.process is not None and provider.process.returncode == 0, provider.log()


def login(op: OidcProvider, account: str) -> tuple[Flow, dict]:
    """Logs `account` in and redeems the code; returns the flow and the token response."""
    flow = Flow(op)
    params = flow.callback_params(browser_login(flow.url, account))
    assert "error" not in params, params
    assert params["state"] == flow.state
    assert params["iss"] == op.issuer  # RFC 9207 issuer identification
    r = exchange(op, params["code"], flow.verifier)
    assert r.status_code == 200, r.text
    return flow, r.json()


def test_discovery_document(op: OidcProvider) -> None:
    assert op.issuer.startswith("http://127.0.0.1:")
    meta = op.metadata()
    assert meta["issuer"] == op.issuer
    assert meta["authorization_endpoint"].startswith(op.issuer + "/")
    assert meta["token_endpoint"].startswith(op.issuer + "/")
    assert meta["response_types_supported"] == ["code"]
    assert meta["grant_types_supported"] == ["authorization_code"]
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert meta["token_endpoint_auth_methods_supported"] == ["client_secret_basic"]
    assert meta["id_token_signing_alg_values_supported"] == ["RS256"]
    assert set(meta["scopes_supported"]) == {"openid", "email", "profile"}
    keys = requests.get(op.jwks_uri, timeout=TIMEOUT).json()["keys"]
    assert [(k["kty"], k["alg"], k["use"]) for k in keys] == [("RSA", "RS256", "sig")]
    assert "d" not in keys[0]  # the public half only


def test_code_flow_with_pkce_for_alice(op: OidcProvider) -> None:
    flow, tokens = login(op, "alice")
    assert tokens["token_type"].lower() == "bearer"
    assert tokens["access_token"]
    header = jwt_part(tokens["id_token"], 0)
    claims = jwt_part(tokens["id_token"], 1)
    assert header["alg"] == "RS256"
    keys = requests.get(op.jwks_uri, timeout=TIMEOUT).json()["keys"]
    assert header["kid"] in {k["kid"] for k in keys}
    assert claims["iss"] == op.issuer
    assert claims["aud"] == CLIENT_ID
    assert claims["sub"] == "alice"
    assert claims["nonce"] == flow.nonce
    assert claims["email"] == "alice@example.com"
    assert claims["email_verified"] is True
    assert claims["preferred_username"] == "alice"
    assert claims["name"]
    assert claims["iat"] <= claims["exp"]

    # The access token works at the userinfo endpoint, with the same claims.
    info = requests.get(op.metadata()["userinfo_endpoint"], timeout=TIMEOUT,
                        headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert info.status_code == 200, info.text
    assert info.json()["email"] == "alice@example.com"


def test_unverified_email_for_bob(op: OidcProvider) -> None:
    flow, tokens = login(op, "bob")
    claims = jwt_part(tokens["id_token"], 1)
    assert claims["sub"] == "bob"
    assert claims["nonce"] == flow.nonce
    assert claims["email"] == "bob@other.example"
    assert claims["email_verified"] is False


def test_code_needs_the_verifier_and_works_once(op: OidcProvider) -> None:
    flow = Flow(op)
    code = flow.callback_params(browser_login(flow.url, "alice"))["code"]
    r = exchange(op, code, None)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text

    flow = Flow(op)
    code = flow.callback_params(browser_login(flow.url, "alice"))["code"]
    r = exchange(op, code, secrets.token_urlsafe(48))
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text

    flow = Flow(op)
    code = flow.callback_params(browser_login(flow.url, "alice"))["code"]
    assert exchange(op, code, flow.verifier).status_code == 200
    r = exchange(op, code, flow.verifier)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text


def test_wrong_client_secret_is_refused(op: OidcProvider) -> None:
    flow = Flow(op)
    code = flow.callback_params(browser_login(flow.url, "alice"))["code"]
    r = exchange(op, code, flow.verifier, secret="not-the-secret")
    assert r.status_code == 401 and r.json()["error"] == "invalid_client", r.text


def test_request_without_pkce_is_sent_back_with_an_error(op: OidcProvider) -> None:
    flow = Flow(op, pkce=False)
    params = flow.callback_params(browser_login(flow.url, "alice"))
    assert params["error"] == "invalid_request", params
    assert params["state"] == flow.state
    assert "code" not in params


def test_deny_sends_access_denied(op: OidcProvider) -> None:
    flow = Flow(op)
    params = flow.callback_params(browser_login(flow.url, "alice", deny=True))
    assert params["error"] == "access_denied", params
    assert params["state"] == flow.state


def test_unknown_login_derails_clearly(op: OidcProvider) -> None:
    flow = Flow(op)
    with pytest.raises(BrowserLoginError, match=r"(?s)last URL: POST .*/interaction/.*"
                                                r"unknown login"):
        browser_login(flow.url, "mallory")


def test_accounts_can_be_configured() -> None:
    accounts = {"carol": {"sub": "c-123", "email": "carol@example.org", "email_verified": True,
                          "name": "Carol", "preferred_username": "carol.c"}}
    with OidcProvider(CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, accounts=accounts) as other:
        flow, tokens = login(other, "carol")
        claims = jwt_part(tokens["id_token"], 1)
        assert {k: claims[k] for k in ("sub", "email", "email_verified", "name",
                                       "preferred_username")} == {
            "sub": "c-123", "email": "carol@example.org", "email_verified": True,
            "name": "Carol", "preferred_username": "carol.c"}
        with pytest.raises(BrowserLoginError, match="unknown login"):
            browser_login(Flow(other).url, "alice")
    assert other.process is not None and other.process.returncode == 0, other.log()


def test_bad_arguments_fail_with_the_providers_stderr() -> None:
    with pytest.raises(RuntimeError, match=r"(?s)stderr.*accounts must be a JSON object"):
        provider = OidcProvider(CLIENT_ID, CLIENT_SECRET, REDIRECT_URI)
        provider.accounts = "not json"  # type: ignore[assignment]
        provider.start()
