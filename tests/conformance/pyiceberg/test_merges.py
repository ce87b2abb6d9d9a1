"""Catalog merges with PyIceberg: a branch's writes published on main by a merge, branches
changing different tables merged cleanly, typed conflicts resolved with TakeSource, TakeTarget or
ThreeWayMerge, a target change after the analysis detected, rebase, and merges completing while
main takes commits."""

from __future__ import annotations

import threading

import pyarrow as pa
import pytest
from pyiceberg.catalog.rest import RestCatalog
from pyiceberg.exceptions import CommitFailedException

from pangolin_harness import Http, expect_status, unique_name
from table_data import SCHEMA, as_rows, rows


def create_branch(http: Http, catalog: str, name: str, **extra: object) -> dict:
    body = {"name": name, "catalog": catalog, **extra}
    return expect_status(http.post("/api/v1/branches", json=body), 201)


def merge(http: Http, catalog: str, source: str, target: str = "main"):
    return http.post("/api/v1/branches/merge",
                     json={"source_branch": source, "target_branch": target, "catalog": catalog})


def conflicts(http: Http, operation_id: str) -> list[dict]:
    return expect_status(http.get(f"/api/v1/merge-operations/{operation_id}/conflicts"), 200)


def resolve(http: Http, conflict_id: str, strategy: str):
    return http.post(f"/api/v1/conflicts/{conflict_id}/resolve", json={"strategy": strategy})


def table_rows(catalog: RestCatalog, name: str) -> list[dict]:
    return as_rows(catalog.load_table(name).scan().to_arrow())


def ranges(*spans: tuple[int, int]) -> list[dict]:
    """The rows of several id ranges (start, count), as table_rows returns them."""
    return as_rows(pa.concat_tables([rows(start, count) for start, count in spans]))


@pytest.fixture
def sales(catalog: RestCatalog, namespace: str) -> str:
    """`<namespace>.sales` on main with ids 0..9."""
    catalog.create_table(f"{namespace}.sales", schema=SCHEMA).append(rows(0, 10))
    return f"{namespace}.sales"


def test_merge_publishes_a_branch_on_main(catalog: RestCatalog, http: Http, lake,
                                          namespace: str, sales: str) -> None:
    dev = unique_name("dev")
    create_branch(http, lake.name, dev)
    catalog.load_table(f"{sales}@{dev}").append(rows(10, 5))
    catalog.create_table(f"{namespace}.fresh@{dev}", schema=SCHEMA).append(rows(0, 2))
    assert table_rows(catalog, sales) == as_rows(rows(0, 10))

    op = expect_status(merge(http, lake.name, dev), 200)
    assert op["status"] == "Completed"
    assert op["source_branch"] == dev and op["target_branch"] == "main"
    assert op["conflicts"] == [] and op["base_commit_id"]
    assert sorted(c["name"] for c in op["changes"]) == sorted([sales, f"{namespace}.fresh"])
    assert table_rows(catalog, sales) == as_rows(rows(0, 15))
    assert table_rows(catalog, f"{namespace}.fresh") == as_rows(rows(0, 2))

    head = expect_status(http.get("/api/v1/branches/main/commits",
                                  params={"catalog": lake.name, "limit": 1}), 200)[0]
    dev_head = expect_status(http.get(f"/api/v1/branches/{dev}", params={"catalog": lake.name}),
                             200)["head_commit_id"]
    assert head["id"] == op["result_commit_id"]
    assert head["merge_parent_id"] == dev_head
    # Merging again brings nothing: no new commit.
    again = expect_status(merge(http, lake.name, dev), 200)
    assert again["status"] == "Completed" and again["result_commit_id"] is None
    # More work on dev merges from the previous merge as the base.
    catalog.load_table(f"{sales}@{dev}").append(rows(15, 1))
    third = expect_status(merge(http, lake.name, dev), 200)
    assert third["base_commit_id"] == dev_head
    assert [c["name"] for c in third["changes"]] == [sales]
    assert table_rows(catalog, sales) == as_rows(rows(0, 16))


def test_branches_changing_different_tables_merge_cleanly(catalog: RestCatalog, http: Http, lake,
                                                         namespace: str) -> None:
    for name in ("a", "b"):
        catalog.create_table(f"{namespace}.{name}", schema=SCHEMA).append(rows(0, 1))
    x, y = unique_name("x"), unique_name("y")
    create_branch(http, lake.name, x)
    create_branch(http, lake.name, y)
    catalog.load_table(f"{namespace}.a@{x}").append(rows(1, 1))
    catalog.load_table(f"{namespace}.b@{y}").append(rows(1, 2))
    catalog.create_namespace(f"{namespace}_new@{y}")

    assert expect_status(merge(http, lake.name, x), 200)["status"] == "Completed"
    assert expect_status(merge(http, lake.name, y), 200)["status"] == "Completed"
    assert table_rows(catalog, f"{namespace}.a") == as_rows(rows(0, 2))
    assert table_rows(catalog, f"{namespace}.b") == as_rows(rows(0, 3))
    assert (f"{namespace}_new",) in catalog.list_namespaces()


def conflicting_appends(catalog: RestCatalog, http: Http, lake, sales: str) -> dict:
    """dev appends 10..14 to sales, main appends 100..102: a DataOverlap conflict."""
    dev = unique_name("dev")
    create_branch(http, lake.name, dev)
    catalog.load_table(f"{sales}@{dev}").append(rows(10, 5))
    catalog.load_table(sales).append(rows(100, 3))
    body = expect_status(merge(http, lake.name, dev), 409)
    assert body["status"] == "conflicted" and body["conflicts"] == 1
    return body


@pytest.mark.parametrize("strategy,expected", [
    ("TakeSource", [(0, 15)]),
    ("TakeTarget", [(0, 10), (100, 3)]),
])
def test_both_sides_appending_conflict_and_resolve(catalog: RestCatalog, http: Http, lake,
                                                   sales: str, strategy: str,
                                                   expected: list[tuple[int, int]]) -> None:
    body = conflicting_appends(catalog, http, lake, sales)
    op_id = body["operation_id"]
    (conflict,) = conflicts(http, op_id)
    assert list(conflict["conflict_type"]) == ["DataOverlap"]
    assert conflict["conflict_type"]["DataOverlap"]["asset_name"] == sales
    assert "added snapshots" in conflict["description"]
    # Not complete while unresolved; ThreeWayMerge cannot combine two appends' snapshots.
    expect_status(http.post(f"/api/v1/merge-operations/{op_id}/complete"), 400)
    refused = expect_status(resolve(http, conflict["id"], "ThreeWayMerge"), 409)
    assert "both added snapshots" in refused["error"]

    resolved = expect_status(resolve(http, conflict["id"], strategy), 200)
    assert resolved["operation_status"] == "Ready"
    done = expect_status(http.post(f"/api/v1/merge-operations/{op_id}/complete"), 200)
    assert done["status"] == "completed" and done["commit_id"]
    assert table_rows(catalog, sales) == ranges(*expected)
    op = expect_status(http.get(f"/api/v1/merge-operations/{op_id}"), 200)
    assert op["status"] == "Completed" and op["result_commit_id"] == done["commit_id"]
    (after,) = conflicts(http, op_id)
    assert after["resolution"]["strategy"] == strategy


def test_three_way_merge_combines_a_property_change_with_an_append(
        catalog: RestCatalog, http: Http, lake, sales: str) -> None:
    dev = unique_name("dev")
    create_branch(http, lake.name, dev)
    with catalog.load_table(f"{sales}@{dev}").transaction() as tx:
        tx.set_properties(owner="dev")
    catalog.load_table(sales).append(rows(100, 2))
    body = expect_status(merge(http, lake.name, dev), 409)
    (conflict,) = conflicts(http, body["operation_id"])
    assert list(conflict["conflict_type"]) == ["MetadataConflict"]
    expect_status(resolve(http, conflict["id"], "ThreeWayMerge"), 200)
    expect_status(http.post(f"/api/v1/merge-operations/{body['operation_id']}/complete"), 200)
    merged = catalog.load_table(sales)
    assert merged.properties["owner"] == "dev"
    assert table_rows(catalog, sales) == ranges((0, 10), (100, 2))


def test_delete_versus_modify(catalog: RestCatalog, http: Http, lake, sales: str) -> None:
    dev = unique_name("dev")
    create_branch(http, lake.name, dev)
    catalog.drop_table(f"{sales}@{dev}")
    catalog.load_table(sales).append(rows(100, 1))
    body = expect_status(merge(http, lake.name, dev), 409)
    (conflict,) = conflicts(http, body["operation_id"])
    assert conflict["conflict_type"] == {"DeletionConflict": {
        "asset_name": sales, "deleted_in": "source", "modified_in": "target"}}
    expect_status(resolve(http, conflict["id"], "ThreeWayMerge"), 409)
    expect_status(resolve(http, conflict["id"], "TakeSource"), 200)
    expect_status(http.post(f"/api/v1/merge-operations/{body['operation_id']}/complete"), 200)
    assert not catalog.table_exists(sales)


def test_a_target_change_after_the_analysis_is_detected(catalog: RestCatalog, http: Http, lake,
                                                        sales: str) -> None:
    body = conflicting_appends(catalog, http, lake, sales)
    op_id = body["operation_id"]
    (conflict,) = conflicts(http, op_id)
    expect_status(resolve(http, conflict["id"], "TakeSource"), 200)
    catalog.load_table(sales).append(rows(200, 1))  # main moves on after the analysis
    refused = expect_status(http.post(f"/api/v1/merge-operations/{op_id}/complete"), 409)
    assert "changed since the merge was analysed" in refused["error"]
    assert len(table_rows(catalog, sales)) == 14  # nothing overwritten
    aborted = expect_status(http.post(f"/api/v1/merge-operations/{op_id}/abort"), 200)
    assert aborted == {"status": "aborted", "operation_id": op_id}
    expect_status(http.post(f"/api/v1/merge-operations/{op_id}/abort"), 400)
    listed = expect_status(http.get(f"/api/v1/catalogs/{lake.name}/merge-operations"), 200)
    assert {"id": op_id, "status": "Aborted"}.items() <= next(
        o for o in listed if o["id"] == op_id).items()


def test_rebase_brings_main_into_a_branch_or_refuses(catalog: RestCatalog, http: Http, lake,
                                                     namespace: str, sales: str) -> None:
    catalog.create_table(f"{namespace}.other", schema=SCHEMA)
    dev = unique_name("dev")
    create_branch(http, lake.name, dev)
    catalog.load_table(f"{namespace}.other@{dev}").append(rows(0, 1))
    catalog.load_table(sales).append(rows(10, 2))  # main moves on
    rebase = {"name": dev, "catalog": lake.name}
    op = expect_status(http.post(f"/api/v1/branches/{dev}/rebase", json=rebase), 200)
    assert op["status"] == "Completed"
    assert table_rows(catalog, f"{sales}@{dev}") == as_rows(rows(0, 12))
    assert table_rows(catalog, f"{namespace}.other@{dev}") == as_rows(rows(0, 1))
    # Both change sales: the rebase refuses and changes nothing.
    catalog.load_table(f"{sales}@{dev}").append(rows(50, 1))
    catalog.load_table(sales).append(rows(60, 1))
    refused = expect_status(http.post(f"/api/v1/branches/{dev}/rebase", json=rebase), 409)
    assert sales in refused["error"]
    assert len(table_rows(catalog, f"{sales}@{dev}")) == 13


def test_merge_errors(http: Http, lake, sales: str) -> None:
    dev = unique_name("dev")
    create_branch(http, lake.name, dev)
    head = expect_status(http.get("/api/v1/branches/main/commits",
                                  params={"catalog": lake.name, "limit": 1}), 200)[0]["id"]
    tag = unique_name("tag")
    expect_status(http.post("/api/v1/tags",
                            json={"name": tag, "catalog": lake.name, "commit_id": head}), 201)
    assert "only a branch" in expect_status(merge(http, lake.name, dev, tag),
                                           400)["error"]
    expect_status(merge(http, lake.name, "main", "main"), 400)
    expect_status(merge(http, lake.name, unique_name("missing")), 404)
    expect_status(merge(http, unique_name("nocatalog"), dev), 404)
    expect_status(http.post("/api/v1/branches/merge", json={"source_branch": dev}), 400)
    expect_status(http.get(f"/api/v1/merge-operations/{unique_name('op')}"), 404)
    expect_status(resolve(http, "00000000-0000-4000-8000-000000000000-c1", "TakeSource"), 404)
    assert "TakeSource" in expect_status(resolve(http, "x-c1", "Whatever"), 400)["error"]
    # A merge of a tag (read-only source) into a branch is fine.
    assert expect_status(merge(http, lake.name, tag, dev), 200)["status"] == "Completed"


def test_merges_complete_while_main_takes_commits(catalog: RestCatalog, http: Http, lake,
                                                  namespace: str) -> None:
    writers, appends, merges = 3, 8, 4
    for w in range(writers):
        catalog.create_table(f"{namespace}.busy{w}", schema=SCHEMA)
    catalog.create_table(f"{namespace}.quiet", schema=SCHEMA)
    errors: list[BaseException] = []

    def write(w: int) -> None:
        try:
            for i in range(appends):
                while True:
                    try:
                        catalog.load_table(f"{namespace}.busy{w}").append(rows(i, 1))
                        break
                    except CommitFailedException:
                        continue
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    def publish() -> None:
        try:
            for m in range(merges):
                branch = unique_name("ingest")
                create_branch(http, lake.name, branch, branch_type="ingest")
                catalog.load_table(f"{namespace}.quiet@{branch}").append(rows(m, 1))
                catalog.create_table(f"{namespace}.new{m}@{branch}", schema=SCHEMA)
                op = expect_status(merge(http, lake.name, branch), 200)
                assert op["status"] == "Completed"
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    threads.append(threading.Thread(target=publish))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for w in range(writers):
        assert table_rows(catalog, f"{namespace}.busy{w}") == ranges((0, appends))
    assert table_rows(catalog, f"{namespace}.quiet") == ranges((0, merges))
    for m in range(merges):
        assert catalog.table_exists(f"{namespace}.new{m}")
