"""Round trips of real metadata files: every file written by the Iceberg Java library and by
PyIceberg is parsed by Pangolin and serialized again (tests/tools/metadata_roundtrip), and the
result must carry the same JSON: no member lost, renamed, retyped or reordered within arrays.
The Java files cover format versions 1-3; PyIceberg 0.12 writes only versions 1 and 2.

Two writer quirks are normalized, both in the direction of the Java reference:
- PyIceberg leaves `current-snapshot-id` out when there is no snapshot; Java writes -1.
- PyIceberg's v1 files carry the *first* schema and spec in the legacy `schema` and
  `partition-spec` members; Java (and Pangolin) write the current ones. Readers ignore the legacy
  members when `schemas` is present, so those are checked against the current schema and spec.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pyiceberg_writer import write_pyiceberg_metadata

REPO_ROOT = Path(__file__).resolve().parents[3]
ROUNDTRIP_BIN = Path(os.environ.get(
    "PANGOLIN_ROUNDTRIP_BIN", REPO_ROOT / "build" / "tests" / "metadata_roundtrip"))
JAVA_GENERATOR = REPO_ROOT / "tests" / "conformance" / "java-metadata" / "generate.sh"


def _diff(original: Any, ours: Any, path: str = "") -> list[str]:
    if isinstance(original, dict) and isinstance(ours, dict):
        out = []
        for key in sorted(set(original) | set(ours)):
            where = f"{path}/{key}"
            if key not in ours:
                out.append(f"{where}: dropped")
            elif key not in original:
                out.append(f"{where}: added {json.dumps(ours[key])[:120]}")
            else:
                out += _diff(original[key], ours[key], where)
        return out
    if isinstance(original, list) and isinstance(ours, list) and len(original) == len(ours):
        return [d for i, (a, b) in enumerate(zip(original, ours)) for d in _diff(a, b, f"{path}[{i}]")]
    if original != ours or type(original) is not type(ours):
        return [f"{path}: {json.dumps(original)[:120]} became {json.dumps(ours)[:120]}"]
    return []


def _normalize(original: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    """Applies the documented writer quirks; returns problems found in the legacy members."""
    problems = []
    original.setdefault("current-snapshot-id", -1)
    if original.get("format-version") == 1 and "schemas" in original:
        current = next(s for s in ours["schemas"] if s["schema-id"] == ours["current-schema-id"])
        if ours.get("schema") != current:
            problems.append("/schema: not the current schema")
        spec = next(s for s in ours["partition-specs"] if s["spec-id"] == ours["default-spec-id"])
        if ours.get("partition-spec") != spec["fields"]:
            problems.append("/partition-spec: not the default spec's fields")
        for legacy in ("schema", "partition-spec"):
            original.pop(legacy, None)
            ours.pop(legacy, None)
    return problems


def _roundtrip(source: Path, tmp_path: Path) -> dict[str, list[str]]:
    out = tmp_path / "roundtrip"
    run = subprocess.run([str(ROUNDTRIP_BIN), str(source), str(out)], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, f"metadata_roundtrip failed:\n{run.stdout}{run.stderr}"
    failures = {}
    for path in sorted(source.glob("*.metadata.json")):
        original = json.loads(path.read_text())
        ours = json.loads((out / path.name).read_text())
        problems = _normalize(original, ours) + _diff(original, ours)
        if problems:
            failures[path.name] = problems
    return failures


def test_pyiceberg_written_metadata_round_trips(tmp_path: Path) -> None:
    source = write_pyiceberg_metadata(tmp_path / "pyiceberg")
    files = list(source.glob("*.metadata.json"))
    assert len(files) >= 30, f"PyIceberg wrote only {len(files)} metadata files"
    versions = {json.loads(f.read_text())["format-version"] for f in files}
    assert versions == {1, 2}
    assert _roundtrip(source, tmp_path) == {}


def test_java_written_metadata_round_trips(tmp_path: Path) -> None:
    source = tmp_path / "java"
    run = subprocess.run(["bash", str(JAVA_GENERATOR), str(source)], capture_output=True,
                         text=True, timeout=900)
    assert run.returncode == 0, f"Java metadata generator failed:\n{run.stdout}{run.stderr}"
    files = list(source.glob("*.metadata.json"))
    assert len(files) >= 30, f"the Java library wrote only {len(files)} metadata files"
    versions = {json.loads(f.read_text())["format-version"] for f in files}
    assert versions == {1, 2, 3}
    assert _roundtrip(source, tmp_path) == {}
