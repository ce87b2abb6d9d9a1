"""Listing 1,000 tables: PyIceberg follows next-page-token when rest-page-size is set, and the raw
protocol obeys the paging rules (bounded pages, null token on the last page, everything when no
pageToken is sent)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from pangolin_harness import Http, encode_namespace, expect_status, simple_schema, unique_name

TABLE_COUNT = 1000
PAGE_SIZE = 100
CREATE_THREADS = 4


@pytest.fixture(scope="module")
def crowded_namespace(pangolin_server, lake, catalog) -> str:
    """A namespace holding TABLE_COUNT tables, created over the REST API directly (fast)."""
    ns = unique_name("crowded")
    catalog.create_namespace(ns)
    path = f"/v1/{lake.name}/namespaces/{encode_namespace([ns])}/tables"

    def create_range(start: int) -> None:
        http = Http(pangolin_server.base_url)  # one connection per thread
        for i in range(start, TABLE_COUNT, CREATE_THREADS):
            body = {"name": f"t{i:04d}", "schema": simple_schema()}
            expect_status(http.post(path, json=body), 200)

    with ThreadPoolExecutor(CREATE_THREADS) as pool:
        list(pool.map(create_range, range(CREATE_THREADS)))
    return ns


def expected_names() -> list[str]:
    return [f"t{i:04d}" for i in range(TABLE_COUNT)]


def test_pyiceberg_pages_through_all_tables(connect, crowded_namespace):
    paged = connect(**{"rest-page-size": str(PAGE_SIZE)})
    tables = paged.list_tables(crowded_namespace)
    assert len(tables) == TABLE_COUNT
    assert sorted(t[-1] for t in tables) == expected_names()
    assert {t[:-1] for t in tables} == {(crowded_namespace,)}


def test_raw_paging_protocol(http, lake, crowded_namespace):
    path = f"/v1/{lake.name}/namespaces/{encode_namespace([crowded_namespace])}/tables"

    seen: list[str] = []
    token = ""  # an empty token starts paging, as Java clients do
    pages = 0
    while True:
        body = expect_status(http.get(path, params={"pageToken": token, "pageSize": PAGE_SIZE}),
                             200)
        page = [ident["name"] for ident in body["identifiers"]]
        assert 0 < len(page) <= PAGE_SIZE or body.get("next-page-token") is None
        seen.extend(page)
        pages += 1
        assert pages <= TABLE_COUNT // PAGE_SIZE + 1, "paging does not terminate"
        token = body.get("next-page-token")
        if token is None:
            break
        assert isinstance(token, str) and token
    assert pages >= TABLE_COUNT // PAGE_SIZE
    assert len(seen) == TABLE_COUNT, "a table was listed twice or skipped"
    assert sorted(seen) == expected_names()

    # Without pageToken a paging server returns everything and no further token.
    body = expect_status(http.get(path), 200)
    assert len(body["identifiers"]) == TABLE_COUNT
    assert body.get("next-page-token") is None
