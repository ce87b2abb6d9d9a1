"""Views through PyIceberg: create, load, list, exists, drop and register, the identifier space
shared with tables, and a view on a branch."""

from __future__ import annotations

import pytest
import requests
from pyiceberg.exceptions import NoSuchViewError, TableAlreadyExistsError, ViewAlreadyExistsError
from pyiceberg.view.metadata import SQLViewRepresentation, ViewVersion

from pangolin_harness import unique_name
from table_data import SCHEMA


def view_version(sql: str, namespace: str) -> ViewVersion:
    return ViewVersion(version_id=1, schema_id=0, summary={"engine-name": "pangolin-tests"},
                       representations=[SQLViewRepresentation(type="sql", sql=sql, dialect="spark")],
                       default_namespace=(namespace,))


def test_create_load_list_and_drop_a_view(catalog, namespace):
    sql = f"SELECT id, name FROM {namespace}.events"
    created = catalog.create_view((namespace, "recent"), SCHEMA, view_version(sql, namespace),
                                  properties={"comment": "recent events"})
    assert created.properties["comment"] == "recent events"
    assert created.location().endswith(f"/{namespace}/recent")

    loaded = catalog.load_view((namespace, "recent"))
    assert loaded.uuid() == created.uuid()
    version = loaded.current_version()
    assert version.version_id == 1
    assert version.representations[0].root.sql == sql
    assert [f.name for f in loaded.schema().fields] == [f.name for f in SCHEMA.fields]

    assert catalog.list_views(namespace) == [(namespace, "recent")]
    assert catalog.list_tables(namespace) == []
    assert catalog.view_exists((namespace, "recent"))
    assert not catalog.view_exists((namespace, "other"))

    catalog.drop_view((namespace, "recent"))
    assert not catalog.view_exists((namespace, "recent"))
    with pytest.raises(NoSuchViewError):
        catalog.load_view((namespace, "recent"))
    with pytest.raises(NoSuchViewError):
        catalog.drop_view((namespace, "recent"))


def test_tables_and_views_share_one_name_space(catalog, namespace):
    catalog.create_table((namespace, "shared"), schema=SCHEMA)
    with pytest.raises(ViewAlreadyExistsError, match="Table with same name already exists"):
        catalog.create_view((namespace, "shared"), SCHEMA, view_version("SELECT 1", namespace))
    catalog.create_view((namespace, "v"), SCHEMA, view_version("SELECT 1", namespace))
    with pytest.raises(TableAlreadyExistsError, match="View with same name already exists"):
        catalog.create_table((namespace, "v"), schema=SCHEMA)
    with pytest.raises(ViewAlreadyExistsError, match="View already exists"):
        catalog.create_view((namespace, "v"), SCHEMA, view_version("SELECT 2", namespace))
    assert catalog.list_views(namespace) == [(namespace, "v")]
    assert catalog.list_tables(namespace) == [(namespace, "shared")]


def test_register_view(catalog, namespace, pangolin_server, lake):
    view = catalog.create_view((namespace, "orig"), SCHEMA, view_version("SELECT 1", namespace))
    loaded = requests.get(f"{pangolin_server.base_url}/v1/{lake.name}/namespaces/{namespace}"
                          "/views/orig", timeout=30).json()
    location = loaded["metadata-location"]
    assert location.endswith(".gz.metadata.json")
    catalog.drop_view((namespace, "orig"))
    registered = catalog.register_view((namespace, "again"), location)
    assert registered.uuid() == view.uuid()
    assert catalog.load_view((namespace, "again")).current_version().representations[0].root.sql == \
        "SELECT 1"


def test_view_on_a_branch_leaves_main_alone(catalog, namespace):
    branch = unique_name("dev")
    # PyIceberg percent-encodes the view name in the create body, so the branch goes on the
    # namespace segment here.
    catalog.create_view((f"{namespace}@{branch}", "v"), SCHEMA, view_version("SELECT 1", namespace))
    assert catalog.view_exists((namespace, f"v@{branch}"))
    assert not catalog.view_exists((namespace, "v"))
    assert catalog.list_views(f"{namespace}@{branch}") == [(namespace, "v")]
    assert catalog.list_views(namespace) == []
