"""A real OpenID Connect provider for tests, and a scripted browser for its login page.

OidcProvider runs scripts/services/oidc-provider.sh (a local provider on 127.0.0.1, port chosen
by the kernel; the script installs its npm dependencies on first use) with one confidential
client, and stops it on exit:

    with OidcProvider("pangolin", "s3cret", ["http://127.0.0.1:8080/callback"]) as op:
        op.issuer             # "http://127.0.0.1:<port>"
        op.metadata()         # its discovery document

The client: authorization_code grant only, response_type code, client_secret_basic at the token
endpoint, PKCE with S256 required, scopes openid email profile, RS256-signed ID tokens that
carry the scope claims (email, email_verified, name, preferred_username) themselves. Accounts
map a login to its claims; without them the provider knows

    alice: sub "alice", email alice@example.com, email_verified true
    bob:   sub "bob",   email bob@other.example, email_verified false

browser_login(authorize_url, login) plays the browser from a relying party's (or the
provider's own) authorization URL through the provider's login form, and returns the provider's
redirect back to the relying party without following it.
"""

from __future__ import annotations

import ctypes
import json
import os
import selectors
import signal
import subprocess
import tempfile
import time
import urllib.parse
from collections.abc import Mapping, Sequence
from html.parser import HTMLParser
from typing import Any

import requests

from pangolin_harness import REPO_ROOT

PROVIDER_SCRIPT = REPO_ROOT / "scripts" / "services" / "oidc-provider.sh"

# The first start may run `npm ci`; later ones take well under a second.
STARTUP_TIMEOUT_S = 60.0
SHUTDOWN_TIMEOUT_S = 10.0
HTTP_TIMEOUT_S = 30.0
MAX_STEPS = 20

# Every answer of the provider carries this header (value: its issuer).
PROVIDER_HEADER = "X-Test-OIDC-Provider"

_REDIRECTS = {301, 302, 303, 307, 308}


def _die_with_parent() -> None:
    """Runs in the child before exec: SIGTERM to the provider if the test runner dies."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class OidcProvider:
    """The provider process; a context manager (start on enter, SIGTERM and wait on exit)."""

    def __init__(self, client_id: str, client_secret: str,
                 redirect_uris: str | Sequence[str],
                 accounts: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        """accounts: {login: {"email", "email_verified", "name", "preferred_username", "sub"}},
        every claim optional (sub and preferred_username default to the login); None keeps the
        provider's defaults (alice and bob, see the module docstring)."""
        if isinstance(redirect_uris, str):
            redirect_uris = [redirect_uris]
        if not redirect_uris:
            raise ValueError("at least one redirect URI is needed")
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = list(redirect_uris)
        self.accounts = None if accounts is None else {k: dict(v) for k, v in accounts.items()}
        self.process: subprocess.Popen | None = None
        self.issuer = ""
        self._stderr = None
        self._metadata: dict | None = None

    # --- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> OidcProvider:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        if self.process is not None:
            raise RuntimeError("the OIDC provider is already started")
        args = [str(PROVIDER_SCRIPT), "0", "--client-id", self.client_id]
        for uri in self.redirect_uris:
            args += ["--redirect-uri", uri]
        env = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
        env["OIDC_CLIENT_SECRET"] = self.client_secret  # kept off the command line
        if self.accounts is not None:
            env["OIDC_ACCOUNTS"] = json.dumps(self.accounts)
        # O_APPEND: the child writes at the end whatever this process reads.
        self._stderr = tempfile.TemporaryFile(mode="a+b", prefix="oidc-provider-", suffix=".log")
        self.process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._stderr,
            env=env, cwd=REPO_ROOT, preexec_fn=_die_with_parent)
        try:
            line = self._read_issuer_line(time.monotonic() + STARTUP_TIMEOUT_S)
            try:
                issuer = json.loads(line)["issuer"]
            except (ValueError, KeyError, TypeError):
                raise RuntimeError(self._describe(
                    f"the OIDC provider printed {line!r}, not an issuer line")) from None
            if not isinstance(issuer, str) or not issuer.startswith("http://127.0.0.1:"):
                raise RuntimeError(self._describe(f"unexpected issuer {issuer!r}"))
            self.issuer = issuer
        except BaseException:
            self._kill()
            raise

    def _read_issuer_line(self, deadline: float) -> str:
        assert self.process is not None and self.process.stdout is not None
        out = self.process.stdout
        buffer = b""
        with selectors.DefaultSelector() as selector:
            selector.register(out, selectors.EVENT_READ)
            while b"\n" not in buffer:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError(self._describe(
                        f"the OIDC provider printed no issuer line within "
                        f"{STARTUP_TIMEOUT_S:.0f} s"))
                if not selector.select(timeout=min(left, 0.5)):
                    continue
                chunk = os.read(out.fileno(), 4096)
                if not chunk:
                    try:
                        status = self.process.wait(timeout=2)
                    except subprocess.TimeoutExpired:
                        status = "none yet"
                    raise RuntimeError(self._describe(
                        f"the OIDC provider closed stdout before printing its issuer "
                        f"(exit status {status})"))
                buffer += chunk
        return buffer.split(b"\n", 1)[0].decode("utf-8", "replace").strip()

    def stop(self) -> int | None:
        """SIGTERM, then wait; returns the exit status (0 on a clean stop)."""
        if self.process is None:
            return None
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=SHUTDOWN_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    self._kill()
                    raise RuntimeError(self._describe(
                        f"the OIDC provider did not exit within {SHUTDOWN_TIMEOUT_S:.0f} s "
                        "of SIGTERM")) from None
            return self.process.returncode
        finally:
            self._close_pipes()

    def _kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._close_pipes()

    def _close_pipes(self) -> None:
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()

    # --- diagnostics ----------------------------------------------------------------------

    def log(self) -> str:
        """Everything the provider (and its installer) wrote to stderr so far."""
        if self._stderr is None:
            return ""
        fd = self._stderr.fileno()
        return os.pread(fd, os.fstat(fd).st_size, 0).decode("utf-8", "replace")

    def _describe(self, what: str) -> str:
        lines = self.log().splitlines()[-60:]
        return (f"{what}\n--- stderr of {PROVIDER_SCRIPT.relative_to(REPO_ROOT)} ---\n"
                + ("\n".join(lines) if lines else "<empty>"))

    # --- endpoints ------------------------------------------------------------------------

    def metadata(self) -> dict:
        """The discovery document (/.well-known/openid-configuration), fetched once."""
        if self._metadata is None:
            r = requests.get(self.issuer + "/.well-known/openid-configuration",
                             timeout=HTTP_TIMEOUT_S)
            r.raise_for_status()
            self._metadata = r.json()
        return self._metadata

    @property
    def authorization_endpoint(self) -> str:
        return self.metadata()["authorization_endpoint"]

    @property
    def token_endpoint(self) -> str:
        return self.metadata()["token_endpoint"]

    @property
    def jwks_uri(self) -> str:
        return self.metadata()["jwks_uri"]


# --- the scripted browser ---------------------------------------------------------------------


class BrowserLoginError(RuntimeError):
    """The login flow did not go as a browser would expect."""


class _Forms(HTMLParser):
    """Collects the forms of a page: action, method, fields and submit buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._current: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._current = {"action": a.get("action", ""),
                             "method": (a.get("method") or "get").upper(),
                             "fields": {}, "buttons": []}
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "button"):
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            name = a.get("name")
            if kind == "submit":
                self._current["buttons"].append((name, a.get("value", "")))
            elif name:
                self._current["fields"][name] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _login_form(response: requests.Response) -> dict[str, Any] | None:
    if "html" not in response.headers.get("Content-Type", ""):
        return None
    parser = _Forms()
    parser.feed(response.text)
    return next((f for f in parser.forms if "login" in f["fields"]), None)


def _derailed(what: str, response: requests.Response | None, url: str) -> BrowserLoginError:
    if response is None:
        return BrowserLoginError(f"{what} (last URL: {url})")
    body = response.text[:1000] if response.content else "<empty>"
    location = response.headers.get("Location")
    return BrowserLoginError(
        f"{what}\n  last URL: {response.request.method} {url}\n"
        f"  status: {response.status_code}" + (f", Location: {location}" if location else "")
        + f"\n  body: {body}")


def browser_login(authorize_url: str, login: str, *, session: requests.Session | None = None,
                  deny: bool = False) -> requests.Response:
    """Plays the browser from authorize_url (a relying party's login URL that redirects to the
    provider, or the provider's authorization URL itself): follows redirects with one session,
    submits the provider's login form with `login` (or presses "Deny" when deny=True), and
    follows the provider's redirects until the first one that leaves the provider. Returns that
    redirect response unfollowed; its Location is the relying party's callback URL (with code
    and state, or error), for the caller to request.

    session: the cookie jar to use (a fresh one by default); pass one to keep the cookies the
    relying party set before the redirect (say, a state cookie) for the callback request.
    Raises BrowserLoginError, with the last URL and a body snippet, when the flow derails.
    """
    s = session if session is not None else requests.Session()
    method, url, data = "GET", authorize_url, None
    provider_origin: str | None = None
    submitted = False
    for _ in range(MAX_STEPS):
        try:
            r = s.request(method, url, data=data, allow_redirects=False, timeout=HTTP_TIMEOUT_S)
        except requests.RequestException as e:
            raise _derailed(f"request failed: {e!r}", None, url) from e
        if r.headers.get(PROVIDER_HEADER):
            provider_origin = _origin(url)

        if r.status_code in _REDIRECTS:
            location = r.headers.get("Location")
            if not location:
                raise _derailed("redirect without a Location header", r, url)
            target = urllib.parse.urljoin(url, location)
            if provider_origin is not None and _origin(target) != provider_origin:
                return r  # back to the relying party: the caller takes it from here
            if r.status_code in (307, 308):
                url = target  # same method and body
            else:
                method, url, data = "GET", target, None
            continue

        form = _login_form(r) if r.status_code == 200 else None
        if form is None:
            where = "after submitting the login form" if submitted else "before the login form"
            raise _derailed(f"expected a redirect or the provider's login form {where}", r, url)
        if submitted:
            raise _derailed(f"the provider showed the login form again after login {login!r}",
                            r, url)
        if provider_origin is None:
            provider_origin = _origin(url)
        fields = dict(form["fields"])
        fields["login"] = login
        # A browser sends the name and value of the button pressed: the first, or "deny".
        if deny:
            button = next((b for b in form["buttons"] if b[1] == "deny"), None)
            if button is None:
                raise _derailed("the login form has no deny button", r, url)
        else:
            button = form["buttons"][0] if form["buttons"] else None
        if button is not None and button[0]:
            fields[button[0]] = button[1]
        action = urllib.parse.urljoin(url, form["action"] or url)
        if form["method"] == "POST":
            method, url, data = "POST", action, fields
        else:
            method, data = "GET", None
            url = action.split("?", 1)[0] + "?" + urllib.parse.urlencode(fields)
        submitted = True
    raise BrowserLoginError(f"more than {MAX_STEPS} steps without leaving the provider "
                            f"(last URL: {url})")
