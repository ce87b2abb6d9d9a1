"""The REST surface over plain HTTP: /v1/config, the prefixed namespace and table routes,
HEAD existence checks, health endpoints and Prometheus metrics."""

from __future__ import annotations

import re
import socket

from pangolin_harness import encode_namespace, expect_status, unique_name
from rest_checks import assert_error

# Every endpoint string the Iceberg REST spec defines (verb, one space, templated path).
SPEC_ENDPOINTS = {
    "GET /v1/{prefix}/namespaces",
    "POST /v1/{prefix}/namespaces",
    "GET /v1/{prefix}/namespaces/{namespace}",
    "HEAD /v1/{prefix}/namespaces/{namespace}",
    "DELETE /v1/{prefix}/namespaces/{namespace}",
    "POST /v1/{prefix}/namespaces/{namespace}/properties",
    "GET /v1/{prefix}/namespaces/{namespace}/tables",
    "POST /v1/{prefix}/namespaces/{namespace}/tables",
    "GET /v1/{prefix}/namespaces/{namespace}/tables/{table}",
    "POST /v1/{prefix}/namespaces/{namespace}/tables/{table}",
    "DELETE /v1/{prefix}/namespaces/{namespace}/tables/{table}",
    "HEAD /v1/{prefix}/namespaces/{namespace}/tables/{table}",
    "POST /v1/{prefix}/namespaces/{namespace}/register",
    "POST /v1/{prefix}/namespaces/{namespace}/tables/{table}/unregister",
    "POST /v1/{prefix}/tables/rename",
    "POST /v1/{prefix}/namespaces/{namespace}/tables/{table}/metrics",
    "POST /v1/{prefix}/transactions/commit",
    "GET /v1/{prefix}/namespaces/{namespace}/tables/{table}/credentials",
    "POST /v1/{prefix}/namespaces/{namespace}/tables/{table}/sign",
    "POST /v1/{prefix}/namespaces/{namespace}/tables/{table}/plan",
    "GET /v1/{prefix}/namespaces/{namespace}/tables/{table}/plan/{plan-id}",
    "DELETE /v1/{prefix}/namespaces/{namespace}/tables/{table}/plan/{plan-id}",
    "POST /v1/{prefix}/namespaces/{namespace}/tables/{table}/tasks",
    "GET /v1/{prefix}/namespaces/{namespace}/views",
    "POST /v1/{prefix}/namespaces/{namespace}/views",
    "GET /v1/{prefix}/namespaces/{namespace}/views/{view}",
    "POST /v1/{prefix}/namespaces/{namespace}/views/{view}",
    "DELETE /v1/{prefix}/namespaces/{namespace}/views/{view}",
    "HEAD /v1/{prefix}/namespaces/{namespace}/views/{view}",
    "POST /v1/{prefix}/views/rename",
    "POST /v1/{prefix}/namespaces/{namespace}/register-view",
    "GET /v1/{prefix}/namespaces/{namespace}/functions",
    "GET /v1/{prefix}/namespaces/{namespace}/functions/{function}",
}

# What the server implements today at the least: namespaces, tables, existence checks, rename.
REQUIRED_ENDPOINTS = {
    "GET /v1/{prefix}/namespaces",
    "POST /v1/{prefix}/namespaces",
    "GET /v1/{prefix}/namespaces/{namespace}",
    "HEAD /v1/{prefix}/namespaces/{namespace}",
    "DELETE /v1/{prefix}/namespaces/{namespace}",
    "POST /v1/{prefix}/namespaces/{namespace}/properties",
    "GET /v1/{prefix}/namespaces/{namespace}/tables",
    "POST /v1/{prefix}/namespaces/{namespace}/tables",
    "GET /v1/{prefix}/namespaces/{namespace}/tables/{table}",
    "POST /v1/{prefix}/namespaces/{namespace}/tables/{table}",
    "DELETE /v1/{prefix}/namespaces/{namespace}/tables/{table}",
    "HEAD /v1/{prefix}/namespaces/{namespace}/tables/{table}",
    "POST /v1/{prefix}/tables/rename",
}

ENDPOINT_RE = re.compile(r"^(GET|HEAD|POST|PUT|DELETE) /v1/\{prefix\}/\S+$")


def check_config_body(body: dict) -> None:
    for key in ("defaults", "overrides"):
        assert isinstance(body.get(key), dict), f"{key} must be an object: {body}"
        for k, v in body[key].items():
            assert isinstance(k, str) and isinstance(v, str), f"{key}.{k} = {v!r} is not a string"


def test_config_for_a_catalog(http, lake, rest):
    for name in (lake.name, rest.prefix):
        body = expect_status(http.get("/v1/config", params={"warehouse": name}), 200)
        check_config_body(body)
        assert body["overrides"].get("prefix") == name

    endpoints = body.get("endpoints")
    assert isinstance(endpoints, list) and endpoints, f"endpoints missing: {body}"
    for e in endpoints:
        assert isinstance(e, str) and ENDPOINT_RE.match(e), f"malformed endpoint {e!r}"
    assert len(set(endpoints)) == len(endpoints), "duplicate endpoints"
    assert set(endpoints) <= SPEC_ENDPOINTS, f"not in the spec: {set(endpoints) - SPEC_ENDPOINTS}"
    missing = REQUIRED_ENDPOINTS - set(endpoints)
    assert not missing, f"endpoints not advertised: {sorted(missing)}"


def test_config_without_warehouse(http):
    body = expect_status(http.get("/v1/config"), 200)
    check_config_body(body)


def test_namespace_and_table_round_trip(rest):
    ns = unique_name("rt")
    created = rest.create_namespace(ns, {"owner": "it"})
    assert created["namespace"] == [ns]
    assert created.get("properties", {}).get("owner") == "it"

    loaded = expect_status(rest.http.get(rest.ns_path(ns)), 200)
    assert loaded["namespace"] == [ns] and loaded["properties"]["owner"] == "it"
    assert [ns] in rest.list_all("/namespaces", "namespaces")

    result = rest.create_table(ns, "t")
    assert isinstance(result["metadata-location"], str) and result["metadata-location"]
    meta = result["metadata"]
    assert meta["format-version"] == 2
    assert meta["current-schema-id"] == 0
    assert [f["name"] for f in meta["schemas"][0]["fields"]] == ["id", "data"]
    assert meta["metadata-log"] == [] and meta["snapshot-log"] == []

    loaded = rest.load_table(ns, "t")
    assert loaded["metadata-location"] == result["metadata-location"]
    assert loaded["metadata"]["table-uuid"] == meta["table-uuid"]

    resp = rest.http.post(rest.table_path(ns, "t"), json={
        "requirements": [{"type": "assert-table-uuid", "uuid": meta["table-uuid"]}],
        "updates": [{"action": "set-properties", "updates": {"k": "v"}}]})
    committed = expect_status(resp, 200)
    assert committed["metadata-location"] != result["metadata-location"]
    assert committed["metadata"]["properties"]["k"] == "v"
    assert committed["metadata"]["metadata-log"][-1]["metadata-file"] == \
        result["metadata-location"]
    assert rest.load_table(ns, "t")["metadata-location"] == committed["metadata-location"]

    assert rest.list_all(f"/namespaces/{ns}/tables", "identifiers") == [
        {"namespace": [ns], "name": "t"}]

    resp = rest.post("/tables/rename", json={"source": {"namespace": [ns], "name": "t"},
                                             "destination": {"namespace": [ns], "name": "u"}})
    assert resp.status_code == 204, resp.text
    assert rest.http.head(rest.table_path(ns, "t")).status_code == 404
    assert rest.load_table(ns, "u")["metadata"]["table-uuid"] == meta["table-uuid"]

    assert rest.http.delete(rest.table_path(ns, "u")).status_code == 204
    assert rest.http.delete(rest.ns_path(ns)).status_code == 204
    assert rest.http.head(rest.ns_path(ns)).status_code == 404


def test_head_table(rest, table):
    ns, tbl = table
    resp = rest.http.head(rest.table_path(ns, tbl))
    assert resp.status_code == 204 and resp.content == b""
    resp = rest.http.head(rest.table_path(ns, "absent"))
    assert resp.status_code == 404 and resp.content == b""
    resp = rest.http.head(rest.table_path(unique_name("absent"), tbl))
    assert resp.status_code == 404


def test_head_namespace(rest, ns):
    resp = rest.http.head(rest.ns_path(ns))
    assert resp.status_code == 204 and resp.content == b""
    assert rest.http.head(rest.ns_path(unique_name("absent"))).status_code == 404


def test_head_answers_carry_no_body(rest):
    """Pipelined on one connection: a body after a HEAD answer would be read as the next
    response (clients then stall until their socket timeout)."""
    host, port = rest.base_url.removeprefix("http://").split(":")
    missing = rest.ns_path(unique_name("absent"))
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"HEAD {missing} HTTP/1.1\r\nHost: x\r\n\r\n"
                     f"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        received = b""
        while b'"alive"' not in received:
            chunk = sock.recv(4096)
            assert chunk, received
            received += chunk
    head, get = received.split(b"HTTP/1.1 200 OK")
    assert head.startswith(b"HTTP/1.1 404") and head.endswith(b"\r\n\r\n")
    assert b"Content-Length: " in head  # what a GET would say, without the bytes
    assert get.endswith(b'{"status":"alive"}')


def test_health_endpoints(http):
    live = expect_status(http.get("/health/live"), 200)
    assert live["status"] == "alive"
    ready = expect_status(http.get("/health/ready"), 200)
    assert ready["status"] == "ready"
    assert http.get("/health").status_code == 200


def test_metrics(http):
    http.get("/health/live")
    resp = http.get("/metrics")
    assert resp.status_code == 200, resp.text
    assert resp.headers.get("Content-Type", "").startswith("text/plain")
    assert "pangolin_http_requests_total" in resp.text


def test_error_responses_are_json(rest):
    resp = rest.http.get(rest.ns_path(unique_name("absent")))
    assert_error(resp, 404, "NoSuchNamespaceException")


def test_namespace_path_encoding_round_trip(rest):
    """Levels with spaces, dots, percent signs and non-ASCII are encoded per level."""
    levels = [unique_name("enc"), "sp ace.dot%pct-ü"]
    rest.create_namespace(levels[:1])
    rest.create_namespace(levels)
    body = rest.http.get(rest.ns_path(levels)).json()
    assert body["namespace"] == levels
    listed = rest.get(f"/namespaces?parent={encode_namespace(levels[:1])}").json()["namespaces"]
    assert listed == [levels]
