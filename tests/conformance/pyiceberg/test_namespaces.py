"""Namespaces through PyIceberg: create with properties, load and update properties, nesting,
listing by parent, existence checks and drops."""

from __future__ import annotations

import pytest
from pyiceberg.exceptions import (NamespaceAlreadyExistsError, NamespaceNotEmptyError,
                                  NoSuchNamespaceError)

from pangolin_harness import unique_name
from table_data import SCHEMA


def test_create_namespace_with_properties(catalog):
    ns = unique_name("props")
    catalog.create_namespace(ns, {"owner": "alice", "comment": "created by a test"})

    assert (ns,) in catalog.list_namespaces()
    props = catalog.load_namespace_properties(ns)
    assert props["owner"] == "alice"
    assert props["comment"] == "created by a test"

    with pytest.raises(NamespaceAlreadyExistsError):
        catalog.create_namespace(ns)


def test_update_namespace_properties(catalog):
    ns = unique_name("upd")
    catalog.create_namespace(ns, {"a": "1", "b": "2", "c": "3"})

    summary = catalog.update_namespace_properties(
        ns, removals={"b", "not-there"}, updates={"a": "10", "d": "4"})

    assert sorted(summary.updated) == ["a", "d"]
    assert sorted(summary.removed) == ["b"]
    assert sorted(summary.missing) == ["not-there"]
    props = catalog.load_namespace_properties(ns)
    assert props["a"] == "10"
    assert props["c"] == "3"
    assert props["d"] == "4"
    assert "b" not in props


def test_nested_namespaces_list_direct_children_only(catalog):
    root = unique_name("nest")
    for ns in [(root,), (root, "c1"), (root, "c2"), (root, "c1", "g")]:
        catalog.create_namespace(ns, {"level": str(len(ns))})

    assert sorted(catalog.list_namespaces((root,))) == [(root, "c1"), (root, "c2")]
    assert catalog.list_namespaces((root, "c1")) == [(root, "c1", "g")]
    assert catalog.list_namespaces((root, "c2")) == []

    top = catalog.list_namespaces()
    assert (root,) in top
    assert all(len(ns) == 1 for ns in top), f"top level lists nested namespaces: {top}"

    assert catalog.namespace_exists((root, "c1", "g"))
    assert catalog.load_namespace_properties((root, "c1", "g"))["level"] == "3"

    # Tables live in exactly the namespace they were created in.
    catalog.create_table((root, "c1", "t"), schema=SCHEMA)
    assert catalog.list_tables((root, "c1")) == [(root, "c1", "t")]
    assert catalog.list_tables((root,)) == []
    assert catalog.list_tables((root, "c1", "g")) == []


def test_namespace_exists(catalog, namespace):
    assert catalog.namespace_exists(namespace)
    assert catalog.namespace_exists((namespace,))
    assert not catalog.namespace_exists(unique_name("absent"))
    assert not catalog.namespace_exists((namespace, "child"))


def test_drop_empty_namespace(catalog):
    ns = unique_name("drop")
    catalog.create_namespace(ns)
    catalog.drop_namespace(ns)

    assert not catalog.namespace_exists(ns)
    assert (ns,) not in catalog.list_namespaces()
    with pytest.raises(NoSuchNamespaceError):
        catalog.load_namespace_properties(ns)
    with pytest.raises(NoSuchNamespaceError):
        catalog.drop_namespace(ns)


def test_drop_non_empty_namespace_raises(catalog, namespace):
    catalog.create_table((namespace, "keep_me"), schema=SCHEMA)

    with pytest.raises(NamespaceNotEmptyError):
        catalog.drop_namespace(namespace)

    assert catalog.namespace_exists(namespace)
    assert catalog.table_exists((namespace, "keep_me"))


def test_missing_namespace_errors(catalog):
    ns = unique_name("missing")
    with pytest.raises(NoSuchNamespaceError):
        catalog.load_namespace_properties(ns)
    with pytest.raises(NoSuchNamespaceError):
        catalog.list_tables(ns)
    with pytest.raises(NoSuchNamespaceError):
        catalog.update_namespace_properties(ns, updates={"a": "b"})
    with pytest.raises(NoSuchNamespaceError):
        catalog.create_table((ns, "t"), schema=SCHEMA)
