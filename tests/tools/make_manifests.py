#!/usr/bin/env python3
"""Writes Iceberg manifest lists and manifests with PyIceberg for the C++ manifest reader tests.

Usage: make_manifests.py [OUT_DIR]   (default: src/iceberg/testdata/manifests)

Produces, under OUT_DIR:
  pyiceberg_v2/  a real v2 table (SqlCatalog on SQLite) partitioned by identity(category) and
                 day(ts): two appends of PyArrow batches and a copy-on-write delete; the manifest
                 list of the last snapshot and every manifest it names.
  pyiceberg_v1/  a real v1 table partitioned by identity(id): one append.
  pyiceberg_types/
                 written with PyIceberg's manifest writers directly (no table): a v2 data
                 manifest whose partition has one identity field of every primitive type, with
                 bounds of every type; a v2 delete manifest (position and equality deletes); a
                 manifest list naming both (deflate) and the same list with the zstandard codec.
  description.json
                 what PyIceberg itself reads back from those files (its own reader), so the C++
                 expectations can be checked against an independent implementation.

The format-v3 fixtures (java_v3/) come from the Java library instead: tests/tools/MakeV3Manifests.java.

The warehouse lives at a fixed path (/tmp/pangolin-manifests) so that the paths inside the files
are stable; file names still contain random UUIDs, so regenerating changes the fixtures and the
C++ tests must be updated from description.json.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import shutil
import sys
import uuid
from pathlib import Path

import pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.conversions import to_bytes
from pyiceberg.io.pyarrow import PyArrowFileIO
from pyiceberg.manifest import (
    DataFile,
    DataFileContent,
    FileFormat,
    ManifestContent,
    ManifestEntry,
    ManifestEntryStatus,
    ManifestWriterV2,
    read_manifest_list,
    write_manifest,
    write_manifest_list,
)
from pyiceberg.partitioning import PartitionField, PartitionSpec
from pyiceberg.schema import Schema
from pyiceberg.transforms import DayTransform, IdentityTransform
from pyiceberg.typedef import Record
from pyiceberg.types import (
    BinaryType,
    BooleanType,
    DateType,
    DecimalType,
    DoubleType,
    FixedType,
    FloatType,
    IntegerType,
    LongType,
    NestedField,
    StringType,
    TimestampType,
    TimestamptzType,
    TimeType,
    UUIDType,
)

ROOT = Path("/tmp/pangolin-manifests")
UTC = dt.timezone.utc


def hexify(value):
    """JSON-friendly rendering of what PyIceberg reads back."""
    if isinstance(value, bytes):
        return value.hex()
    if hasattr(value, "items"):  # dict and PyIceberg's LazyDict
        return {str(k): hexify(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [hexify(v) for v in value]
    if isinstance(value, (dt.date, dt.time, dt.datetime, decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, float) and value != value:
        return "NaN"
    if hasattr(value, "value") and not isinstance(value, (int, str)):
        return value.value  # enums
    return value


def describe_manifest_list(io, path: str) -> dict:
    manifests = []
    for m in read_manifest_list(io.new_input(path)):
        entries = []
        for e in m.fetch_manifest_entry(io, discard_deleted=False):
            f = e.data_file
            entries.append({
                "status": int(e.status),
                "snapshot_id": e.snapshot_id,
                "sequence_number": e.sequence_number,
                "file_sequence_number": e.file_sequence_number,
                "content": int(f.content),
                "file_path": f.file_path,
                "file_format": str(f.file_format),
                "partition": hexify(list(f.partition)),
                "record_count": f.record_count,
                "file_size_in_bytes": f.file_size_in_bytes,
                "column_sizes": hexify(f.column_sizes),
                "value_counts": hexify(f.value_counts),
                "null_value_counts": hexify(f.null_value_counts),
                "nan_value_counts": hexify(f.nan_value_counts),
                "lower_bounds": hexify(f.lower_bounds),
                "upper_bounds": hexify(f.upper_bounds),
                "split_offsets": f.split_offsets,
                "equality_ids": f.equality_ids,
                "sort_order_id": f.sort_order_id,
                "key_metadata": hexify(f.key_metadata),
                "referenced_data_file": getattr(f, "referenced_data_file", None),
            })
        manifests.append({
            "manifest_path": m.manifest_path,
            "manifest_length": m.manifest_length,
            "partition_spec_id": m.partition_spec_id,
            "content": int(m.content),
            "sequence_number": m.sequence_number,
            "min_sequence_number": m.min_sequence_number,
            "added_snapshot_id": m.added_snapshot_id,
            "added_files_count": m.added_files_count,
            "existing_files_count": m.existing_files_count,
            "deleted_files_count": m.deleted_files_count,
            "added_rows_count": m.added_rows_count,
            "existing_rows_count": m.existing_rows_count,
            "deleted_rows_count": m.deleted_rows_count,
            "partitions": [
                {"contains_null": p.contains_null, "contains_nan": p.contains_nan,
                 "lower_bound": hexify(p.lower_bound), "upper_bound": hexify(p.upper_bound)}
                for p in (m.partitions or [])
            ],
            "entries": entries,
        })
    return {"manifest_list": path, "manifests": manifests}


def copy_snapshot_files(io, manifest_list: str, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    paths = [manifest_list] + [m.manifest_path for m in read_manifest_list(io.new_input(manifest_list))]
    for path in paths:
        shutil.copy(path.removeprefix("file://"), dest / Path(path).name)


def ts(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2024, 1, day, hour, tzinfo=UTC)


def make_v2_table(catalog, out: Path) -> dict:
    schema = Schema(
        NestedField(1, "id", LongType(), required=True),
        NestedField(2, "category", StringType(), required=False),
        NestedField(3, "ts", TimestamptzType(), required=False),
        NestedField(4, "amount", DoubleType(), required=False),
    )
    spec = PartitionSpec(
        PartitionField(source_id=2, field_id=1000, transform=IdentityTransform(), name="category"),
        PartitionField(source_id=3, field_id=1001, transform=DayTransform(), name="ts_day"),
    )
    table = catalog.create_table("db.events", schema=schema, partition_spec=spec,
                                 properties={"format-version": "2"})
    arrow_schema = pa.schema([
        pa.field("id", pa.int64(), nullable=False),
        pa.field("category", pa.string()),
        pa.field("ts", pa.timestamp("us", tz="UTC")),
        pa.field("amount", pa.float64()),
    ])
    table.append(pa.Table.from_pylist([
        {"id": 1, "category": "a", "ts": ts(1, 10), "amount": 1.5},
        {"id": 2, "category": "a", "ts": ts(1, 11), "amount": 2.5},
        {"id": 3, "category": "b", "ts": ts(2, 9), "amount": -3.0},
        {"id": 4, "category": "b", "ts": ts(1, 8), "amount": None},
    ], schema=arrow_schema))
    table.append(pa.Table.from_pylist([
        {"id": 5, "category": "a", "ts": ts(2, 12), "amount": float("nan")},
        {"id": 6, "category": None, "ts": ts(2, 13), "amount": 6.0},
    ], schema=arrow_schema))
    table.delete("id == 2")
    table = catalog.load_table("db.events")
    manifest_list = table.current_snapshot().manifest_list
    copy_snapshot_files(table.io, manifest_list, out / "pyiceberg_v2")
    described = describe_manifest_list(table.io, manifest_list)
    described["snapshots"] = [
        {"snapshot_id": s.snapshot_id, "sequence_number": s.sequence_number,
         "operation": str(s.summary.operation) if s.summary else None}
        for s in table.metadata.snapshots
    ]
    return described


def make_v1_table(catalog, out: Path) -> dict:
    schema = Schema(NestedField(1, "id", IntegerType(), required=True),
                    NestedField(2, "name", StringType(), required=False))
    spec = PartitionSpec(PartitionField(source_id=1, field_id=1000, transform=IdentityTransform(),
                                        name="id"))
    table = catalog.create_table("db.legacy", schema=schema, partition_spec=spec,
                                 properties={"format-version": "1"})
    table.append(pa.Table.from_pylist(
        [{"id": 7, "name": "seven"}, {"id": 8, "name": None}],
        schema=pa.schema([pa.field("id", pa.int32(), nullable=False), pa.field("name", pa.string())])))
    manifest_list = table.current_snapshot().manifest_list
    copy_snapshot_files(table.io, manifest_list, out / "pyiceberg_v1")
    return describe_manifest_list(table.io, manifest_list)


TYPES = [  # (name, type, value)
    ("b", BooleanType(), True),
    ("i", IntegerType(), -42),
    ("l", LongType(), 1 << 40),
    ("f", FloatType(), 1.5),
    ("d", DoubleType(), -2.25),
    ("dt", DateType(), dt.date(2024, 1, 2)),
    ("t", TimeType(), dt.time(12, 34, 56, 789)),
    ("ts", TimestampType(), dt.datetime(2024, 1, 2, 3, 4, 5, 6)),
    ("tstz", TimestamptzType(), dt.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=UTC)),
    ("s", StringType(), "héllo"),
    ("u", UUIDType(), uuid.UUID("f79c3e09-677c-4bbd-a479-3f349cb785e7")),
    ("bin", BinaryType(), b"\x00\x01\xff"),
    ("fx", FixedType(3), b"abc"),
    ("dec", DecimalType(9, 2), decimal.Decimal("-123.45")),
]


def partition_value(value):
    """PyIceberg's internal representation of a partition value (days, micros)."""
    if isinstance(value, dt.datetime):
        epoch = dt.datetime(1970, 1, 1, tzinfo=value.tzinfo)
        return (value - epoch) // dt.timedelta(microseconds=1)
    if isinstance(value, dt.date):
        return (value - dt.date(1970, 1, 1)).days
    if isinstance(value, dt.time):
        return ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond
    return value


class DeleteManifestWriterV2(ManifestWriterV2):
    """PyIceberg's v2 manifest writer, marked as a delete manifest (PyIceberg writes no deletes)."""

    def content(self) -> ManifestContent:
        return ManifestContent.DELETES

    @property
    def _meta(self) -> dict[str, str]:
        return {**super()._meta, "content": "deletes"}


def make_types_manifests(out: Path) -> dict:
    dest = out / "pyiceberg_types"
    work = ROOT / "types"
    work.mkdir(parents=True, exist_ok=True)
    io = PyArrowFileIO()
    schema = Schema(*[NestedField(i + 1, name, t, required=False) for i, (name, t, _) in enumerate(TYPES)])
    spec = PartitionSpec(*[
        PartitionField(source_id=i + 1, field_id=1000 + i, transform=IdentityTransform(), name=name)
        for i, (name, _, _) in enumerate(TYPES)
    ], spec_id=3)
    snapshot_id = 1234567890123
    values = [partition_value(v) for (_, _, v) in TYPES]
    bounds = {i + 1: to_bytes(t, v) for i, (_, t, v) in enumerate(TYPES)}
    data_file = DataFile.from_args(
        content=DataFileContent.DATA,
        file_path=f"file://{work}/data/all-types.parquet",
        file_format=FileFormat.PARQUET,
        partition=Record(*values),
        record_count=3,
        file_size_in_bytes=4321,
        column_sizes={1: 10, 2: 20},
        value_counts={1: 3, 2: 3},
        null_value_counts={1: 0, 2: 1},
        nan_value_counts={4: 0, 5: 1},
        lower_bounds=bounds,
        upper_bounds=bounds,
        key_metadata=b"\x01\x02",
        split_offsets=[4, 100],
        sort_order_id=0,
    )
    data_path = f"file://{work}/types-data-m0.avro"
    with write_manifest(2, spec, schema, io.new_output(data_path), snapshot_id, "deflate") as writer:
        writer.add(ManifestEntry.from_args(status=ManifestEntryStatus.ADDED, snapshot_id=snapshot_id,
                                           data_file=data_file))
    data_manifest = writer.to_manifest_file()

    null_partition = Record(*[None] * len(TYPES))
    position_delete = DataFile.from_args(
        content=DataFileContent.POSITION_DELETES,
        file_path=f"file://{work}/data/pos-deletes.parquet",
        file_format=FileFormat.PARQUET,
        partition=null_partition,
        record_count=2,
        file_size_in_bytes=900,
        referenced_data_file=data_file.file_path,
    )
    equality_delete = DataFile.from_args(
        content=DataFileContent.EQUALITY_DELETES,
        file_path=f"file://{work}/data/eq-deletes.avro",
        file_format=FileFormat.AVRO,
        partition=null_partition,
        record_count=1,
        file_size_in_bytes=700,
        equality_ids=[2, 10],
    )
    delete_path = f"file://{work}/types-deletes-m0.avro"
    with DeleteManifestWriterV2(spec, schema, io.new_output(delete_path), snapshot_id, "deflate") as writer:
        writer.add(ManifestEntry.from_args(status=ManifestEntryStatus.ADDED, snapshot_id=snapshot_id,
                                           data_file=position_delete))
        writer.existing(ManifestEntry.from_args(status=ManifestEntryStatus.EXISTING, snapshot_id=99,
                                                sequence_number=5, file_sequence_number=6,
                                                data_file=equality_delete))
    delete_manifest = writer.to_manifest_file()

    described = {}
    for codec, name in (("deflate", "snap-types.avro"), ("zstandard", "snap-types-zstd.avro")):
        path = f"file://{work}/{name}"
        with write_manifest_list(2, io.new_output(path), snapshot_id, 1111, 7, codec) as writer:
            writer.add_manifests([data_manifest, delete_manifest])
        if codec == "deflate":
            described = describe_manifest_list(io, path)
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("types-data-m0.avro", "types-deletes-m0.avro", "snap-types.avro", "snap-types-zstd.avro"):
        shutil.copy(work / name, dest / name)
    return described


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "src/iceberg/testdata/manifests"
    shutil.rmtree(ROOT, ignore_errors=True)
    (ROOT / "warehouse").mkdir(parents=True)
    for sub in ("pyiceberg_v2", "pyiceberg_v1", "pyiceberg_types"):
        shutil.rmtree(out / sub, ignore_errors=True)
    catalog = SqlCatalog("fixtures", uri=f"sqlite:///{ROOT}/catalog.db", warehouse=f"file://{ROOT}/warehouse")
    catalog.create_namespace("db")
    description = {
        "pyiceberg_v2": make_v2_table(catalog, out),
        "pyiceberg_v1": make_v1_table(catalog, out),
        "pyiceberg_types": make_types_manifests(out),
    }
    (out / "description.json").write_text(json.dumps(description, indent=1, sort_keys=True) + "\n")
    print(f"wrote fixtures under {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
