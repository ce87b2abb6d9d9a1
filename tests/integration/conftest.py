"""Fixtures for the HTTP integration suite. It uses a catalog of its own ("checks", in warehouse
"wh") so that "the catalog is unchanged" snapshots stay small and see only this suite."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from pangolin_harness import unique_name
from rest_checks import Rest

CATALOG = "checks"


@pytest.fixture(scope="session")
def checks_catalog(make_test_catalog):
    return make_test_catalog(CATALOG)


@pytest.fixture(scope="session")
def rest(http, checks_catalog) -> Rest:
    return Rest(http, checks_catalog.name)


@pytest.fixture
def ns(rest: Rest) -> Iterator[str]:
    """A fresh namespace with one property; dropped with its tables afterwards (best effort, so
    that catalog snapshots stay small)."""
    name = unique_name("ns")
    rest.create_namespace(name, {"purpose": "integration"})
    yield name
    with contextlib.suppress(Exception):
        resp = rest.http.get(rest.ns_path(name) + "/tables")
        for ident in resp.json().get("identifiers", []) if resp.status_code == 200 else []:
            rest.http.delete(rest.table_path(name, ident["name"]))
        rest.http.delete(rest.ns_path(name))


@pytest.fixture
def table(rest: Rest, ns: str) -> tuple[str, str]:
    """A fresh table "t" in a fresh namespace."""
    rest.create_table(ns, "t")
    return ns, "t"
