"""Helpers for driving the Iceberg REST API over plain HTTP: a prefix-aware client, a raw client
for requests that `requests` would rewrite, the spec error-body check, and a snapshot of a
catalog's visible state for "nothing changed" assertions."""

from __future__ import annotations

import contextlib
import http.client
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.structures import CaseInsensitiveDict

from pangolin_harness import (ERROR_FIELDS, HTTP_TIMEOUT_S, OPTIONAL_ERROR_FIELDS, Http,
                              encode_namespace, expect_status, simple_schema)

# Types the spec's error table names for 400 (clients branch on the type).
BAD_REQUEST_TYPES = {"BadRequestException", "IllegalArgumentException", "ValidationException"}


@dataclass
class RawResponse:
    """The parts of an HTTP response the checks look at (shaped like requests.Response)."""

    status_code: int
    headers: CaseInsensitiveDict
    content: bytes
    description: str = ""

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)


def raw_request(base_url: str, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None, send_body: bool = True) -> RawResponse:
    """Sends the path byte for byte (no re-quoting). With send_body=False only the headers go
    out, which lets a test announce a body it never sends."""
    host, port = base_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=HTTP_TIMEOUT_S)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        all_headers = {"Content-Type": "application/json"} if body is not None else {}
        all_headers.update(headers or {})
        if body is not None and "Content-Length" not in all_headers:
            all_headers["Content-Length"] = str(len(body))
        for name, value in all_headers.items():
            conn.putheader(name, value)
        conn.endheaders(body if (body is not None and send_body) else None)
        resp = conn.getresponse()
        content = resp.read()
        return RawResponse(resp.status, CaseInsensitiveDict(resp.getheaders()), content,
                           f"{method} {path}")
    finally:
        conn.close()


def _describe(resp: requests.Response | RawResponse) -> str:
    if isinstance(resp, RawResponse):
        what = resp.description
    else:
        what = f"{resp.request.method} {resp.request.url}"
    return f"{what} -> {resp.status_code}: {resp.text[:1000]!r}"


def assert_error(resp: requests.Response | RawResponse, status: int, error_type: str | set[str]
                 | None = None, message: str | None = None, message_contains: str | None = None
                 ) -> dict:
    """Asserts an Iceberg error response: the status, and the body
    {"error": {"message": str, "type": str, "code": status}} with nothing else but "stack"."""
    assert resp.status_code == status, f"expected {status}: {_describe(resp)}"
    ctype = resp.headers.get("Content-Type", "")
    assert ctype.startswith("application/json"), f"Content-Type {ctype!r}: {_describe(resp)}"
    try:
        body = resp.json()
    except ValueError as e:
        raise AssertionError(f"error body is not JSON ({e}): {_describe(resp)}") from None
    assert isinstance(body, dict) and set(body) == {"error"}, f"not an error body: {body}"
    err = body["error"]
    assert isinstance(err, dict), body
    assert ERROR_FIELDS <= set(err) <= ERROR_FIELDS | OPTIONAL_ERROR_FIELDS, f"error fields: {err}"
    assert isinstance(err["message"], str) and err["message"].strip(), err
    assert isinstance(err["type"], str) and err["type"].strip(), err
    assert type(err["code"]) is int and err["code"] == status, err
    if "stack" in err:
        assert isinstance(err["stack"], list) and all(isinstance(s, str) for s in err["stack"])
    if isinstance(error_type, str):
        assert err["type"] == error_type, err
    elif error_type is not None:
        assert err["type"] in error_type, err
    if message is not None:
        assert err["message"].startswith(message), err
    if message_contains is not None:
        assert message_contains in err["message"], err
    return err


def assert_bad_request(resp: requests.Response | RawResponse) -> dict:
    return assert_error(resp, 400, BAD_REQUEST_TYPES)


@dataclass
class Rest:
    """The Iceberg REST API of one catalog, addressed as /v1/{prefix}/..."""

    http: Http
    prefix: str
    base_url: str = field(init=False)

    def __post_init__(self) -> None:
        self.base_url = self.http.base_url

    def path(self, rest: str) -> str:
        return f"/v1/{self.prefix}{rest}"

    def ns_path(self, ns: list[str] | tuple[str, ...] | str) -> str:
        levels = [ns] if isinstance(ns, str) else list(ns)
        return self.path(f"/namespaces/{encode_namespace(levels)}")

    def table_path(self, ns: list[str] | tuple[str, ...] | str, table: str) -> str:
        return f"{self.ns_path(ns)}/tables/{table}"

    def get(self, rest: str, **kw: Any) -> requests.Response:
        return self.http.get(self.path(rest), **kw)

    def post(self, rest: str, **kw: Any) -> requests.Response:
        return self.http.post(self.path(rest), **kw)

    def create_namespace(self, ns: str | list[str], properties: dict | None = None) -> dict:
        levels = [ns] if isinstance(ns, str) else ns
        body = {"namespace": levels, "properties": properties or {}}
        return expect_status(self.post("/namespaces", json=body), 200)

    def create_table(self, ns: str, name: str, **extra: Any) -> dict:
        body = {"name": name, "schema": simple_schema(), **extra}
        return expect_status(self.http.post(f"{self.ns_path(ns)}/tables", json=body), 200)

    def load_table(self, ns: str, name: str) -> dict:
        return expect_status(self.http.get(self.table_path(ns, name)), 200)

    def list_all(self, rest: str, key: str, params: dict | None = None) -> list:
        """Every item of a paged list (follows next-page-token)."""
        items: list = []
        query = dict(params or {})
        for _ in range(10_000):
            body = expect_status(self.get(rest, params=query), 200)
            items.extend(body[key])
            token = body.get("next-page-token")
            if not token:
                return items
            query["pageToken"] = token
        raise AssertionError(f"paging of {rest} does not terminate")

    def state(self) -> dict:
        """Namespaces (recursively) with their properties, tables and metadata locations."""
        state: dict = {}

        def walk(parent: list[str]) -> None:
            query = f"?parent={encode_namespace(parent)}" if parent else ""
            for levels in self.list_all(f"/namespaces{query}", "namespaces"):
                key = tuple(levels)
                assert key not in state, f"namespace {key} listed twice"
                props = expect_status(self.http.get(self.ns_path(levels)), 200)["properties"]
                tables = {}
                for ident in self.list_all(f"/namespaces/{encode_namespace(levels)}/tables",
                                           "identifiers"):
                    loaded = self.load_table(levels, ident["name"])
                    tables[ident["name"]] = loaded["metadata-location"]
                state[key] = {"properties": props, "tables": tables}
                walk(list(levels))

        walk([])
        return state

    @contextlib.contextmanager
    def unchanged(self) -> Iterator[None]:
        """Asserts that the body of the with-block leaves the catalog exactly as it was."""
        before = self.state()
        yield
        after = self.state()
        assert after == before, "the catalog changed:\n" + _diff(before, after)


def _diff(before: dict, after: dict) -> str:
    lines = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            lines.append(f"  {key}: {before.get(key)} -> {after.get(key)}")
    return "\n".join(lines)
