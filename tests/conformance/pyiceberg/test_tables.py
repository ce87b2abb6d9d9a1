"""Tables through PyIceberg end to end: create (partitioned, sorted, staged), write and read
Arrow data, evolve schema and partitioning, delete, time travel, rename, drop and purge, and
metadata-file retention."""

from __future__ import annotations

import pyarrow as pa
import pytest
from pyiceberg.exceptions import NoSuchTableError, TableAlreadyExistsError
from pyiceberg.expressions import EqualTo, LessThan
from pyiceberg.transforms import BucketTransform, DayTransform, IdentityTransform
from pyiceberg.types import StringType

from table_data import (ARROW_SCHEMA, PARTITION_SPEC, SCHEMA, SORT_ORDER, as_rows, local_path,
                        rows)


def create_table(catalog, namespace, name, **kwargs):
    kwargs.setdefault("partition_spec", PARTITION_SPEC)
    kwargs.setdefault("sort_order", SORT_ORDER)
    return catalog.create_table((namespace, name), schema=SCHEMA, **kwargs)


def read(table) -> list[dict]:
    return as_rows(table.scan().to_arrow())


def test_create_partitioned_sorted_table(catalog, namespace, lake):
    tbl = create_table(catalog, namespace, "events", properties={"owner": "conformance"})

    assert tbl.name() == (namespace, "events")
    assert tbl.format_version == 2
    assert [f.name for f in tbl.schema().fields] == ["id", "category", "name", "ts", "score"]

    spec = tbl.spec()
    schema = tbl.schema()
    assert [(schema.find_column_name(f.source_id), f.name, f.transform) for f in spec.fields] == [
        ("category", "category", IdentityTransform()),
        ("ts", "ts_day", DayTransform()),
    ]
    order = tbl.sort_order()
    assert order.order_id >= 1
    assert [(schema.find_column_name(f.source_id), f.direction.value) for f in order.fields] == [
        ("id", "asc")]
    assert tbl.properties["owner"] == "conformance"

    # The default location lies under the catalog's storage location, and the first metadata
    # file has been written there.
    location = local_path(tbl.location())
    assert location.is_relative_to(lake.root), f"{location} is outside {lake.root}"
    assert local_path(tbl.metadata_location).is_file()
    assert local_path(tbl.metadata_location).parent == location / "metadata"

    # A second client sees the same table.
    loaded = catalog.load_table((namespace, "events"))
    assert loaded.metadata.table_uuid == tbl.metadata.table_uuid
    assert loaded.spec() == tbl.spec()
    assert loaded.sort_order() == tbl.sort_order()

    with pytest.raises(TableAlreadyExistsError):
        create_table(catalog, namespace, "events")


def test_append_and_read_back(catalog, namespace):
    tbl = create_table(catalog, namespace, "appends")
    assert read(tbl) == []

    first = rows(0, 30)
    tbl.append(first)
    assert read(tbl) == as_rows(first)

    second = rows(30, 12)
    tbl.append(second)
    assert read(tbl) == as_rows(pa.concat_tables([first, second]))

    # A fresh load through the catalog sees both snapshots.
    loaded = catalog.load_table((namespace, "appends"))
    assert read(loaded) == as_rows(pa.concat_tables([first, second]))
    assert len(loaded.snapshots()) == 2
    assert loaded.current_snapshot().snapshot_id == tbl.current_snapshot().snapshot_id
    assert loaded.current_snapshot().summary["total-records"] == "42"


def test_overwrite(catalog, namespace):
    tbl = create_table(catalog, namespace, "overwrites")
    tbl.append(rows(0, 20))

    replacement = rows(100, 7)
    tbl.overwrite(replacement)

    assert read(tbl) == as_rows(replacement)
    assert read(catalog.load_table((namespace, "overwrites"))) == as_rows(replacement)


def test_schema_evolution(catalog, namespace):
    tbl = create_table(catalog, namespace, "evolving")
    old = rows(0, 9)
    tbl.append(old)

    with tbl.update_schema() as update:
        update.add_column("extra", StringType())
        update.rename_column("name", "full_name")
        update.delete_column("score")

    tbl = catalog.load_table((namespace, "evolving"))
    assert [f.name for f in tbl.schema().fields] == ["id", "category", "full_name", "ts", "extra"]
    assert len(tbl.schemas()) == 2
    assert tbl.schema().schema_id != SCHEMA.schema_id

    # Old files are read through the new schema: renamed values kept, added column null.
    expected_old = [
        {"id": r["id"], "category": r["category"], "full_name": r["name"], "ts": r["ts"],
         "extra": None}
        for r in as_rows(old)
    ]
    assert read(tbl) == expected_old

    new = pa.Table.from_pylist(
        [{"id": 1000, "category": "z", "full_name": "new-row", "ts": old["ts"][0].as_py(),
          "extra": "x"}],
        schema=pa.schema([
            pa.field("id", pa.int64()), pa.field("category", pa.string()),
            pa.field("full_name", pa.string()), pa.field("ts", pa.timestamp("us")),
            pa.field("extra", pa.string()),
        ]),
    )
    tbl.append(new)
    assert read(catalog.load_table((namespace, "evolving"))) == expected_old + as_rows(new)


def test_partition_evolution(catalog, namespace):
    tbl = create_table(catalog, namespace, "repartitioned")
    before = rows(0, 10)
    tbl.append(before)
    old_spec_id = tbl.spec().spec_id

    with tbl.update_spec() as update:
        update.add_field("id", BucketTransform(4), "id_bucket")

    tbl = catalog.load_table((namespace, "repartitioned"))
    assert len(tbl.specs()) == 2
    assert tbl.spec().spec_id != old_spec_id
    names = [f.name for f in tbl.spec().fields]
    assert names == ["category", "ts_day", "id_bucket"]
    old_ids = {f.field_id for f in tbl.specs()[old_spec_id].fields}
    assert tbl.spec().fields[-1].field_id > max(old_ids)

    after = rows(10, 10)
    tbl.append(after)
    tbl = catalog.load_table((namespace, "repartitioned"))
    assert read(tbl) == as_rows(pa.concat_tables([before, after]))
    # Rows written after the change use the new spec; a filter still prunes correctly.
    in_b = [r for r in as_rows(pa.concat_tables([before, after])) if r["category"] == "b"]
    assert as_rows(tbl.scan(row_filter=EqualTo("category", "b")).to_arrow()) == in_b


def test_delete_with_filter(catalog, namespace):
    tbl = create_table(catalog, namespace, "deletes")
    data = rows(0, 30)
    tbl.append(data)

    tbl.delete(LessThan("id", 5))  # row-level: rewrites files
    expected = [r for r in as_rows(data) if r["id"] >= 5]
    assert read(tbl) == expected

    tbl.delete(EqualTo("category", "b"))  # whole partitions
    expected = [r for r in expected if r["category"] != "b"]
    assert read(tbl) == expected
    assert read(catalog.load_table((namespace, "deletes"))) == expected


def test_time_travel(catalog, namespace):
    tbl = create_table(catalog, namespace, "history")
    first = rows(0, 10)
    tbl.append(first)
    s1 = tbl.current_snapshot().snapshot_id
    tbl.append(rows(10, 10))
    s2 = tbl.current_snapshot().snapshot_id
    tbl.delete(EqualTo("category", "a"))

    tbl = catalog.load_table((namespace, "history"))
    assert [s.snapshot_id for s in tbl.snapshots()][:2] == [s1, s2]
    assert as_rows(tbl.scan(snapshot_id=s1).to_arrow()) == as_rows(first)
    assert as_rows(tbl.scan(snapshot_id=s2).to_arrow()) == as_rows(rows(0, 20))
    assert read(tbl) == [r for r in as_rows(rows(0, 20)) if r["category"] != "a"]
    assert [e.snapshot_id for e in tbl.history()][-1] == tbl.current_snapshot().snapshot_id


def test_list_and_drop_tables(catalog, namespace, lake):
    for name in ("t1", "t2", "t3"):
        create_table(catalog, namespace, name)
    assert sorted(catalog.list_tables(namespace)) == [(namespace, n) for n in ("t1", "t2", "t3")]

    # Drop without purge: gone from the catalog, files stay.
    t1 = catalog.load_table((namespace, "t1"))
    t1.append(rows(0, 5))
    t1_metadata = local_path(t1.metadata_location)
    catalog.drop_table((namespace, "t1"))
    assert not catalog.table_exists((namespace, "t1"))
    with pytest.raises(NoSuchTableError):
        catalog.load_table((namespace, "t1"))
    assert t1_metadata.is_file(), "drop without purge must keep the table's files"

    # Drop with purge: the table's directory under the warehouse is removed.
    t2 = catalog.load_table((namespace, "t2"))
    t2.append(rows(0, 5))
    t2_dir = local_path(t2.location())
    assert t2_dir.is_relative_to(lake.root)
    assert (t2_dir / "metadata").is_dir() and (t2_dir / "data").is_dir()
    catalog.purge_table((namespace, "t2"))
    assert not catalog.table_exists((namespace, "t2"))
    # Every file the table referenced is gone (empty directories may stay, as on object stores).
    left = sorted(p for p in t2_dir.rglob("*") if p.is_file())
    assert not left, f"purge left files behind: {left[:10]}"

    assert catalog.list_tables(namespace) == [(namespace, "t3")]
    with pytest.raises(NoSuchTableError):
        catalog.drop_table((namespace, "t1"))


def test_rename_table(catalog, namespace):
    tbl = create_table(catalog, namespace, "before")
    data = rows(0, 8)
    tbl.append(data)

    renamed = catalog.rename_table((namespace, "before"), (namespace, "after"))

    assert renamed.name() == (namespace, "after")
    assert not catalog.table_exists((namespace, "before"))
    loaded = catalog.load_table((namespace, "after"))
    assert loaded.metadata.table_uuid == tbl.metadata.table_uuid
    assert read(loaded) == as_rows(data)
    assert catalog.list_tables(namespace) == [(namespace, "after")]

    # The renamed table keeps accepting commits.
    loaded.append(rows(8, 2))
    assert read(catalog.load_table((namespace, "after"))) == as_rows(rows(0, 10))

    with pytest.raises(NoSuchTableError):
        catalog.rename_table((namespace, "before"), (namespace, "again"))
    create_table(catalog, namespace, "other")
    with pytest.raises(TableAlreadyExistsError):
        catalog.rename_table((namespace, "other"), (namespace, "after"))


def test_table_exists(catalog, namespace):
    create_table(catalog, namespace, "present")
    assert catalog.table_exists((namespace, "present"))
    assert not catalog.table_exists((namespace, "absent"))
    assert not catalog.table_exists((namespace + "_absent", "present"))
    with pytest.raises(NoSuchTableError):
        catalog.load_table((namespace, "absent"))


def test_create_table_transaction(catalog, namespace):
    ident = (namespace, "staged")
    data = rows(0, 6)
    with catalog.create_table_transaction(ident, schema=SCHEMA, partition_spec=PARTITION_SPEC,
                                          sort_order=SORT_ORDER,
                                          properties={"created.by": "transaction"}) as txn:
        # A staged create is invisible until the transaction commits.
        assert not catalog.table_exists(ident)
        txn.set_properties({"extra.prop": "yes"})
        txn.append(data)

    tbl = catalog.load_table(ident)
    assert tbl.properties["created.by"] == "transaction"
    assert tbl.properties["extra.prop"] == "yes"
    assert len(tbl.snapshots()) == 1
    assert read(tbl) == as_rows(data)
    assert tbl.spec().fields[0].name == "category"

    # A second staged create of the same name fails at commit time.
    with pytest.raises(Exception) as excinfo:
        with catalog.create_table_transaction(ident, schema=SCHEMA) as txn:
            txn.set_properties({"x": "y"})
    assert type(excinfo.value).__name__ in ("TableAlreadyExistsError", "CommitFailedException")
    assert "x" not in catalog.load_table(ident).properties


def test_metadata_files_retention(catalog, namespace):
    tbl = catalog.create_table(
        (namespace, "retained"), schema=SCHEMA,
        properties={"write.metadata.previous-versions-max": "2",
                    "write.metadata.delete-after-commit.enabled": "true"})
    metadata_dir = local_path(tbl.metadata_location).parent

    tbl.append(rows(0, 3))
    for i in range(5):
        with tbl.transaction() as tx:
            tx.set_properties({"commit.number": str(i)})

    tbl = catalog.load_table((namespace, "retained"))
    log = tbl.metadata.metadata_log
    assert len(log) == 2, f"metadata-log should keep 2 entries, has {len(log)}"
    expected = {local_path(tbl.metadata_location).name} | {
        local_path(entry.metadata_file).name for entry in log}
    on_disk = {p.name for p in metadata_dir.iterdir() if ".metadata.json" in p.name}
    assert on_disk == expected, "metadata files outside the log must be deleted after commit"
    assert read(tbl) == as_rows(rows(0, 3))


def test_arrow_schema_round_trip(catalog, namespace):
    tbl = catalog.create_table((namespace, "from_arrow"), schema=ARROW_SCHEMA)
    tbl.append(rows(0, 4))
    loaded = catalog.load_table((namespace, "from_arrow"))
    assert [f.name for f in loaded.schema().fields] == ARROW_SCHEMA.names
    assert read(loaded) == as_rows(rows(0, 4))
