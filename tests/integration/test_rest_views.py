"""Views over plain HTTP: replace (view commits with requirements), rename, ETag, errors in the
Java client's words, and the catalog left unchanged by every refused request."""

from __future__ import annotations

from pangolin_harness import expect_status, simple_schema
from rest_checks import assert_error


def create_body(name: str, sql: str = "SELECT 1", dialect: str = "spark") -> dict:
    return {"name": name, "schema": simple_schema(),
            "view-version": {"version-id": 1, "schema-id": 0, "timestamp-ms": 1,
                             "summary": {"engine-name": "tests"}, "default-namespace": ["x"],
                             "representations": [{"type": "sql", "sql": sql,
                                                  "dialect": dialect}]},
            "properties": {"owner": "tests"}}


def wider_schema() -> dict:
    schema = simple_schema()
    schema["fields"].append({"id": 3, "name": "extra", "type": "int", "required": False})
    return schema


def view_path(rest, ns: str, name: str) -> str:
    return f"{rest.ns_path(ns)}/views/{name}"


def replace_body(uuid: str, sql: str, dialect: str = "spark") -> dict:
    version = {"version-id": -1, "schema-id": -1, "timestamp-ms": 2, "summary": {},
               "default-namespace": ["x"],
               "representations": [{"type": "sql", "sql": sql, "dialect": dialect}]}
    return {"requirements": [{"type": "assert-view-uuid", "uuid": uuid}],
            "updates": [{"action": "add-schema", "schema": wider_schema()},
                        {"action": "add-view-version", "view-version": version},
                        {"action": "set-current-view-version", "view-version-id": -1},
                        {"action": "set-properties", "updates": {"k": "v"}}]}


def test_view_lifecycle(rest, ns):
    created = expect_status(rest.http.post(f"{rest.ns_path(ns)}/views", json=create_body("v")), 200)
    uuid = created["metadata"]["view-uuid"]
    assert created["metadata"]["current-version-id"] == 1
    assert created["metadata-location"].endswith(".gz.metadata.json")

    first = rest.http.get(view_path(rest, ns, "v"))
    etag = first.headers["ETag"]
    assert rest.http.get(view_path(rest, ns, "v"),
                         headers={"If-None-Match": etag}).status_code == 304

    replaced = expect_status(rest.http.post(view_path(rest, ns, "v"),
                                            json=replace_body(uuid, "SELECT 2")), 200)
    metadata = replaced["metadata"]
    assert metadata["current-version-id"] == 2
    assert [v["version-id"] for v in metadata["versions"]] == [1, 2]
    assert metadata["properties"] == {"owner": "tests", "k": "v"}
    assert [e["version-id"] for e in metadata["version-log"]] == [1, 2]
    after = rest.http.get(view_path(rest, ns, "v"), headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["ETag"] != etag

    resp = rest.post("/views/rename", json={"source": {"namespace": [ns], "name": "v"},
                                            "destination": {"namespace": [ns], "name": "w"}})
    assert resp.status_code == 204, resp.text
    assert rest.http.head(view_path(rest, ns, "v")).status_code == 404
    assert rest.http.head(view_path(rest, ns, "w")).status_code == 204
    listed = expect_status(rest.http.get(f"{rest.ns_path(ns)}/views"), 200)
    assert listed["identifiers"] == [{"namespace": [ns], "name": "w"}]
    assert rest.http.delete(view_path(rest, ns, "w")).status_code == 204
    assert rest.http.head(view_path(rest, ns, "w")).status_code == 404


def test_refused_view_requests_change_nothing(rest, ns):
    created = expect_status(rest.http.post(f"{rest.ns_path(ns)}/views", json=create_body("v")), 200)
    uuid = created["metadata"]["view-uuid"]
    rest.create_table(ns, "t")
    with rest.unchanged():
        assert_error(rest.http.post(view_path(rest, ns, "v"),
                                    json=replace_body("00000000-0000-0000-0000-000000000000", "S")),
                     409, "CommitFailedException", message_contains="view UUID does not match")
        # Replacing must not drop the spark dialect unless the view allows it.
        assert_error(rest.http.post(view_path(rest, ns, "v"),
                                    json=replace_body(uuid, "SELECT 3", dialect="trino")),
                     400, {"IllegalArgumentException", "BadRequestException",
                           "ValidationException"}, message_contains="dialect")
        assert_error(rest.http.post(view_path(rest, ns, "v"),
                                    json={"updates": [{"action": "add-spec", "spec": {}}]}),
                     400, "BadRequestException", message_contains="add-spec")
        assert_error(rest.http.post(f"{rest.ns_path(ns)}/views", json=create_body("t")), 409,
                     "AlreadyExistsException",
                     message=f"Table with same name already exists: {ns}.t")
        assert_error(rest.http.post(f"{rest.ns_path(ns)}/tables",
                                    json={"name": "v", "schema": simple_schema()}),
                     409, "AlreadyExistsException",
                     message=f"View with same name already exists: {ns}.v")
        assert_error(rest.http.get(view_path(rest, ns, "nope")), 404, "NoSuchViewException",
                     message=f"View does not exist: {ns}.nope")
        assert_error(rest.http.get(view_path(rest, "no_such_ns", "v")), 404,
                     "NoSuchViewException", message="View does not exist: no_such_ns.v")
        assert_error(rest.http.get(rest.table_path(ns, "v")), 404, "NoSuchTableException")
        rename = {"source": {"namespace": [ns], "name": "v"},
                  "destination": {"namespace": [ns], "name": "t"}}
        assert_error(rest.post("/views/rename", json=rename), 409, "AlreadyExistsException",
                     message=f"Cannot rename {ns}.v to {ns}.t. Table already exists")
        rename_table = {"source": {"namespace": [ns], "name": "t"},
                        "destination": {"namespace": [ns], "name": "v"}}
        assert_error(rest.post("/tables/rename", json=rename_table), 409,
                     "AlreadyExistsException",
                     message=f"Cannot rename {ns}.t to {ns}.v. View already exists")
        assert_error(rest.http.delete(rest.ns_path(ns)), 409, "NamespaceNotEmptyException")
        assert_error(rest.http.post(f"{rest.ns_path(ns)}/views", json={"name": "x"}), 400,
                     "BadRequestException")
