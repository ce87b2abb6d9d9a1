"""Metrics reports: what engines send through the Iceberg REST route is stored and can be
queried through the management API, filtered and paged; bad reports are refused and not stored."""

from __future__ import annotations

from pangolin_harness import expect_status
from rest_checks import assert_error


def scan_report(table: str, snapshot_id: int) -> dict:
    return {"report-type": "scan-report", "table-name": table, "snapshot-id": snapshot_id,
            "filter": True, "schema-id": 0, "projected-field-ids": [1],
            "projected-field-names": ["id"],
            "metrics": {"total-planning-duration": {"count": 1, "time-unit": "nanoseconds",
                                                    "total-duration": 2000}}}


def commit_report(table: str, snapshot_id: int) -> dict:
    return {"report-type": "commit-report", "table-name": table, "snapshot-id": snapshot_id,
            "sequence-number": 1, "operation": "append",
            "metrics": {"added-data-files": {"unit": "count", "value": 3}}}


def test_reports_are_stored_and_queryable(rest, ns):
    rest.create_table(ns, "a")
    rest.create_table(ns, "b")
    for path, body in [(rest.table_path(ns, "a"), scan_report("a", 11)),
                       (rest.table_path(ns, "a"), commit_report("a", 12)),
                       (rest.table_path(ns, "b"), scan_report("b", 13))]:
        resp = rest.http.post(path + "/metrics", json=body)
        assert resp.status_code == 204, resp.text

    base = f"/api/v1/catalogs/{rest.prefix}/metrics-reports"
    listed = expect_status(rest.http.get(base, params={"namespace": ns}), 200)
    assert [(r["table"], r["report-type"], r["snapshot-id"]) for r in listed["reports"]] == [
        ("b", "scan-report", 13), ("a", "commit-report", 12), ("a", "scan-report", 11)]
    assert listed["reports"][2]["report"] == scan_report("a", 11)
    assert listed["reports"][2]["namespace"] == [ns]
    assert listed["next-page-token"] is None

    only_a = expect_status(rest.http.get(base, params={"namespace": ns, "table": "a",
                                                       "type": "scan-report"}), 200)
    assert [r["snapshot-id"] for r in only_a["reports"]] == [11]

    first = expect_status(rest.http.get(base, params={"namespace": ns, "limit": 2}), 200)
    assert len(first["reports"]) == 2 and first["next-page-token"]
    rest_page = expect_status(rest.http.get(base, params={
        "namespace": ns, "limit": 2, "page_token": first["next-page-token"]}), 200)
    assert [r["snapshot-id"] for r in rest_page["reports"]] == [11]


def test_bad_reports_are_refused(rest, ns):
    rest.create_table(ns, "a")
    path = rest.table_path(ns, "a") + "/metrics"
    base = f"/api/v1/catalogs/{rest.prefix}/metrics-reports"
    for body in [{"report-type": "nope", "metrics": {}}, {"report-type": "scan-report"},
                 {**scan_report("a", 1), "snapshot-id": "x"}]:
        assert_error(rest.http.post(path, json=body), 400, "BadRequestException")
    assert_error(rest.http.post(rest.table_path(ns, "missing") + "/metrics",
                                json=scan_report("missing", 1)), 404, "NoSuchTableException")
    listed = expect_status(rest.http.get(base, params={"namespace": ns}), 200)
    assert listed["reports"] == []
    assert rest.http.get(base, params={"type": "bogus"}).status_code == 400
    assert rest.http.get(base, params={"table": "a"}).status_code == 400
    assert rest.http.get(base, params={"limit": "0"}).status_code == 400
    assert rest.http.get("/api/v1/catalogs/no_such_catalog/metrics-reports").status_code == 404
