"""Spark SQL against Pangolin through the Iceberg REST protocol: partitioned tables, row-level
operations (MERGE, UPDATE, DELETE in copy-on-write and merge-on-read), schema and partition
evolution, Iceberg views, time travel, snapshot expiry, and format version 3 (row lineage and
the upgrade from version 2). Each statement's effect is checked on the rows Spark reads back,
and where the catalog is involved, on the table metadata the server returns."""

from __future__ import annotations

import datetime as dt

import pytest

from pangolin_harness import expect_status

# The Spark catalog that conftest.py configures (SPARK_CATALOG there).
C = "pangolin"


def ts(day: int, hour: int = 10) -> dt.datetime:
    """A timestamp as Spark returns it for a TIMESTAMP column (session time zone UTC)."""
    return dt.datetime(2024, 1, day, hour, 0)


def test_versions(spark, record_property):
    """Records the engine versions in the report and checks they are the pinned ones."""
    iceberg = spark.sparkContext._jvm.org.apache.iceberg.IcebergBuild.version()
    record_property("spark_version", spark.version)
    record_property("iceberg_version", iceberg)
    print(f"Spark {spark.version}, Iceberg {iceberg}")
    assert spark.version.startswith("3.5.")
    assert iceberg == "1.11.0"


def test_namespaces_are_listed_and_described(sql, namespace):
    assert (namespace,) in sql(f"SHOW NAMESPACES IN {C}")
    sql(f"ALTER NAMESPACE {C}.{namespace} SET PROPERTIES ('team' = 'spark-tests')")
    described = dict(sql(f"DESCRIBE NAMESPACE EXTENDED {C}.{namespace}"))
    assert described["Namespace Name"] == namespace
    assert "(team,spark-tests)" in described["Properties"], described


@pytest.mark.parametrize("partitioning, transform, partitions", [
    ("days(ts)", "day", 3),
    ("category", "identity", 2),
])
def test_partitioned_table_insert_and_select(sql, namespace, load_table, partitioning,
                                             transform, partitions):
    t = f"{C}.{namespace}.events"
    sql(f"CREATE TABLE {t} (id BIGINT, category STRING, ts TIMESTAMP) USING iceberg "
        f"PARTITIONED BY ({partitioning})")
    sql(f"INSERT INTO {t} VALUES "
        "(1, 'a', TIMESTAMP '2024-01-01 10:00:00'), (2, 'b', TIMESTAMP '2024-01-01 11:00:00'), "
        "(3, 'a', TIMESTAMP '2024-01-02 10:00:00'), (4, 'b', TIMESTAMP '2024-01-03 10:00:00')")

    assert sql(f"SELECT id, category, ts FROM {t} ORDER BY id") == [
        (1, "a", ts(1)), (2, "b", ts(1, 11)), (3, "a", ts(2)), (4, "b", ts(3))]
    assert sql(f"SELECT id FROM {t} WHERE category = 'b' ORDER BY id") == [(2,), (4,)]
    assert sql(f"SELECT count(*) FROM {t}.partitions") == [(partitions,)]
    assert sql(f"SELECT sum(record_count) FROM {t}.partitions") == [(4,)]

    metadata = load_table(namespace, "events")
    spec = next(s for s in metadata["partition-specs"]
                if s["spec-id"] == metadata["default-spec-id"])
    assert [f["transform"] for f in spec["fields"]] == [transform]
    assert len(metadata["snapshots"]) == 1
    assert metadata["snapshots"][0]["summary"]["added-records"] == "4"


@pytest.mark.parametrize("mode", ["copy-on-write", "merge-on-read"])
def test_merge_update_and_delete(sql, namespace, load_table, mode):
    t = f"{C}.{namespace}.accounts"
    sql(f"CREATE TABLE {t} (id BIGINT, name STRING, balance INT) USING iceberg "
        f"TBLPROPERTIES ('format-version' = '2', 'write.delete.mode' = '{mode}', "
        f"'write.update.mode' = '{mode}', 'write.merge.mode' = '{mode}')")
    sql(f"INSERT INTO {t} VALUES (1, 'ann', 10), (2, 'bob', 20), (3, 'cid', 30)")

    sql(f"""MERGE INTO {t} AS target
            USING (SELECT 2 AS id, 'bob' AS name, 25 AS balance
                   UNION ALL SELECT 4, 'dan', 40) AS source
            ON target.id = source.id
            WHEN MATCHED THEN UPDATE SET target.balance = source.balance
            WHEN NOT MATCHED THEN INSERT *""")
    assert sql(f"SELECT * FROM {t} ORDER BY id") == [
        (1, "ann", 10), (2, "bob", 25), (3, "cid", 30), (4, "dan", 40)]

    sql(f"UPDATE {t} SET balance = balance + 1 WHERE id IN (1, 3)")
    assert sql(f"SELECT * FROM {t} ORDER BY id") == [
        (1, "ann", 11), (2, "bob", 25), (3, "cid", 31), (4, "dan", 40)]

    sql(f"DELETE FROM {t} WHERE balance > 30")
    assert sql(f"SELECT * FROM {t} ORDER BY id") == [(1, "ann", 11), (2, "bob", 25)]

    # Four commits, each building on the last; merge-on-read wrote delete files, copy-on-write
    # rewrote data files instead.
    metadata = load_table(namespace, "accounts")
    snapshots = sorted(metadata["snapshots"], key=lambda s: s["sequence-number"])
    assert [s["sequence-number"] for s in snapshots] == [1, 2, 3, 4]
    assert metadata["current-snapshot-id"] == snapshots[-1]["snapshot-id"]
    assert all(s["parent-snapshot-id"] == p["snapshot-id"] for p, s in zip(snapshots, snapshots[1:]))
    delete_files = [int(s["summary"].get("added-delete-files", "0")) for s in snapshots]
    if mode == "merge-on-read":
        assert sum(delete_files) > 0, [s["summary"] for s in snapshots]
    else:
        assert sum(delete_files) == 0, [s["summary"] for s in snapshots]
    assert sql(f"SELECT count(*) FROM {t}.snapshots") == [(4,)]


def test_schema_and_partition_evolution(sql, namespace, load_table):
    t = f"{C}.{namespace}.readings"
    sql(f"CREATE TABLE {t} (id BIGINT, category STRING, ts TIMESTAMP) USING iceberg "
        "PARTITIONED BY (days(ts))")
    sql(f"INSERT INTO {t} VALUES (1, 'a', TIMESTAMP '2024-01-01 10:00:00'), "
        "(2, 'b', TIMESTAMP '2024-01-02 10:00:00')")

    sql(f"ALTER TABLE {t} ADD COLUMN score DOUBLE")
    sql(f"ALTER TABLE {t} RENAME COLUMN category TO kind")
    sql(f"ALTER TABLE {t} ADD PARTITION FIELD kind")
    sql(f"INSERT INTO {t} VALUES (3, 'c', TIMESTAMP '2024-01-03 10:00:00', 1.5)")

    assert sql(f"SELECT id, kind, ts, score FROM {t} ORDER BY id") == [
        (1, "a", ts(1), None), (2, "b", ts(2), None), (3, "c", ts(3), 1.5)]
    assert sql(f"SELECT id FROM {t} WHERE kind = 'c'") == [(3,)]
    assert [row[0] for row in sql(f"DESCRIBE TABLE {t}")][:4] == ["id", "kind", "ts", "score"]

    metadata = load_table(namespace, "readings")
    schema = next(s for s in metadata["schemas"]
                  if s["schema-id"] == metadata["current-schema-id"])
    fields = {f["name"]: f for f in schema["fields"]}
    assert list(fields) == ["id", "kind", "ts", "score"]
    assert fields["kind"]["id"] == 2  # renamed, same field
    assert fields["score"]["type"] == "double"
    assert len(metadata["partition-specs"]) == 2
    spec = next(s for s in metadata["partition-specs"]
                if s["spec-id"] == metadata["default-spec-id"])
    assert [(f["transform"], f["source-id"]) for f in spec["fields"]] == [("day", 3),
                                                                           ("identity", 2)]
    # The old files keep the first spec, the new one has the second.
    assert sorted(row[0] for row in sql(f"SELECT spec_id FROM {t}.files")) == [0, 0, 1]


def test_views(sql, namespace, http, spark_catalog):
    t = f"{C}.{namespace}.orders"
    v = f"{C}.{namespace}.big_orders"
    sql(f"CREATE TABLE {t} (id BIGINT, amount INT) USING iceberg")
    sql(f"INSERT INTO {t} VALUES (1, 5), (2, 50), (3, 500)")

    sql(f"CREATE VIEW {v} AS SELECT id, amount FROM {t} WHERE amount >= 50")
    assert sql(f"SELECT * FROM {v} ORDER BY id") == [(2, 50), (3, 500)]
    assert sql(f"SHOW VIEWS IN {C}.{namespace}") == [(namespace, "big_orders", False)]
    # The view sees later writes to its table.
    sql(f"INSERT INTO {t} VALUES (4, 70)")
    assert sql(f"SELECT id FROM {v} ORDER BY id") == [(2,), (3,), (4,)]

    path = f"/v1/{spark_catalog.name}/namespaces/{namespace}/views/big_orders"
    view = expect_status(http.get(path), 200)["metadata"]
    version = next(x for x in view["versions"] if x["version-id"] == view["current-version-id"])
    representation = version["representations"][0]
    assert representation["dialect"] == "spark"
    assert "amount >= 50" in representation["sql"]
    schema = next(s for s in view["schemas"] if s["schema-id"] == version["schema-id"])
    assert [f["name"] for f in schema["fields"]] == ["id", "amount"]

    sql(f"DROP VIEW {v}")
    assert sql(f"SHOW VIEWS IN {C}.{namespace}") == []
    expect_status(http.get(path), 404)
    assert sql(f"SELECT count(*) FROM {t}") == [(4,)]


def test_time_travel(sql, namespace):
    t = f"{C}.{namespace}.history"
    sql(f"CREATE TABLE {t} (id BIGINT, label STRING) USING iceberg")
    sql(f"INSERT INTO {t} VALUES (1, 'first'), (2, 'first')")
    sql(f"INSERT INTO {t} VALUES (3, 'second')")
    sql(f"DELETE FROM {t} WHERE id = 1")

    snapshots = sql(f"SELECT snapshot_id, date_format(committed_at, 'yyyy-MM-dd HH:mm:ss.SSS') "
                    f"FROM {t}.snapshots ORDER BY committed_at")
    assert len(snapshots) == 3
    (first, first_at), (second, second_at), _ = snapshots

    assert sql(f"SELECT id FROM {t} VERSION AS OF {first} ORDER BY id") == [(1,), (2,)]
    assert sql(f"SELECT id FROM {t} VERSION AS OF {second} ORDER BY id") == [(1,), (2,), (3,)]
    assert sql(f"SELECT id FROM {t} TIMESTAMP AS OF '{first_at}' ORDER BY id") == [(1,), (2,)]
    assert sql(f"SELECT id FROM {t} TIMESTAMP AS OF '{second_at}' ORDER BY id") == [
        (1,), (2,), (3,)]
    assert sql(f"SELECT id FROM {t} ORDER BY id") == [(2,), (3,)]
    history = sql(f"SELECT snapshot_id, is_current_ancestor FROM {t}.history "
                  "ORDER BY made_current_at")
    assert history == [(s[0], True) for s in snapshots]


def test_expire_snapshots(sql, namespace, load_table):
    t = f"{C}.{namespace}.events"
    sql(f"CREATE TABLE {t} (id BIGINT) USING iceberg TBLPROPERTIES ('format-version' = '2')")
    for batch in range(3):
        sql(f"INSERT INTO {t} VALUES ({batch * 10}), ({batch * 10 + 1})")
    assert sql(f"SELECT count(*) FROM {t}.snapshots") == [(3,)]
    last = sql(f"SELECT snapshot_id FROM {t}.snapshots ORDER BY committed_at DESC LIMIT 1")[0][0]
    (older_than,) = sql(f"SELECT date_format(max(committed_at) + INTERVAL 1 SECOND, "
                        f"'yyyy-MM-dd HH:mm:ss.SSS') FROM {t}.snapshots")[0]

    result = sql(f"CALL {C}.system.expire_snapshots(table => '{namespace}.events', "
                 f"older_than => TIMESTAMP '{older_than}', retain_last => 1)")
    assert len(result) == 1
    # deleted_data_files_count, ..., deleted_manifest_lists_count: two manifest lists went.
    counts = dict(zip(["data", "position_deletes", "equality_deletes", "manifests",
                       "manifest_lists"], result[0]))
    assert counts["manifest_lists"] == 2
    assert counts["data"] == 0  # appends only: every data file is still live

    assert sql(f"SELECT snapshot_id FROM {t}.snapshots") == [(last,)]
    assert sql(f"SELECT id FROM {t} ORDER BY id") == [(0,), (1,), (10,), (11,), (20,), (21,)]
    metadata = load_table(namespace, "events")
    assert [s["snapshot-id"] for s in metadata["snapshots"]] == [last]
    assert metadata["current-snapshot-id"] == last
    assert metadata["refs"]["main"]["snapshot-id"] == last
    # The snapshot log names only snapshots that still exist.
    assert all(entry["snapshot-id"] == last for entry in metadata["snapshot-log"])


def test_format_version_3_row_lineage(sql, namespace, load_table):
    t = f"{C}.{namespace}.lineage"
    sql(f"CREATE TABLE {t} (id BIGINT, v STRING) USING iceberg "
        "TBLPROPERTIES ('format-version' = '3')")
    created = load_table(namespace, "lineage")
    assert created["format-version"] == 3
    assert created["next-row-id"] == 0

    sql(f"INSERT INTO {t} VALUES (1, 'a'), (2, 'b'), (3, 'c')")
    sql(f"INSERT INTO {t} VALUES (4, 'd'), (5, 'e')")
    assert sql(f"SELECT id, v FROM {t} ORDER BY id") == [
        (1, "a"), (2, "b"), (3, "c"), (4, "d"), (5, "e")]

    metadata = load_table(namespace, "lineage")
    assert metadata["format-version"] == 3
    snapshots = sorted(metadata["snapshots"], key=lambda s: s["sequence-number"])
    assert [(s["first-row-id"], s["added-rows"]) for s in snapshots] == [(0, 3), (3, 2)]
    assert metadata["next-row-id"] == 5
    # Spark reads the row ids the snapshots assigned: 0-2 to the first batch, 3-4 to the
    # second (the order within a batch follows its data files).
    rows = sql(f"SELECT id, _row_id, _last_updated_sequence_number FROM {t} ORDER BY id")
    assert sorted(r[1] for r in rows[:3]) == [0, 1, 2]
    assert sorted(r[1] for r in rows[3:]) == [3, 4]
    assert [r[2] for r in rows] == [1, 1, 1, 2, 2]


def test_upgrade_format_version_2_to_3(sql, namespace, load_table):
    t = f"{C}.{namespace}.upgraded"
    sql(f"CREATE TABLE {t} (id BIGINT, v STRING) USING iceberg "
        "TBLPROPERTIES ('format-version' = '2')")
    sql(f"INSERT INTO {t} VALUES (1, 'a'), (2, 'b')")
    assert load_table(namespace, "upgraded")["format-version"] == 2

    sql(f"ALTER TABLE {t} SET TBLPROPERTIES ('format-version' = '3')")
    upgraded = load_table(namespace, "upgraded")
    assert upgraded["format-version"] == 3
    assert upgraded["next-row-id"] == 0
    (old,) = upgraded["snapshots"]
    assert old.get("first-row-id") is None  # written before the upgrade

    sql(f"INSERT INTO {t} VALUES (3, 'c')")
    assert sql(f"SELECT id, v FROM {t} ORDER BY id") == [(1, "a"), (2, "b"), (3, "c")]

    metadata = load_table(namespace, "upgraded")
    new = next(s for s in metadata["snapshots"] if s["snapshot-id"] != old["snapshot-id"])
    assert new["first-row-id"] == 0
    # The first v3 commit assigns ids to the rows it added and to the rows of the older
    # manifests, which had none.
    assert new["added-rows"] >= 1
    assert metadata["next-row-id"] == new["first-row-id"] + new["added-rows"]
    row_ids = [row[0] for row in sql(f"SELECT _row_id FROM {t}")]
    assert len(set(row_ids)) == 3
    assert all(0 <= r < metadata["next-row-id"] for r in row_ids)
