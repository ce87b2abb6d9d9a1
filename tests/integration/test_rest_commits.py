"""ETag and If-None-Match on loadTable, registerTable, and atomic multi-table transactions over
HTTP, each checked against the catalog's state afterwards."""

from __future__ import annotations

from rest_checks import assert_error, expect_status


def set_property(ns: str, table: str, key: str, requirements: list | None = None) -> dict:
    return {"identifier": {"namespace": [ns], "name": table},
            "requirements": requirements or [],
            "updates": [{"action": "set-properties", "updates": {key: "v"}}]}


def test_load_table_etag_and_if_none_match(rest, table):
    ns, tbl = table
    first = rest.http.get(rest.table_path(ns, tbl))
    etag = first.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert rest.http.get(rest.table_path(ns, tbl)).headers["ETag"] == etag  # stable

    cached = rest.http.get(rest.table_path(ns, tbl), headers={"If-None-Match": etag})
    assert cached.status_code == 304 and cached.content == b""
    assert cached.headers["ETag"] == etag
    weak = rest.http.get(rest.table_path(ns, tbl), headers={"If-None-Match": f'"x", W/{etag}'})
    assert weak.status_code == 304

    refs = rest.http.get(rest.table_path(ns, tbl), params={"snapshots": "refs"})
    assert refs.status_code == 200 and refs.headers["ETag"] != etag  # another representation

    commit = rest.http.post(rest.table_path(ns, tbl), json=set_property(ns, tbl, "k"))
    new_etag = expect_status(commit, 200) and commit.headers["ETag"]
    assert new_etag != etag
    stale = rest.http.get(rest.table_path(ns, tbl), headers={"If-None-Match": etag})
    assert stale.status_code == 200 and stale.headers["ETag"] == new_etag
    assert stale.json()["metadata"]["properties"]["k"] == "v"


def test_register_table(rest, table):
    ns, tbl = table
    location = rest.load_table(ns, tbl)["metadata-location"]
    resp = rest.post(f"/namespaces/{ns}/register", json={"name": "copy", "metadata-location": location})
    body = expect_status(resp, 200)
    assert body["metadata-location"] == location and resp.headers["ETag"]
    assert rest.load_table(ns, "copy")["metadata"]["table-uuid"] == body["metadata"]["table-uuid"]

    with rest.unchanged():
        again = rest.post(f"/namespaces/{ns}/register",
                          json={"name": "copy", "metadata-location": location})
        assert_error(again, 409, "AlreadyExistsException", message=f"Table already exists: {ns}.copy")
        missing = rest.post(f"/namespaces/{ns}/register",
                            json={"name": "x", "metadata-location": location + ".missing"})
        assert_error(missing, 404, "NotFoundException",
                     message_contains="Failed to open input stream for file")
        outside = rest.post(f"/namespaces/{ns}/register",
                            json={"name": "x", "metadata-location": "file:///etc/hosts"})
        assert_error(outside, 403, "ForbiddenException")
        assert_error(rest.post(f"/namespaces/{ns}/register", json={"name": "x"}), 400,
                     "BadRequestException")


def test_transaction_commits_all_tables(rest, ns):
    rest.create_table(ns, "a")
    rest.create_table(ns, "b")
    body = {"table-changes": [set_property(ns, "a", "k"), set_property(ns, "b", "k")]}
    resp = rest.post("/transactions/commit", json=body)
    assert resp.status_code == 204, resp.text
    assert rest.load_table(ns, "a")["metadata"]["properties"]["k"] == "v"
    assert rest.load_table(ns, "b")["metadata"]["properties"]["k"] == "v"


def test_transaction_failing_on_second_table_changes_nothing(rest, ns):
    rest.create_table(ns, "a")
    rest.create_table(ns, "b")
    with rest.unchanged():
        stale = [{"type": "assert-table-uuid", "uuid": "00000000-0000-0000-0000-000000000000"}]
        body = {"table-changes": [set_property(ns, "a", "k"), set_property(ns, "b", "k", stale)]}
        assert_error(rest.post("/transactions/commit", json=body), 409, "CommitFailedException",
                     message_contains="UUID does not match")
        missing = {"table-changes": [set_property(ns, "a", "k"), set_property(ns, "nope", "k")]}
        assert_error(rest.post("/transactions/commit", json=missing), 404, "NoSuchTableException")
        twice = {"table-changes": [set_property(ns, "a", "k"), set_property(ns, "a", "j")]}
        assert_error(rest.post("/transactions/commit", json=twice), 400, "BadRequestException")
        no_id = {"table-changes": [{"requirements": [], "updates": []}]}
        assert_error(rest.post("/transactions/commit", json=no_id), 400, "BadRequestException")
        assert_error(rest.post("/transactions/commit", json={"table-changes": []}), 400,
                     "BadRequestException")
