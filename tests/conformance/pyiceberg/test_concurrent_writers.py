"""16 writers, each with its own PyIceberg client, append to one table at the same time and retry
on CommitFailedException. Every acknowledged append must be in the table exactly once: no lost
update, no double apply."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter

import pyarrow as pa
from pyiceberg.exceptions import CommitFailedException, CommitStateUnknownException
from pyiceberg.schema import Schema
from pyiceberg.types import IntegerType, LongType, NestedField

WRITERS = 16
APPENDS_PER_WRITER = 2
ROWS_PER_APPEND = 5
MAX_ATTEMPTS = 200

SCHEMA = Schema(
    NestedField(1, "id", LongType(), required=False),
    NestedField(2, "writer", IntegerType(), required=False),
    NestedField(3, "seq", IntegerType(), required=False),
)
ARROW_SCHEMA = pa.schema([("id", pa.int64()), ("writer", pa.int32()), ("seq", pa.int32())])

# PyIceberg retries a conflicting append itself (re-basing it on the new head) before giving up
# with CommitFailedException; short waits keep 16 contending writers quick.
TABLE_PROPERTIES = {
    "commit.retry.num-retries": "50",
    "commit.retry.min-wait-ms": "5",
    "commit.retry.max-wait-ms": "100",
}


def batch_ids(writer: int, seq: int) -> list[int]:
    base = (writer * 1000 + seq) * 100
    return [base + k for k in range(ROWS_PER_APPEND)]


def batch(writer: int, seq: int) -> pa.Table:
    ids = batch_ids(writer, seq)
    return pa.Table.from_pydict(
        {"id": ids, "writer": [writer] * len(ids), "seq": [seq] * len(ids)}, schema=ARROW_SCHEMA)


def test_concurrent_appends_land_exactly_once(connect, catalog, namespace):
    ident = (namespace, "contended")
    catalog.create_table(ident, schema=SCHEMA, properties=TABLE_PROPERTIES)

    acknowledged: list[tuple[int, int]] = []
    unknown: list[tuple[int, int]] = []
    errors: list[str] = []
    attempts = Counter()
    lock = threading.Lock()
    start = threading.Barrier(WRITERS)

    def writer(w: int) -> None:
        try:
            client = connect()  # its own catalog object and HTTP session
            start.wait(timeout=60)
            for seq in range(APPENDS_PER_WRITER):
                for attempt in range(1, MAX_ATTEMPTS + 1):
                    with lock:
                        attempts[w] += 1
                    try:
                        client.load_table(ident).append(batch(w, seq))
                    except CommitFailedException:
                        time.sleep(random.uniform(0, 0.01 * min(attempt, 10)))
                        continue
                    except CommitStateUnknownException:
                        with lock:  # may or may not have landed: never retried
                            unknown.append((w, seq))
                        break
                    with lock:
                        acknowledged.append((w, seq))
                    break
                else:
                    raise AssertionError(f"writer {w} append {seq}: no success in {MAX_ATTEMPTS}")
        except BaseException as e:  # noqa: BLE001 - collected and reported by the main thread
            with lock:
                errors.append(f"writer {w}: {type(e).__name__}: {e}")

    threads = [threading.Thread(target=writer, args=(w,), name=f"writer-{w}")
               for w in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors, "\n".join(errors)
    assert len(acknowledged) + len(unknown) == WRITERS * APPENDS_PER_WRITER

    tbl = catalog.load_table(ident)
    counts = Counter(tbl.scan().to_arrow().column("id").to_pylist())
    for w, seq in acknowledged:
        for i in batch_ids(w, seq):
            assert counts[i] == 1, f"acknowledged row {i} (writer {w}, append {seq}) " \
                                   f"appears {counts[i]} times"
    landed_unknown = 0
    for w, seq in unknown:
        seen = {counts[i] for i in batch_ids(w, seq)}
        assert seen in ({0}, {1}), f"append with unknown outcome partially applied: {seen}"
        landed_unknown += seen == {1}
    expected_ids = {i for w, s in acknowledged + unknown for i in batch_ids(w, s)}
    assert set(counts) <= expected_ids, "rows that no writer appended are in the table"
    assert sum(counts.values()) == ROWS_PER_APPEND * (len(acknowledged) + landed_unknown)
    assert len(tbl.snapshots()) == len(acknowledged) + landed_unknown
