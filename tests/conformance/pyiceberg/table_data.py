"""Schemas, specs and Arrow data used by the PyIceberg conformance tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import unquote, urlparse

import pyarrow as pa
from pyiceberg.partitioning import PartitionField, PartitionSpec
from pyiceberg.schema import Schema
from pyiceberg.table.sorting import NullOrder, SortDirection, SortField, SortOrder
from pyiceberg.transforms import DayTransform, IdentityTransform
from pyiceberg.types import DoubleType, LongType, NestedField, StringType, TimestampType

# Every column is optional so that Arrow's nullable fields can be written as they are.
SCHEMA = Schema(
    NestedField(1, "id", LongType(), required=False),
    NestedField(2, "category", StringType(), required=False),
    NestedField(3, "name", StringType(), required=False),
    NestedField(4, "ts", TimestampType(), required=False),
    NestedField(5, "score", DoubleType(), required=False),
)

ARROW_SCHEMA = pa.schema([
    pa.field("id", pa.int64()),
    pa.field("category", pa.string()),
    pa.field("name", pa.string()),
    pa.field("ts", pa.timestamp("us")),
    pa.field("score", pa.float64()),
])

# identity(category) + day(ts)
PARTITION_SPEC = PartitionSpec(
    PartitionField(source_id=2, field_id=1000, transform=IdentityTransform(), name="category"),
    PartitionField(source_id=4, field_id=1001, transform=DayTransform(), name="ts_day"),
)

# id ASC NULLS FIRST
SORT_ORDER = SortOrder(
    SortField(source_id=1, transform=IdentityTransform(), direction=SortDirection.ASC,
              null_order=NullOrder.NULLS_FIRST))

CATEGORIES = ("a", "b", "c")
EPOCH = dt.datetime(2024, 1, 1)


def rows(start: int, count: int) -> pa.Table:
    """Rows with ids start..start+count-1, spread over three categories and several days."""
    ids = list(range(start, start + count))
    return pa.Table.from_pydict(
        {
            "id": ids,
            "category": [CATEGORIES[i % 3] for i in ids],
            "name": [f"name-{i}" for i in ids],
            "ts": [EPOCH + dt.timedelta(hours=7 * i) for i in ids],
            "score": [i * 0.5 for i in ids],
        },
        schema=ARROW_SCHEMA,
    )


def as_rows(table: pa.Table, key: str = "id") -> list[dict]:
    """Python rows sorted by key, for comparisons that ignore file order and Arrow type width."""
    return sorted(table.to_pylist(), key=lambda r: (r[key] is None, r[key]))


def local_path(location: str) -> Path:
    """The filesystem path of a file:// location (or of a plain absolute path)."""
    parsed = urlparse(location)
    assert parsed.scheme in ("", "file"), f"expected a local location, got {location}"
    return Path(unquote(parsed.path))
