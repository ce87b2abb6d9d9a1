"""Server-side scan planning checked against PyIceberg's own planning of the same table: for every
filter the server returns exactly the files PyIceberg's planner keeps (pruning by partition
values, through every transform, and by column statistics), and scans planned by the server read
the same rows."""

from __future__ import annotations

import pytest
from pyiceberg.catalog.rest.scan_planning import PlanTableScanRequest
from pyiceberg.expressions import (AlwaysTrue, And, EqualTo, GreaterThan, GreaterThanOrEqual, In,
                                   IsNull, LessThan, Not, NotEqualTo, Or, StartsWith)

from table_data import PARTITION_SPEC, SCHEMA, as_rows, rows

EXACT = [
    AlwaysTrue(),
    EqualTo("category", "a"),
    In("category", {"a", "c"}),
    GreaterThanOrEqual("id", 15),
    And(EqualTo("category", "b"), LessThan("id", 12)),
    Or(EqualTo("category", "c"), GreaterThan("score", 10.0)),
    Not(LessThan("id", 25)),
    NotEqualTo("category", "a"),
    IsNull("name"),
    StartsWith("name", "name-2"),
    GreaterThan("ts", "2024-01-05T00:00:00"),
    LessThan("ts", "2024-01-03T00:00:00"),
    And(EqualTo("category", "a"), GreaterThanOrEqual("ts", "2024-01-02T12:00:00")),
]


@pytest.fixture
def table(catalog, namespace):
    tbl = catalog.create_table((namespace, "events"), schema=SCHEMA, partition_spec=PARTITION_SPEC)
    for start in (0, 10, 20, 30):
        tbl.append(rows(start, 10))
    tbl.delete(EqualTo("id", 3))
    return catalog.load_table((namespace, "events"))


def server_files(server_catalog, identifier, row_filter) -> set[str]:
    tasks = server_catalog.plan_scan(identifier, PlanTableScanRequest(filter=row_filter))
    return {task.file.file_path for task in tasks}


def client_files(table, row_filter) -> set[str]:
    return {task.file.file_path for task in table.scan(row_filter=row_filter).plan_files()}


@pytest.mark.parametrize("row_filter", EXACT, ids=str)
def test_server_plan_matches_pyiceberg(connect, table, row_filter):
    server = connect(**{"scan-planning-mode": "server"})
    assert server.supports_server_side_planning()
    identifier = table.name()
    assert server_files(server, identifier, row_filter) == client_files(table, row_filter)
    # The server-planned scan reads exactly the rows of a client-planned one.
    server_table = server.load_table(identifier)
    assert as_rows(server_table.scan(row_filter=row_filter).to_arrow()) == \
        as_rows(table.scan(row_filter=row_filter).to_arrow())


def test_plans_prune_and_refuse_bad_filters(connect, table, pangolin_server, lake):
    server = connect(**{"scan-planning-mode": "server"})
    identifier = table.name()
    everything = server_files(server, identifier, AlwaysTrue())
    assert len(server_files(server, identifier, EqualTo("category", "a"))) < len(everything)
    assert server_files(server, identifier, EqualTo("category", "zzz")) == set()
    assert server_files(server, identifier, GreaterThan("id", 10_000)) == set()

    import requests
    ns, name = identifier
    url = f"{pangolin_server.base_url}/v1/{lake.name}/namespaces/{ns}/tables/{name}/plan"
    for body, status in [({"filter": {"type": "eq", "term": "nope", "value": 1}}, 400),
                         ({"filter": {"type": "bogus"}}, 400),
                         ({"filter": {"type": "eq", "term": "id", "value": "x"}}, 400),
                         ({"snapshot-id": 1}, 400),
                         ({"start-snapshot-id": 1, "end-snapshot-id": 2}, 400)]:
        resp = requests.post(url, json=body, timeout=30)
        assert resp.status_code == status, (body, resp.text)
    snapshot = table.metadata.snapshots[0].snapshot_id
    first = requests.post(url, json={"snapshot-id": snapshot, "stats-fields": ["id"]},
                          timeout=30).json()
    assert first["status"] == "completed" and first["plan-id"]
    task = first["file-scan-tasks"][0]["data-file"]
    assert task["lower-bounds"]["keys"] == [1] and isinstance(task["lower-bounds"]["values"][0], int)
    assert "upper-bounds" in task and task["content"] == "data"


def test_many_manifests_are_planned_through_plan_tasks(connect, catalog, namespace,
                                                       pangolin_server, lake):
    tbl = catalog.create_table((namespace, "wide"), schema=SCHEMA, partition_spec=PARTITION_SPEC)
    for start in range(0, 100, 10):  # ten appends: ten data manifests, more than a plan inlines
        tbl.append(rows(start, 10))
    tbl = catalog.load_table((namespace, "wide"))
    server = connect(**{"scan-planning-mode": "server"})
    for row_filter in (AlwaysTrue(), EqualTo("category", "b"), GreaterThanOrEqual("id", 75)):
        assert server_files(server, tbl.name(), row_filter) == client_files(tbl, row_filter)

    import requests
    base = f"{pangolin_server.base_url}/v1/{lake.name}/namespaces/{namespace}/tables/wide"
    planned = requests.post(f"{base}/plan", json={"filter": {"type": "eq", "term": "category",
                                                             "value": "b"}}, timeout=30).json()
    assert planned["status"] == "completed" and planned["file-scan-tasks"] == []
    assert len(planned["plan-tasks"]) == 10
    fetched = requests.post(f"{base}/tasks", json={"plan-task": planned["plan-tasks"][0]},
                            timeout=30)
    assert fetched.status_code == 200 and "status" not in fetched.json()
    again = requests.get(f"{base}/plan/{planned['plan-id']}", timeout=30).json()
    assert again["status"] == "completed" and again["plan-tasks"] == planned["plan-tasks"]
    assert requests.delete(f"{base}/plan/{planned['plan-id']}", timeout=30).status_code == 204
    bad_id = requests.get(f"{base}/plan/not-a-plan", timeout=30)
    assert bad_id.status_code == 404 and bad_id.json()["error"]["type"] == "NoSuchPlanIdException"
    bad_task = requests.post(f"{base}/tasks", json={"plan-task": planned["plan-id"]}, timeout=30)
    assert bad_task.status_code == 404
    assert bad_task.json()["error"]["type"] == "NoSuchPlanTaskException"
    # A task names a manifest of this table's snapshot: another table's task is refused here.
    other = requests.post(f"{pangolin_server.base_url}/v1/{lake.name}/namespaces/{namespace}"
                          "/tables/wide/plan", json={}, timeout=30).json()
    catalog.create_table((namespace, "other"), schema=SCHEMA).append(rows(0, 1))
    foreign = requests.post(f"{pangolin_server.base_url}/v1/{lake.name}/namespaces/{namespace}"
                            "/tables/other/tasks", json={"plan-task": other["plan-tasks"][0]},
                            timeout=30)
    assert foreign.status_code == 404


def test_incremental_append_scan(connect, catalog, namespace, pangolin_server, lake):
    tbl = catalog.create_table((namespace, "appends"), schema=SCHEMA,
                               partition_spec=PARTITION_SPEC)
    for start in (0, 10, 20, 30):
        tbl.append(rows(start, 10))
    tbl = catalog.load_table((namespace, "appends"))
    first, second, _, last = (s.snapshot_id for s in tbl.metadata.snapshots)

    def files_at(snapshot_id, row_filter=AlwaysTrue()):
        return {t.file.file_path
                for t in tbl.scan(row_filter=row_filter, snapshot_id=snapshot_id).plan_files()}

    server = connect(**{"scan-planning-mode": "server"})
    for start, row_filter in [(first, AlwaysTrue()), (second, EqualTo("category", "a")),
                              (None, GreaterThanOrEqual("id", 25))]:
        request = PlanTableScanRequest(start_snapshot_id=start, end_snapshot_id=last,
                                       filter=row_filter)
        planned = {task.file.file_path for task in server.plan_scan(tbl.name(), request)}
        before = files_at(start, row_filter) if start else set()
        assert planned == files_at(last, row_filter) - before

    import requests
    url = f"{pangolin_server.base_url}/v1/{lake.name}/namespaces/{namespace}/tables/appends/plan"
    for body in [{"start-snapshot-id": last, "end-snapshot-id": first},
                 {"start-snapshot-id": first}, {"end-snapshot-id": 12345}]:
        resp = requests.post(url, json=body, timeout=30)
        assert resp.status_code == 400, (body, resp.text)


def test_partition_transforms_prune_without_column_statistics(connect, catalog, namespace):
    # No column statistics: only the partition tuple (identity and day(ts)) can prune.
    tbl = catalog.create_table((namespace, "nostats"), schema=SCHEMA,
                               partition_spec=PARTITION_SPEC,
                               properties={"write.metadata.metrics.default": "none"})
    for start in (0, 10, 20):
        tbl.append(rows(start, 10))
    tbl = catalog.load_table((namespace, "nostats"))
    server = connect(**{"scan-planning-mode": "server"})
    everything = server_files(server, tbl.name(), AlwaysTrue())
    for row_filter in (GreaterThan("ts", "2024-01-05T00:00:00"),
                       LessThan("ts", "2024-01-02T00:00:00"),
                       EqualTo("category", "c")):
        planned = server_files(server, tbl.name(), row_filter)
        assert planned == client_files(tbl, row_filter)
        assert planned < everything
