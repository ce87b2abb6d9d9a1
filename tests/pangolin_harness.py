"""Test harness shared by Pangolin's Python suites: launches a real pangolin_api process on a
loopback port chosen by the kernel, and offers small helpers for the REST and management APIs.

The server is started exactly as an operator would start it, only with a throw-away directory:
  pangolin_api --bind 127.0.0.1 --port 0 --port-file <dir>/port
               --database-url sqlite://<dir>/pangolin.db --no-auth
"""

from __future__ import annotations

import ctypes
import http.client
import os
import signal
import socket
import subprocess
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BINARY = REPO_ROOT / "build" / "src" / "pangolin_api"

STARTUP_TIMEOUT_S = 20.0
SHUTDOWN_TIMEOUT_S = 10.0
HTTP_TIMEOUT_S = 30.0

# Environment variables that would compete with the command-line flags the harness passes.
_SCRUBBED_ENV = ("DATABASE_URL", "PORT", "PANGOLIN_BIND_ADDRESS", "PANGOLIN_NO_AUTH",
                 "PANGOLIN_STORAGE_TYPE", "PANGOLIN_ROOT_USER", "PANGOLIN_ROOT_PASSWORD",
                 "PANGOLIN_AUTH_RATE_LIMIT", "PANGOLIN_AUTH_RATE_WINDOW_SECS")

# The Iceberg REST error body: {"error": {"message", "type", "code", "stack"?}}.
ERROR_FIELDS = {"message", "type", "code"}
OPTIONAL_ERROR_FIELDS = {"stack"}


def free_port() -> int:
    """A loopback port free right now (for servers whose URL must be known before they start)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unique_name(prefix: str) -> str:
    """A fresh identifier such as "ns_3f2a9c1b"; tests never share names."""
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def encode_namespace(levels: list[str] | tuple[str, ...]) -> str:
    """Path form of a namespace: each level percent-encoded, joined by %1F (spec default)."""
    return "%1F".join(urllib.parse.quote(level, safe="") for level in levels)


def _die_with_parent() -> None:
    """Runs in the child before exec: deliver SIGTERM to the server if the test runner dies."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


@dataclass
class PangolinServer:
    """A running pangolin_api process and the directory it owns."""

    binary: Path
    root: Path
    # None: development mode (--no-auth). Otherwise the server authenticates every request and
    # its root account "root" gets this password on first start.
    root_password: str | None = None
    extra_args: list[str] = field(default_factory=list)
    extra_env: dict[str, str] = field(default_factory=dict)
    # Another server's database, to run several servers on one store.
    database: Path | None = None
    # A store URL (e.g. postgresql://...) instead of the SQLite file `database` or the own one.
    database_url: str | None = None
    # The port to listen on; 0 lets the kernel choose.
    listen_port: int = 0
    # How often start() looks for the port file and asks /health/ready (the benchmark polls
    # every millisecond, so that the start-to-ready time it reports is the server's).
    poll_interval_s: float = 0.05
    process: subprocess.Popen | None = None
    port: int = 0
    log_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log_path = self.root / "server.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def warehouse_root(self) -> Path:
        return self.root / "warehouse"

    def url(self, path: str) -> str:
        return self.base_url + path

    def log_tail(self, lines: int = 80) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "<no server log>"
        return "\n".join(text.splitlines()[-lines:])

    def _describe(self, what: str) -> str:
        return f"{what}\n--- last lines of {self.log_path} ---\n{self.log_tail()}"

    def start(self) -> None:
        if not self.binary.is_file() or not os.access(self.binary, os.X_OK):
            raise RuntimeError(f"server binary {self.binary} not found; build it with `make build` "
                               "or point PANGOLIN_BIN at it")
        port_file = self.root / "port"
        port_file.unlink(missing_ok=True)  # a restart must not read the last run's port
        args = [
            str(self.binary),
            "--bind", "127.0.0.1",
            "--port", str(self.listen_port),
            "--port-file", str(port_file),
            "--database-url",
            self.database_url or f"sqlite://{self.database or self.root / 'pangolin.db'}",
        ]
        env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_ENV}
        args += self.extra_args
        env.update(self.extra_env)
        if self.root_password is None:
            args.append("--no-auth")
        else:
            env["PANGOLIN_ROOT_PASSWORD"] = self.root_password
            # Suites refuse credentials on purpose; the throttle has a suite of its own.
            env.setdefault("PANGOLIN_AUTH_RATE_LIMIT", "10000")
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
                cwd=self.root, preexec_fn=_die_with_parent)
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        self.port = self._wait_for_port(port_file, deadline)
        self._wait_until_ready(deadline)

    def _check_alive(self) -> None:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(self._describe(
                f"pangolin_api exited during startup with status {self.process.returncode}"))

    def _wait_for_port(self, port_file: Path, deadline: float) -> int:
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                text = port_file.read_text().strip()
                if text.isdigit() and int(text) > 0:
                    return int(text)
            except OSError:
                pass
            time.sleep(self.poll_interval_s)
        raise RuntimeError(self._describe(
            f"pangolin_api wrote no port to {port_file} within {STARTUP_TIMEOUT_S:.0f} s"))

    def _wait_until_ready(self, deadline: float) -> None:
        last = "no answer"
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                try:
                    conn.request("GET", "/health/ready")
                    answer = conn.getresponse()
                    if answer.status == 200:
                        return
                    last = f"{answer.status} {answer.read()[:200]!r}"
                finally:
                    conn.close()
            except OSError as e:
                last = repr(e)
            time.sleep(self.poll_interval_s)
        raise RuntimeError(self._describe(
            f"GET /health/ready was not 200 within {STARTUP_TIMEOUT_S:.0f} s (last: {last})"))

    def stop(self) -> int:
        """SIGTERM, then wait; returns the exit status (kills and raises after the timeout)."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=SHUTDOWN_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(self._describe(
                    f"pangolin_api did not exit within {SHUTDOWN_TIMEOUT_S:.0f} s of SIGTERM"))
        return self.process.returncode

    def kill(self) -> None:
        """SIGKILL: the process ends at once, wherever it is."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def assert_stopped_cleanly(self) -> None:
        status = self.stop()
        assert status == 0, self._describe(f"pangolin_api exited with status {status} after SIGTERM")


class Http:
    """requests with a base URL and a timeout on every call (a hung server fails, never hangs)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", HTTP_TIMEOUT_S)
        return self.session.request(method, self.base_url + path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def head(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("HEAD", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)


def expect_status(response: requests.Response, status: int) -> Any:
    """Asserts the status and returns the JSON body (None when there is none)."""
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url}: expected {status}, "
        f"got {response.status_code}: {response.text[:2000]}")
    if not response.content:
        return None
    return response.json()


def bearer(base_url: str, token: str, **headers: str) -> Http:
    """A client presenting `token` (and `headers`) on every request."""
    http = Http(base_url)
    http.session.headers["Authorization"] = f"Bearer {token}"
    http.session.headers.update(headers)
    return http


def login(server: PangolinServer, username: str, password: str, tenant: str | None = None,
          **headers: str) -> tuple[Http, str]:
    """Logs in (root users name no tenant); returns a client using the session and its token."""
    body = {"username": username, "password": password, **({"tenant-id": tenant} if tenant else {})}
    answer = Http(server.base_url).post("/api/v1/users/login", json=body, headers=headers)
    token = expect_status(answer, 200)["token"]
    return bearer(server.base_url, token, **headers), token


def create_warehouse(http: Http, name: str, root: Path) -> dict:
    body = {"name": name, "storage_config": {"type": "local", "root": str(root)}}
    return expect_status(http.post("/api/v1/warehouses", json=body), 201)


def create_catalog(http: Http, name: str, warehouse: str, storage_location: str) -> dict:
    body = {"name": name, "warehouse_name": warehouse, "storage_location": storage_location}
    return expect_status(http.post("/api/v1/catalogs", json=body), 201)


def create_tenant(server: PangolinServer, root: Http, name: str, admin: str,
                  password: str) -> tuple[str, Http]:
    """Creates a tenant with an admin (as root) and logs the admin in; returns (tenant id, admin
    session)."""
    tenant = expect_status(root.post("/api/v1/tenants", json={
        "name": name, "admin_username": admin, "admin_password": password}), 201)
    return tenant["id"], login(server, admin, password, tenant["id"])[0]


def create_local_catalog(http: Http, root: Path, name: str = "lake") -> dict:
    """A warehouse "wh" on the local directory `root` and a catalog `name` in it."""
    create_warehouse(http, "wh", root)
    return create_catalog(http, name, "wh", f"file://{root}/{name}")


def simple_schema() -> dict:
    """A two-column Iceberg schema in REST JSON form."""
    return {
        "type": "struct",
        "schema-id": 0,
        "fields": [
            {"id": 1, "name": "id", "type": "long", "required": False},
            {"id": 2, "name": "data", "type": "string", "required": False},
        ],
    }


POSTGRES_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "services" / "postgres.sh"
FERRETDB_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "services" / "ferretdb.sh"
# A key for encrypting stored secrets (PANGOLIN_SECRETS_KEY), for tests whose warehouses hold them.
TEST_SECRETS_KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
MINIO_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "services" / "minio.sh"
AZURITE_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "services" / "azurite.sh"
FAKE_GCS_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "services" / "fake_gcs.sh"
# Azurite's one account, with the key Microsoft publishes for the emulator.
AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = ("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeks"
               "oGMGw==")


def create_azure_container(endpoint: str, container: str) -> None:
    """Creates `container` on Azurite at `endpoint` (PUT ?restype=container with Shared Key)."""
    import base64
    import email.utils
    import hashlib
    import hmac
    headers = {"x-ms-date": email.utils.formatdate(usegmt=True), "x-ms-version": "2023-11-03",
               "Content-Length": "0"}
    canonical = "".join(f"{k}:{v}\n" for k, v in sorted(headers.items()) if k.startswith("x-ms-"))
    resource = f"/{AZURITE_ACCOUNT}/{AZURITE_ACCOUNT}/{container}\nrestype:container"
    string_to_sign = "PUT\n" + "\n" * 11 + canonical + resource
    signature = base64.b64encode(hmac.new(base64.b64decode(AZURITE_KEY), string_to_sign.encode(),
                                          hashlib.sha256).digest()).decode()
    headers["Authorization"] = f"SharedKey {AZURITE_ACCOUNT}:{signature}"
    answer = requests.put(f"{endpoint}/{container}?restype=container", headers=headers,
                          timeout=10)
    if answer.status_code not in (201, 409):
        raise AssertionError(f"cannot create container {container}: {answer.text}")


@dataclass
class S3Service:
    """An S3-compatible server for the tests (MinIO, scripts/services/minio.sh): its endpoint, the
    credentials that may do everything (and sign STS AssumeRole), and a bucket that exists."""

    endpoint: str
    access_key_id: str = "pangolin-root"
    secret_access_key: str = "pangolin-root-secret"
    region: str = "us-east-1"
    bucket: str = "warehouse"

    def storage_config(self, prefix: str, **extra: str) -> dict[str, str]:
        """A warehouse's storage_config for s3://<bucket>/<prefix> on this server."""
        return {"type": "s3", "s3.bucket": self.bucket, "root": f"s3://{self.bucket}/{prefix}",
                "s3.endpoint": self.endpoint, "s3.region": self.region,
                "s3.path-style-access": "true", "s3.access-key-id": self.access_key_id,
                "s3.secret-access-key": self.secret_access_key, **extra}


@dataclass
class PostgresServer:
    """A PostgreSQL server for the tests: its URL, and its data directory when the tests may stop
    and start it (scripts/services/postgres.sh)."""

    url: str
    data: Path | None

    def _run(self, mode: str) -> None:
        if self.data is None:
            raise RuntimeError("restarting PostgreSQL needs PANGOLIN_TEST_POSTGRES_DATA: the data "
                               "directory of the cluster at PANGOLIN_TEST_POSTGRES_URL")
        subprocess.run([str(POSTGRES_SCRIPT), mode, str(self.data)], check=True,
                       capture_output=True)

    def stop(self) -> None:
        self._run("stop")

    def start(self) -> None:
        self._run("start")
