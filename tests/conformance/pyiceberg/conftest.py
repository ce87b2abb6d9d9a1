"""Fixtures for the PyIceberg conformance suite: PyIceberg RestCatalog clients pointed at the
session's pangolin_api (catalog "lake"), and a fresh namespace per test."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pyiceberg.catalog import load_catalog
from pyiceberg.catalog.rest import RestCatalog

from pangolin_harness import PangolinServer, unique_name


@pytest.fixture(scope="session")
def connect(pangolin_server: PangolinServer, lake) -> Callable[..., RestCatalog]:
    """Returns a factory for new RestCatalog clients; keyword arguments become catalog properties."""

    def make(**properties: str) -> RestCatalog:
        properties = {"warehouse": lake.name, **properties}
        cat = load_catalog("pangolin", uri=pangolin_server.base_url, **properties)
        assert isinstance(cat, RestCatalog)
        return cat

    return make


@pytest.fixture(scope="session")
def catalog(connect: Callable[..., RestCatalog]) -> RestCatalog:
    return connect()


@pytest.fixture
def namespace(catalog: RestCatalog) -> str:
    """A namespace that exists only for the calling test."""
    name = unique_name("ns")
    catalog.create_namespace(name)
    return name
