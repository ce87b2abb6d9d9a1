"""ETag and If-None-Match on loadTable, registerTable, atomic multi-table transactions and
Idempotency-Key replay over HTTP, each checked against the catalog's state afterwards."""

from __future__ import annotations

import gzip
import json
import os
import socket
import time
import uuid

from rest_checks import assert_error, expect_status


def set_property(ns: str, table: str, key: str, requirements: list | None = None) -> dict:
    return {"identifier": {"namespace": [ns], "name": table},
            "requirements": requirements or [],
            "updates": [{"action": "set-properties", "updates": {key: "v"}}]}


IDENTITY = {"Accept-Encoding": "identity"}


def test_load_table_etag_and_if_none_match(rest, table):
    ns, tbl = table
    first = rest.http.get(rest.table_path(ns, tbl), headers=IDENTITY)
    assert "Content-Encoding" not in first.headers
    etag = first.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert rest.http.get(rest.table_path(ns, tbl), headers=IDENTITY).headers["ETag"] == etag

    cached = rest.http.get(rest.table_path(ns, tbl), headers={"If-None-Match": etag})
    assert cached.status_code == 304 and cached.content == b""
    assert cached.headers["ETag"] == etag
    weak = rest.http.get(rest.table_path(ns, tbl), headers={"If-None-Match": f'"x", W/{etag}'})
    assert weak.status_code == 304

    refs = rest.http.get(rest.table_path(ns, tbl), params={"snapshots": "refs"}, headers=IDENTITY)
    assert refs.status_code == 200 and refs.headers["ETag"] != etag  # another representation

    commit = rest.http.post(rest.table_path(ns, tbl), json=set_property(ns, tbl, "k"),
                            headers=IDENTITY)
    new_etag = expect_status(commit, 200) and commit.headers["ETag"]
    assert new_etag != etag
    stale = rest.http.get(rest.table_path(ns, tbl), headers={"If-None-Match": etag, **IDENTITY})
    assert stale.status_code == 200 and stale.headers["ETag"] == new_etag
    assert stale.json()["metadata"]["properties"]["k"] == "v"

    # A table whose metadata file was removed fails to load, also for a client holding its ETag.
    location = stale.json()["metadata-location"]
    assert location.startswith("file://")
    os.remove(location[len("file://"):])
    for headers in ({"If-None-Match": new_etag}, {}):
        gone = rest.http.get(rest.table_path(ns, tbl), headers=headers)
        assert gone.status_code == 404, gone.text


def test_load_table_gzip(rest, table):
    """What the Java client and PyIceberg ask for by default: the metadata compressed, from the
    second answer of a version on, with the weak form of the ETag, which If-None-Match matches."""
    ns, tbl = table
    for i in range(40):  # about 6 KB of properties, to see the compression at work
        commit = rest.http.post(rest.table_path(ns, tbl),
                                json=set_property(ns, tbl, f"key-{i:03}-{'x' * 120}"))
        expect_status(commit, 200)
        # A version's first answer (here, the commit's) is sent as it is: it may be its only one.
        assert "Content-Encoding" not in commit.headers
    plain = rest.http.get(rest.table_path(ns, tbl), headers=IDENTITY)
    for _ in range(2):
        packed = rest.http.get(rest.table_path(ns, tbl), headers={"Accept-Encoding": "gzip"},
                               stream=True)
        raw = packed.raw.read(decode_content=False)
        assert packed.headers["Content-Encoding"] == "gzip"
        assert packed.headers["Vary"] == "Accept-Encoding"
        assert int(packed.headers["Content-Length"]) == len(raw) < len(plain.content) / 4
        assert json.loads(gzip.decompress(raw)) == plain.json()
        assert packed.headers["ETag"] == "W/" + plain.headers["ETag"]
    again = rest.http.get(rest.table_path(ns, tbl),
                          headers={"If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    # A client that refuses gzip gets the bytes as they are.
    refused = rest.http.get(rest.table_path(ns, tbl), headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers and refused.content == plain.content


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


def add_snapshot_commit(ns: str, table: str, snapshot_id: int) -> dict:
    """A commit that is not idempotent by nature: run twice, its requirement fails."""
    snapshot = {"snapshot-id": snapshot_id, "timestamp-ms": int(time.time() * 1000),
                "sequence-number": 1,
                "manifest-list": f"/tmp/{snapshot_id}.avro", "summary": {"operation": "append"},
                "schema-id": 0}
    return {"requirements": [{"type": "assert-ref-snapshot-id", "ref": "main", "snapshot-id": None}],
            "updates": [{"action": "add-snapshot", "snapshot": snapshot},
                        {"action": "set-snapshot-ref", "ref-name": "main", "type": "branch",
                         "snapshot-id": snapshot_id}]}


def test_config_advertises_idempotency(rest):
    config = expect_status(rest.http.get("/v1/config", params={"warehouse": rest.prefix}), 200)
    assert config["idempotency-key-lifetime"] == "PT1800S"


def test_retried_commit_whose_response_was_lost_is_applied_once(rest, table):
    ns, tbl = table
    key = str(uuid.uuid4())
    body = json.dumps(add_snapshot_commit(ns, tbl, 101)).encode()
    path = rest.table_path(ns, tbl)
    # The first attempt's connection drops as the answer starts to arrive.
    host, port = rest.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                     f"Idempotency-Key: {key}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                     + body)
        assert sock.recv(1) == b"H"
    # The client retries with the same key: it gets the first answer, not a requirement failure.
    retry = rest.http.post(path, data=body, headers={"Idempotency-Key": key,
                                                     "Content-Type": "application/json"})
    first = expect_status(retry, 200)
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert retry.headers["ETag"]
    again = rest.http.post(path, data=body, headers={"Idempotency-Key": key,
                                                     "Content-Type": "application/json"})
    assert expect_status(again, 200) == first
    loaded = rest.load_table(ns, tbl)
    assert loaded["metadata-location"] == first["metadata-location"]
    assert [s["snapshot-id"] for s in loaded["metadata"]["snapshots"]] == [101]
    assert len(loaded["metadata"]["metadata-log"]) == 1  # one commit after the create

    # Without the key, the same request runs again and its requirement fails.
    assert_error(rest.http.post(path, data=body, headers={"Content-Type": "application/json"}),
                 409, "CommitFailedException")


def test_idempotency_key_misuse(rest, table):
    ns, tbl = table
    key = str(uuid.uuid4())
    path = rest.table_path(ns, tbl)
    first = rest.http.post(path, json=set_property(ns, tbl, "a"), headers={"Idempotency-Key": key})
    expect_status(first, 200)
    with rest.unchanged():
        other = rest.http.post(path, json=set_property(ns, tbl, "b"),
                               headers={"Idempotency-Key": key})
        assert_error(other, 422, "UnprocessableEntityException", message_contains=key)
        bad = rest.http.post(path, json=set_property(ns, tbl, "b"),
                             headers={"Idempotency-Key": "not-a-uuid"})
        assert_error(bad, 400, "BadRequestException", message_contains="Idempotency-Key")
        # Final client errors are replayed too.
        missing_key = str(uuid.uuid4())
        for _ in range(2):
            gone = rest.http.delete(rest.table_path(ns, "nope"),
                                    headers={"Idempotency-Key": missing_key})
            assert_error(gone, 404, "NoSuchTableException")


def test_unregister_keeps_the_files_and_registers_again(rest, table):
    ns, tbl = table
    committed = expect_status(rest.http.post(rest.table_path(ns, tbl),
                                             json=set_property(ns, tbl, "k")), 200)
    resp = rest.http.post(rest.table_path(ns, tbl) + "/unregister")
    body = expect_status(resp, 200)
    assert body["metadata-location"] == committed["metadata-location"]
    assert body["metadata"]["properties"]["k"] == "v"  # every earlier commit is in it
    assert rest.http.head(rest.table_path(ns, tbl)).status_code == 404
    assert_error(rest.http.post(rest.table_path(ns, tbl), json=set_property(ns, tbl, "j")), 404,
                 "NoSuchTableException")
    assert_error(rest.http.post(rest.table_path(ns, tbl) + "/unregister"), 404,
                 "NoSuchTableException")
    again = rest.post(f"/namespaces/{ns}/register",
                      json={"name": tbl, "metadata-location": body["metadata-location"]})
    assert expect_status(again, 200)["metadata"]["table-uuid"] == body["metadata"]["table-uuid"]


def test_format_v1_upgrades_to_v3_with_row_lineage(rest, ns):
    created = rest.create_table(ns, "old", properties={"format-version": "1"})
    assert created["metadata"]["format-version"] == 1
    path = rest.table_path(ns, "old")
    now = int(time.time() * 1000)
    v1_snapshot = {"snapshot-id": 1, "timestamp-ms": now, "manifest-list": "/tmp/1.avro",
                   "summary": {"operation": "append"}, "schema-id": 0}
    expect_status(rest.http.post(path, json={"requirements": [], "updates": [
        {"action": "add-snapshot", "snapshot": v1_snapshot},
        {"action": "set-snapshot-ref", "ref-name": "main", "type": "branch", "snapshot-id": 1}]}),
        200)
    upgraded = expect_status(rest.http.post(path, json={"requirements": [], "updates": [
        {"action": "upgrade-format-version", "format-version": 3}]}), 200)["metadata"]
    assert upgraded["format-version"] == 3 and upgraded["next-row-id"] == 0
    assert "first-row-id" not in upgraded["snapshots"][0]  # snapshots from before keep none

    def append(snapshot_id: int, first_row_id: int | None, parent: int) -> dict:
        snapshot = {"snapshot-id": snapshot_id, "parent-snapshot-id": parent,
                    "timestamp-ms": now + snapshot_id, "sequence-number": snapshot_id,
                    "manifest-list": f"/tmp/{snapshot_id}.avro", "schema-id": 0,
                    "summary": {"operation": "append"}, "added-rows": 5}
        if first_row_id is not None:
            snapshot["first-row-id"] = first_row_id
        return {"requirements": [], "updates": [
            {"action": "add-snapshot", "snapshot": snapshot},
            {"action": "set-snapshot-ref", "ref-name": "main", "type": "branch",
             "snapshot-id": snapshot_id}]}

    after = expect_status(rest.http.post(path, json=append(2, 0, 1)), 200)["metadata"]
    assert after["next-row-id"] == 5
    with rest.unchanged():
        # A writer that read next-row-id before that commit must re-base (409), not overlap ids.
        assert_error(rest.http.post(path, json=append(3, 0, 2)), 409, "CommitFailedException")
        assert_error(rest.http.post(path, json=append(3, None, 2)), 400,
                     {"ValidationException", "BadRequestException", "IllegalArgumentException"})
    assert expect_status(rest.http.post(path, json=append(3, 5, 2)), 200)["metadata"][
        "next-row-id"] == 10
