"""Bad input against the Iceberg REST API: every request below must be refused with the spec's
error body {"error": {"message", "type", "code"}} (code == HTTP status), must leave the catalog
exactly as it was, and must not disturb the server (the session ends with a clean SIGTERM exit)."""

from __future__ import annotations

import uuid

import pytest
import requests

from pangolin_harness import simple_schema, unique_name
from rest_checks import assert_bad_request, assert_error, raw_request

MIB = 1024 * 1024
BODY_LIMIT = 16 * MIB

# Bodies that are not JSON at all, or JSON of the wrong top-level shape.
MALFORMED_BODIES = [
    b'{"namespace": [',
    b"",
    b"not json",
    b'{"namespace": ["a"]} trailing',
    b'{"namespace": ["a"],}',
    b"\xff\xfe\x00",
    b"[]",
    b"null",
    b"42",
    b'"text"',
]


def json_routes(rest, ns, tbl):
    """Every JSON-consuming route, keyed by a readable name."""
    return {
        "create-namespace": rest.path("/namespaces"),
        "update-properties": rest.ns_path(ns) + "/properties",
        "create-table": rest.ns_path(ns) + "/tables",
        "commit-table": rest.table_path(ns, tbl),
        "rename-table": rest.path("/tables/rename"),
    }


def post_raw_json(rest, path, body: bytes) -> requests.Response:
    return rest.http.post(path, data=body, headers={"Content-Type": "application/json"})


def table_uuid(rest, ns, tbl) -> str:
    return rest.load_table(ns, tbl)["metadata"]["table-uuid"]


def commit(rest, ns, tbl, requirements, updates) -> requests.Response:
    return rest.http.post(rest.table_path(ns, tbl),
                          json={"requirements": requirements, "updates": updates})


# --- malformed and mistyped bodies --------------------------------------------------------------

@pytest.mark.parametrize("route", ["create-namespace", "update-properties", "create-table",
                                   "commit-table", "rename-table"])
def test_malformed_json(rest, table, route):
    ns, tbl = table
    path = json_routes(rest, ns, tbl)[route]
    with rest.unchanged():
        for body in MALFORMED_BODIES:
            resp = post_raw_json(rest, path, body)
            assert resp.status_code == 400, f"body {body!r}: {resp.status_code} {resp.text[:300]}"
            assert_bad_request(resp)


def wrong_type_bodies(ns: str, tbl: str) -> dict[str, list]:
    schema = simple_schema()
    source = {"namespace": [ns], "name": tbl}
    return {
        "create-namespace": [
            {"namespace": "flat-string"},
            {"namespace": [1, 2]},
            {"namespace": None},
            {"properties": {}},
            {"namespace": [unique_name("x")], "properties": {"k": 1}},
            {"namespace": [unique_name("x")], "properties": ["k"]},
            {"namespace": [unique_name("x")], "properties": {"k": None}},
        ],
        "update-properties": [
            {"updates": ["a"]},
            {"removals": "a"},
            {"updates": {"a": 1}},
            {"updates": {"a": None}},
            {"removals": [1]},
        ],
        "create-table": [
            {"name": 5, "schema": schema},
            {"name": "no_schema"},
            {"schema": schema},
            {"name": "x1", "schema": "struct"},
            {"name": "x2", "schema": {"type": "struct", "fields": "none"}},
            {"name": "x3", "schema": {"type": "struct", "fields": [
                {"id": 1, "name": "a", "type": "no-such-type", "required": False}]}},
            {"name": "x4", "schema": schema, "properties": {"a": 1}},
            {"name": "x5", "schema": schema, "stage-create": "yes"},
            {"name": "x6", "schema": schema, "partition-spec": {"spec-id": 0, "fields": [
                {"source-id": 99, "field-id": 1000, "transform": "identity", "name": "p"}]}},
            {"name": "x7", "schema": schema, "write-order": {"order-id": 1, "fields": [
                {"source-id": 99, "transform": "identity", "direction": "asc",
                 "null-order": "nulls-first"}]}},
        ],
        "commit-table": [
            {"requirements": "none", "updates": []},
            {"requirements": [], "updates": {"action": "set-properties", "updates": {}}},
            {"requirements": [], "updates": [{"action": "set-properties", "updates": "a=b"}]},
            {"requirements": [], "updates": [{"action": "set-properties"}]},
            {"requirements": [], "updates": [{"action": "remove-properties", "removals": "a"}]},
            {"requirements": [], "updates": [{"updates": {"a": "b"}}]},
            {"requirements": [{"type": "assert-table-uuid"}], "updates": []},
            {"requirements": [{"uuid": str(uuid.uuid4())}], "updates": []},
            {"requirements": [], "updates": [{"action": "set-current-schema",
                                              "schema-id": "zero"}]},
            {"requirements": [], "updates": [{"action": "add-snapshot"}]},
        ],
        "rename-table": [
            {"source": f"{ns}.{tbl}", "destination": f"{ns}.other"},
            {"source": source},
            {"destination": {"namespace": [ns], "name": "other"}},
            {"source": {"namespace": ns, "name": tbl},
             "destination": {"namespace": [ns], "name": "other"}},
            {"source": source, "destination": {"namespace": [ns], "name": 7}},
        ],
    }


@pytest.mark.parametrize("route", ["create-namespace", "update-properties", "create-table",
                                   "commit-table", "rename-table"])
def test_wrong_types(rest, table, route):
    ns, tbl = table
    path = json_routes(rest, ns, tbl)[route]
    with rest.unchanged():
        for body in wrong_type_bodies(ns, tbl)[route]:
            resp = rest.http.post(path, json=body)
            assert resp.status_code == 400, f"body {body}: {resp.status_code} {resp.text[:300]}"
            assert_bad_request(resp)


# --- commits ------------------------------------------------------------------------------------

def test_unknown_update_action(rest, table):
    ns, tbl = table
    with rest.unchanged():
        assert_bad_request(commit(rest, ns, tbl, [], [{"action": "frobnicate"}]))
        # The whole commit is refused, including the valid update before the unknown one.
        assert_bad_request(commit(rest, ns, tbl, [], [
            {"action": "set-properties", "updates": {"applied": "no"}},
            {"action": "frobnicate", "value": 1},
        ]))
    assert "applied" not in rest.load_table(ns, tbl)["metadata"].get("properties", {})


def test_unknown_requirement_type(rest, table):
    ns, tbl = table
    uid = table_uuid(rest, ns, tbl)
    with rest.unchanged():
        assert_bad_request(commit(rest, ns, tbl, [{"type": "assert-frobnicated"}],
                                  [{"action": "set-properties", "updates": {"a": "b"}}]))
        assert_bad_request(commit(rest, ns, tbl, [
            {"type": "assert-table-uuid", "uuid": uid},
            {"type": "assert-frobnicated", "value": 1},
        ], [{"action": "set-properties", "updates": {"a": "b"}}]))


def test_invalid_updates_are_refused_atomically(rest, table):
    ns, tbl = table
    invalid = [
        {"action": "set-current-schema", "schema-id": 99},
        {"action": "set-default-spec", "spec-id": 99},
        {"action": "set-default-sort-order", "sort-order-id": 99},
        {"action": "set-snapshot-ref", "ref-name": "main", "type": "branch",
         "snapshot-id": 123456789},
        {"action": "remove-schemas", "schema-ids": [0]},  # the current schema
        {"action": "upgrade-format-version", "format-version": 1},  # a downgrade
        {"action": "upgrade-format-version", "format-version": 99},
    ]
    with rest.unchanged():
        for update in invalid:
            resp = commit(rest, ns, tbl, [], [
                {"action": "set-properties", "updates": {"applied": "no"}}, update])
            assert resp.status_code == 400, f"{update}: {resp.status_code} {resp.text[:300]}"
            assert_bad_request(resp)


def test_failed_requirement_is_commit_failed(rest, table):
    ns, tbl = table
    set_props = [{"action": "set-properties", "updates": {"applied": "no"}}]
    failing = [
        [{"type": "assert-table-uuid", "uuid": str(uuid.uuid4())}],
        [{"type": "assert-current-schema-id", "current-schema-id": 42}],
        [{"type": "assert-ref-snapshot-id", "ref": "main", "snapshot-id": 123456789}],
        [{"type": "assert-last-assigned-field-id", "last-assigned-field-id": 99}],
        [{"type": "assert-default-spec-id", "default-spec-id": 7}],
        [{"type": "assert-default-sort-order-id", "default-sort-order-id": 7}],
    ]
    with rest.unchanged():
        for requirements in failing:
            resp = commit(rest, ns, tbl, requirements, set_props)
            assert resp.status_code == 409, \
                f"{requirements}: {resp.status_code} {resp.text[:300]}"
            assert_error(resp, 409, "CommitFailedException", message_contains="Requirement failed")


def test_commit_to_missing_table(rest, ns):
    with rest.unchanged():
        resp = commit(rest, ns, "nope", [], [{"action": "set-properties", "updates": {"a": "b"}}])
        assert_error(resp, 404, "NoSuchTableException")


# --- body size ----------------------------------------------------------------------------------

def test_oversized_body_is_refused_from_its_length(rest):
    """The declared Content-Length alone is enough to refuse; the body is never sent."""
    path = rest.path("/namespaces")
    with rest.unchanged():
        resp = raw_request(rest.base_url, "POST", path, body=b"",
                           headers={"Content-Length": str(BODY_LIMIT + 1)}, send_body=False)
        assert_error(resp, 413)


def test_oversized_body_is_refused(rest):
    name = unique_name("huge")
    payload = (b'{"namespace": ["' + name.encode() + b'"], "properties": {"k": "'
               + b"x" * (BODY_LIMIT + MIB) + b'"}}')
    with rest.unchanged():
        resp = rest.http.post(rest.path("/namespaces"), data=payload,
                              headers={"Content-Type": "application/json"})
        assert_error(resp, 413)


# --- identifiers --------------------------------------------------------------------------------

@pytest.mark.parametrize("levels", [
    [], [""], ["valid", ""], ["", "valid"], ["a\x1fb"], ["valid", "b\x1f"], ["a\x00b"],
], ids=["no-levels", "empty", "empty-last", "empty-first", "separator-inside",
        "separator-at-end", "nul-byte"])
def test_create_namespace_with_invalid_levels(rest, levels):
    with rest.unchanged():
        assert_bad_request(rest.post("/namespaces", json={"namespace": levels, "properties": {}}))


BAD_NAMESPACE_SEGMENTS = [
    "%1F", "%1F%1F", "a%1F", "%1Fa", "a%1F%1Fb",  # empty levels
    "a%ZZ", "a%2", "a%", "%FF", "a%E2%82",  # bad percent-encoding / not UTF-8
]


def test_invalid_namespace_in_path(rest):
    with rest.unchanged():
        for segment in BAD_NAMESPACE_SEGMENTS:
            base = rest.path(f"/namespaces/{segment}")
            for method, path in [("GET", base), ("DELETE", base), ("GET", base + "/tables"),
                                 ("GET", base + "/tables/t")]:
                resp = raw_request(rest.base_url, method, path)
                assert resp.status_code == 400, f"{method} {path}: {resp.status_code} {resp.text}"
                assert_bad_request(resp)
            resp = raw_request(rest.base_url, "HEAD", base)
            assert resp.status_code == 400, f"HEAD {base}: {resp.status_code}"
            resp = raw_request(rest.base_url, "POST", base + "/properties",
                               body=b'{"updates": {"a": "b"}}')
            assert_bad_request(resp)


def test_invalid_parent_and_table_name_in_path(rest, ns):
    with rest.unchanged():
        for parent in ["a%ZZ", "%1F", "a%1F", "%FF"]:
            resp = raw_request(rest.base_url, "GET", rest.path(f"/namespaces?parent={parent}"))
            assert_bad_request(resp)
        for name in ["t%ZZ", "t%", "%FF"]:
            resp = raw_request(rest.base_url, "GET", rest.table_path(ns, name))
            assert_bad_request(resp)
        assert_bad_request(rest.http.post(rest.ns_path(ns) + "/tables",
                                          json={"name": "", "schema": simple_schema()}))


def test_invalid_page_size(rest, ns):
    with rest.unchanged():
        for size in ["0", "-5", "abc"]:
            assert_bad_request(rest.get("/namespaces", params={"pageSize": size}))
            assert_bad_request(rest.http.get(rest.ns_path(ns) + "/tables",
                                             params={"pageSize": size}))


# --- missing things -----------------------------------------------------------------------------

def test_missing_namespace(rest):
    missing = unique_name("missing")
    expected = f"Namespace does not exist: {missing}"
    with rest.unchanged():
        for resp in [
            rest.http.get(rest.ns_path(missing)),
            rest.http.delete(rest.ns_path(missing)),
            rest.http.get(rest.ns_path(missing) + "/tables"),
            rest.http.post(rest.ns_path(missing) + "/tables",
                           json={"name": "t", "schema": simple_schema()}),
            rest.http.post(rest.ns_path(missing) + "/properties", json={"updates": {"a": "b"}}),
        ]:
            assert_error(resp, 404, "NoSuchNamespaceException", message_contains=expected)
        assert rest.http.head(rest.ns_path(missing)).status_code == 404


def test_missing_table(rest, ns):
    with rest.unchanged():
        resp = rest.http.get(rest.table_path(ns, "t"))
        assert_error(resp, 404, "NoSuchTableException", message=f"Table does not exist: {ns}.t")
        resp = rest.http.delete(rest.table_path(ns, "t"))
        assert_error(resp, 404, "NoSuchTableException")
        assert rest.http.head(rest.table_path(ns, "t")).status_code == 404


def test_load_table_in_missing_namespace(rest):
    missing = unique_name("missing")
    with rest.unchanged():
        resp = rest.http.get(rest.table_path(missing, "t"))
        assert_error(resp, 404, "NoSuchTableException",
                     message=f"Table does not exist: {missing}.t")


def test_rename_errors(rest, table):
    ns, tbl = table
    rest.create_table(ns, "taken")

    def rename(src_ns, src, dst_ns, dst):
        return rest.post("/tables/rename", json={
            "source": {"namespace": [src_ns], "name": src},
            "destination": {"namespace": [dst_ns], "name": dst}})

    with rest.unchanged():
        assert_error(rename(ns, "nope", ns, "other"), 404, "NoSuchTableException")
        assert_error(rename(ns, tbl, ns, "taken"), 409, "AlreadyExistsException")
        assert_error(rename(ns, tbl, unique_name("missing"), "other"), 404,
                     "NoSuchNamespaceException")


def test_unknown_warehouse(http):
    resp = http.get("/v1/config", params={"warehouse": unique_name("no_such_warehouse")})
    assert_error(resp, 404, "NoSuchWarehouseException")


def test_unknown_prefix_and_route(rest):
    with rest.unchanged():
        assert_error(rest.http.get(f"/v1/{unique_name('no_such_catalog')}/namespaces"), 404)
        assert_error(rest.get("/no-such-route"), 404)


# --- conflicts ----------------------------------------------------------------------------------

def test_duplicate_namespace(rest, ns):
    with rest.unchanged():
        resp = rest.post("/namespaces", json={"namespace": [ns], "properties": {"x": "y"}})
        assert_error(resp, 409, "AlreadyExistsException", message_contains="Namespace already exists")
    assert "x" not in rest.http.get(rest.ns_path(ns)).json()["properties"]


def test_duplicate_table(rest, table):
    ns, tbl = table
    with rest.unchanged():
        resp = rest.http.post(rest.ns_path(ns) + "/tables",
                              json={"name": tbl, "schema": simple_schema()})
        assert_error(resp, 409, "AlreadyExistsException",
                     message=f"Table already exists: {ns}.{tbl}")


def test_drop_non_empty_namespace(rest, table):
    ns, _ = table
    with rest.unchanged():
        resp = rest.http.delete(rest.ns_path(ns))
        assert_error(resp, 409, "NamespaceNotEmptyException", message_contains="is not empty")


def test_property_in_updates_and_removals(rest, ns):
    with rest.unchanged():
        resp = rest.http.post(rest.ns_path(ns) + "/properties",
                              json={"removals": ["purpose", "b"], "updates": {"purpose": "x"}})
        assert_error(resp, 422, "UnprocessableEntityException")

