"""A stand-in for Google's OAuth 2.0 token endpoint and Security Token Service, for tests: neither
runs here, and fake-gcs-server checks no token. It verifies each service-account assertion
(RS256, against the account's public key) and records each token exchange, so that a test can
check the Credential Access Boundary the catalog asked for, and it answers with tokens of its
own making."""

from __future__ import annotations

import base64
import itertools
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class GoogleTokenServices:
    """`/token` exchanges a signed assertion for an access token; `/v1/token` exchanges an access
    token for a downscoped one. `exchanges` holds each exchange's form, with its boundary parsed."""

    def __init__(self, email: str = "catalog@test-project.iam.gserviceaccount.com") -> None:
        self.email = email
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._issued: set[str] = set()
        self._ids = itertools.count(1)
        self.exchanges: list[dict] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def service_account_json(self) -> str:
        pem = self._key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()).decode()
        return json.dumps({"type": "service_account", "project_id": "test-project",
                           "private_key_id": "k1", "private_key": pem,
                           "client_email": self.email, "token_uri": self.base_url + "/token"})

    def stop(self) -> None:
        self._server.shutdown()

    def _verify_assertion(self, assertion: str) -> bool:
        header, claims, signature = assertion.split(".")
        try:
            self._key.public_key().verify(_b64decode(signature), f"{header}.{claims}".encode(),
                                          padding.PKCS1v15(), hashes.SHA256())
        except Exception:  # noqa: BLE001 - any failure is a refusal
            return False
        body = json.loads(_b64decode(claims))
        return body.get("iss") == self.email and body.get("aud") == self.base_url + "/token"

    def _answer(self, form: dict[str, str], path: str) -> tuple[int, dict]:
        with self._lock:
            if path == "/token" and form.get("grant_type") == JWT_BEARER:
                if not self._verify_assertion(form.get("assertion", "")):
                    return 400, {"error": "invalid_grant", "error_description": "bad assertion"}
                token = f"sa-token-{next(self._ids)}"
                self._issued.add(token)
                return 200, {"access_token": token, "expires_in": 3600, "token_type": "Bearer"}
            if path == "/v1/token" and form.get("grant_type") == TOKEN_EXCHANGE:
                if form.get("subject_token") not in self._issued:
                    return 400, {"error": "invalid_grant", "error_description": "unknown token"}
                exchange = dict(form, options=json.loads(form.get("options", "{}")))
                self.exchanges.append(exchange)
                return 200, {"access_token": f"downscoped-{next(self._ids)}", "expires_in": 3600,
                             "issued_token_type": ACCESS_TOKEN_TYPE, "token_type": "Bearer"}
        return 400, {"error": "unsupported_grant_type"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        services = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server name
                length = int(self.headers.get("Content-Length", "0"))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                status, body = services._answer(form, self.path)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        return Handler
