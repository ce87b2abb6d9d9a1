"""Catalog versioning through the Iceberg REST protocol with PyIceberg: `table@branch`,
`namespace@branch` and `catalog@branch` addressing, fork-time reads without copies, auto-added
branches, read-only tags and commits (time travel), and the management API's branches, tags and
commit history."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pyiceberg.catalog.rest import RestCatalog
from pyiceberg.exceptions import BadRequestError, NoSuchTableError

from pangolin_harness import Http, expect_status, unique_name
from table_data import SCHEMA, as_rows, rows


def create_branch(http: Http, catalog: str, name: str, **extra: object) -> dict:
    body = {"name": name, "catalog": catalog, **extra}
    return expect_status(http.post("/api/v1/branches", json=body), 201)


def history(http: Http, catalog: str, ref: str) -> list[dict]:
    return expect_status(http.get(f"/api/v1/branches/{ref}/commits", params={"catalog": catalog}),
                         200)


@pytest.fixture
def sales(catalog: RestCatalog, namespace: str) -> str:
    """`<namespace>.sales` on main with ids 0..9."""
    table = catalog.create_table(f"{namespace}.sales", schema=SCHEMA)
    table.append(rows(0, 10))
    return f"{namespace}.sales"


def test_write_on_branch_leaves_main_unchanged(catalog: RestCatalog, http: Http, lake,
                                               sales: str) -> None:
    dev = unique_name("dev")
    branch = create_branch(http, lake.name, dev)
    assert branch["branch_type"] == "experimental"
    # Not changed on dev yet: read where dev forked, without any copy.
    on_dev = catalog.load_table(f"{sales}@{dev}")
    assert as_rows(on_dev.scan().to_arrow()) == as_rows(rows(0, 10))

    on_dev.append(rows(10, 5))
    assert as_rows(catalog.load_table(f"{sales}@{dev}").scan().to_arrow()) == as_rows(rows(0, 15))
    assert as_rows(catalog.load_table(sales).scan().to_arrow()) == as_rows(rows(0, 10))

    commits = history(http, lake.name, dev)
    assert commits[0]["branch"] == dev
    assert commits[0]["message"].startswith("commit table")
    assert commits[0]["parent_id"] == branch["head_commit_id"]


def test_whole_session_on_a_branch_through_the_warehouse(connect: Callable[..., RestCatalog],
                                                         catalog: RestCatalog, http: Http, lake,
                                                         namespace: str, sales: str) -> None:
    dev = unique_name("dev")
    create_branch(http, lake.name, dev)
    on_dev = connect(warehouse=f"{lake.name}@{dev}")
    on_dev.create_table(f"{namespace}.only_on_dev", schema=SCHEMA).append(rows(0, 3))
    assert (namespace, "only_on_dev") in on_dev.list_tables(namespace)
    assert (namespace, "only_on_dev") not in catalog.list_tables(namespace)
    assert not catalog.table_exists(f"{namespace}.only_on_dev")
    on_dev.drop_table(sales)
    assert not on_dev.table_exists(sales)
    assert catalog.table_exists(sales)


def test_creating_on_a_missing_branch_adds_it(catalog: RestCatalog, http: Http, lake,
                                              namespace: str) -> None:
    feature = unique_name("feature")
    catalog.create_table(f"{namespace}.events@{feature}", schema=SCHEMA).append(rows(0, 4))
    branch = expect_status(
        http.get(f"/api/v1/branches/{feature}", params={"catalog": lake.name}), 200)
    assert branch["branch_type"] == "experimental"
    assert branch["assets"] == [f"{namespace}.events"]
    assert not catalog.table_exists(f"{namespace}.events")
    loaded = catalog.load_table(f"{namespace}.events@{feature}")
    assert len(loaded.scan().to_arrow()) == 4


def test_namespaces_on_a_branch(catalog: RestCatalog, http: Http, lake) -> None:
    dev = unique_name("dev")
    create_branch(http, lake.name, dev)
    ns = unique_name("nsdev")
    catalog.create_namespace(f"{ns}@{dev}")
    assert catalog.load_namespace_properties(f"{ns}@{dev}") == {}
    assert (ns,) not in catalog.list_namespaces()
    expect_status(http.get(f"/v1/{lake.name}@{dev}/namespaces/{ns}"), 200)
    expect_status(http.get(f"/v1/{lake.name}/namespaces/{ns}"), 404)


def test_tags_and_commits_are_readable_and_read_only(catalog: RestCatalog, http: Http, lake,
                                                     sales: str) -> None:
    head = history(http, lake.name, "main")[0]["id"]
    release = unique_name("release")
    tag = expect_status(
        http.post("/api/v1/tags", json={"name": release, "catalog": lake.name, "commit_id": head}),
        201)
    assert tag == {"name": release, "commit_id": head, "created_at": tag["created_at"]}
    catalog.load_table(sales).append(rows(10, 10))

    for ref in (release, head):  # time travel: the catalog as of the tag, or of the commit
        as_of = catalog.load_table(f"{sales}@{ref}")
        assert as_rows(as_of.scan().to_arrow()) == as_rows(rows(0, 10))
        with pytest.raises(BadRequestError, match="read-only"):
            as_of.append(rows(100, 1))
    assert len(catalog.load_table(sales).scan().to_arrow()) == 20
    with pytest.raises(NoSuchTableError):
        catalog.load_table(f"{sales}@{unique_name('missing')}")

    tags = expect_status(http.get("/api/v1/tags", params={"catalog": lake.name}), 200)
    assert release in [t["name"] for t in tags]
    expect_status(http.delete(f"/api/v1/tags/{release}", params={"catalog": lake.name}), 204)
    expect_status(http.delete(f"/api/v1/tags/{release}", params={"catalog": lake.name}), 404)


def test_commit_diff_names_what_changed(catalog: RestCatalog, http: Http, lake,
                                        sales: str) -> None:
    before = catalog.load_table(sales).metadata_location
    catalog.load_table(sales).append(rows(10, 1))
    after = catalog.load_table(sales).metadata_location
    head = history(http, lake.name, "main")[0]
    diff = expect_status(
        http.get(f"/api/v1/commits/{head['id']}", params={"catalog": lake.name}), 200)
    (change,) = diff["diff"]
    assert change["key"] == sales
    assert change["before"]["properties"]["metadata_location"] == before
    assert change["after"]["properties"]["metadata_location"] == after
    assert change["after"]["kind"] == "ICEBERG_TABLE"


def test_purge_refuses_while_another_branch_reads_the_table(catalog: RestCatalog, http: Http,
                                                            lake, sales: str) -> None:
    dev = unique_name("dev")
    create_branch(http, lake.name, dev)
    ns, name = sales.split(".")
    response = http.delete(f"/v1/{lake.name}/namespaces/{ns}/tables/{name}",
                           params={"purgeRequested": "true"})
    assert response.status_code == 409, response.text
    assert "another branch or tag" in response.json()["error"]["message"]
    assert catalog.table_exists(sales)
    catalog.drop_table(f"{sales}@{dev}")
    expect_status(http.delete(f"/api/v1/branches/{dev}", params={"catalog": lake.name}), 204)
    catalog.purge_table(sales)
    assert not catalog.table_exists(sales)


def test_branch_management_errors(http: Http, lake) -> None:
    params = {"catalog": lake.name}
    dev = unique_name("dev")
    create_branch(http, lake.name, dev, branch_type="Ingest")
    assert expect_status(http.get(f"/api/v1/branches/{dev}", params=params),
                         200)["branch_type"] == "ingest"
    expect_status(http.post("/api/v1/branches", json={"name": dev, "catalog": lake.name}), 409)
    expect_status(http.post("/api/v1/branches", json={"name": unique_name("x"),
                                                      "catalog": lake.name,
                                                      "from_branch": "no-such-ref"}), 404)
    expect_status(http.post("/api/v1/branches", json={"name": "a@b", "catalog": lake.name}), 400)
    expect_status(http.post("/api/v1/branches", json={"name": "x", "catalog": "no-such"}), 404)
    expect_status(http.post("/api/v1/branches", json={"name": "x", "catalog": lake.name,
                                                      "colour": "red"}), 422)
    expect_status(http.delete("/api/v1/branches/main", params=params), 400)
    expect_status(http.get("/api/v1/branches", params={}), 400)
    names = [b["name"] for b in expect_status(http.get("/api/v1/branches", params=params), 200)]
    assert "main" in names and dev in names
    expect_status(http.delete(f"/api/v1/branches/{dev}", params=params), 204)
    expect_status(http.get(f"/api/v1/branches/{dev}", params=params), 404)
